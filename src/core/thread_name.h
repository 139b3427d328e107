// Names the calling thread as `top -H`, `ps -L`, `perf` and gdb show it, so
// that an operator can tell the server's threads apart (io, scan writer,
// checkpointer…). Linux keeps 15 bytes of a name; longer names are cut.
#pragma once

#include <string_view>

namespace redshield {

// Best effort: a name the system refuses leaves the thread as it was.
void NameThisThread(std::string_view name);

}  // namespace redshield
