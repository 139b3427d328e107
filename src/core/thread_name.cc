#include "core/thread_name.h"

#include <pthread.h>

#include <string>

namespace redshield {

void NameThisThread(std::string_view name) {
  const std::string kept(name.substr(0, 15));
  (void)pthread_setname_np(pthread_self(), kept.c_str());
}

}  // namespace redshield
