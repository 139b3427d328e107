#include "storage/shared_map.h"

#include <fcntl.h>
#include <soci/sqlite3/soci-sqlite3.h>  // SQLite's API in namespace sqlite_api
#include <spdlog/spdlog.h>
#include <sqlite3.h>  // its macros
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

namespace redshield::storage {
namespace {

using sqlite_api::sqlite3_file;
using sqlite_api::sqlite3_int64;
using sqlite_api::sqlite3_io_methods;
using sqlite_api::sqlite3_vfs;

constexpr size_t kReserved = size_t{256} << 30;  // address range per file, not memory

// One database file's map, shared by the process's connections to it. The
// range [base_, base_ + kReserved) is reserved when the first connection
// opens the file; the file is mapped over its start as it grows, and the
// whole range is released when the last connection closes it.
class FileMap {
 public:
  // The map of the file at `path` (a new one for its first connection), or
  // nullptr if the file cannot be opened; then reads go through xRead.
  static FileMap* Acquire(const char* path);
  static void Release(FileMap* map);

  // The address of the file's bytes [offset, offset + size), or nullptr if
  // the file is shorter.
  const void* At(sqlite3_int64 offset, int size) {
    const size_t end = static_cast<size_t>(offset) + static_cast<size_t>(size);
    if (end <= mapped_.load(std::memory_order_acquire) || Cover(end)) return base_ + offset;
    return nullptr;
  }
  // The file now ends at `size`: bytes past it are read with xRead until it grows over them again.
  void Shrunk(sqlite3_int64 size);
  // This process wrote the file: the next request past the map asks the OS
  // for the file's length again.
  void Wrote() { next_stat_.store(0, std::memory_order_relaxed); }

 private:
  using Key = std::pair<dev_t, ino_t>;
  FileMap(int fd, char* base, Key key) : base_(base), key_(key) { fds_.push_back(fd); }
  ~FileMap();
  // Maps the file up to its current length, rounded down to whole OS pages;
  // false if that is short of `end`. Once the file was found short, its
  // length is asked again only after kRestat or a write by this process:
  // a write transaction asks for each page it appends, which is not in the
  // file until a checkpoint copies it (an fstat each time was five system
  // calls per captured event). A page not mapped is read with xRead, so a
  // file grown by another process is only read more slowly for that time.
  bool Cover(size_t end);
  static constexpr std::chrono::milliseconds kRestat{100};
  static std::int64_t Now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  // Left to the end of the process (connections may close during exit).
  static std::mutex& RegistryMutex() { static auto* mu = new std::mutex; return *mu; }
  static std::map<Key, FileMap*>& Registry() { static auto* maps = new std::map<Key, FileMap*>; return *maps; }

  char* const base_;  // nullptr if the range could not be reserved
  const Key key_;
  // Descriptors on the file, closed with the map, never before: closing any
  // descriptor of a file drops every POSIX lock the process holds on it,
  // SQLite's included. Two only if the path changed file between stat and open.
  std::vector<int> fds_;
  int users_ = 1;  // under RegistryMutex()
  std::mutex mu_;  // growth and shrinking
  std::atomic<size_t> mapped_{0};
  std::atomic<std::int64_t> next_stat_{0};  // Now() before which the file is taken as found short
};

size_t OsPage() {
  static const size_t size = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

FileMap* FileMap::Acquire(const char* path) {
  std::lock_guard lock(RegistryMutex());
  auto& registry = Registry();
  struct stat st {};
  if (::stat(path, &st) == 0) {
    auto it = registry.find({st.st_dev, st.st_ino});
    if (it != registry.end()) {
      ++it->second->users_;
      return it->second;
    }
  }
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  if (::fstat(fd, &st) != 0) {
    // Left open rather than closed (see fds_); fstat of a descriptor just opened does not fail in practice.
    spdlog::warn("shared map: cannot stat {}; it is read without one", path);
    return nullptr;
  }
  const Key key{st.st_dev, st.st_ino};
  if (auto it = registry.find(key); it != registry.end()) {
    it->second->fds_.push_back(fd);
    ++it->second->users_;
    return it->second;
  }
  void* base = ::mmap(nullptr, kReserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) {
    spdlog::warn("shared map: cannot reserve address space for {}; it is read without a map", path);
    base = nullptr;
  }
  auto* map = new FileMap(fd, static_cast<char*>(base), key);
  registry[key] = map;
  return map;
}

void FileMap::Release(FileMap* map) {
  std::lock_guard lock(RegistryMutex());
  if (--map->users_ > 0) return;
  Registry().erase(map->key_);
  delete map;
}

FileMap::~FileMap() {
  if (base_ != nullptr) ::munmap(base_, kReserved);
  for (int fd : fds_) ::close(fd);
}

bool FileMap::Cover(size_t end) {
  if (base_ == nullptr || end > kReserved) return false;
  if (Now() < next_stat_.load(std::memory_order_relaxed)) return false;
  std::lock_guard lock(mu_);
  const size_t mapped = mapped_.load(std::memory_order_relaxed);
  if (end <= mapped) return true;
  struct stat st {};
  if (::fstat(fds_.front(), &st) != 0) return false;
  const size_t size = std::min(static_cast<size_t>(st.st_size) / OsPage() * OsPage(), kReserved);
  if (size < end) {
    next_stat_.store(Now() + kRestat.count(), std::memory_order_relaxed);
    return false;
  }
  // Over the reserved range, next to what is mapped: nothing moves, and
  // pages already handed out stay valid.
  void* added = ::mmap(base_ + mapped, size - mapped, PROT_READ, MAP_SHARED | MAP_FIXED, fds_.front(),
                       static_cast<off_t>(mapped));
  if (added == MAP_FAILED) return false;
  mapped_.store(size, std::memory_order_release);
  return true;
}

void FileMap::Shrunk(sqlite3_int64 size) {
  std::lock_guard lock(mu_);
  // The pages past the end stay mapped (SQLite reads none of them, as with
  // its own map) and are mapped afresh, MAP_FIXED, once the file regrows.
  if (static_cast<size_t>(size) < mapped_.load(std::memory_order_relaxed)) {
    mapped_.store(static_cast<size_t>(size) / OsPage() * OsPage(), std::memory_order_release);
  }
}

// ---------------------------------------------------------------------------
// The VFS: SQLite's default, with a File in front of each of its files.

sqlite3_vfs* g_base = nullptr;  // the VFS wrapped
sqlite3_vfs g_vfs;

struct File {
  sqlite3_file self;       // pMethods = &kMethods
  FileMap* map = nullptr;  // main database files with a map
  // The wrapped VFS's file follows, g_base->szOsFile bytes.
  sqlite3_file* base() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};
static_assert(sizeof(File) % alignof(std::max_align_t) == 0, "the base file follows, aligned");

File* Of(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
sqlite3_file* Base(sqlite3_file* f) { return Of(f)->base(); }
const sqlite3_io_methods* Methods(sqlite3_file* f) { return Base(f)->pMethods; }

int Close(sqlite3_file* f) {
  const int rc = Methods(f)->xClose(Base(f));
  if (Of(f)->map != nullptr) FileMap::Release(Of(f)->map);
  Of(f)->map = nullptr;
  return rc;
}
int Read(sqlite3_file* f, void* out, int n, sqlite3_int64 offset) { return Methods(f)->xRead(Base(f), out, n, offset); }
int Write(sqlite3_file* f, const void* in, int n, sqlite3_int64 offset) {
  const int rc = Methods(f)->xWrite(Base(f), in, n, offset);
  if (Of(f)->map != nullptr) Of(f)->map->Wrote();
  return rc;
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  const int rc = Methods(f)->xTruncate(Base(f), size);
  if (rc == SQLITE_OK && Of(f)->map != nullptr) Of(f)->map->Shrunk(size);
  return rc;
}
int Sync(sqlite3_file* f, int flags) { return Methods(f)->xSync(Base(f), flags); }
int FileSize(sqlite3_file* f, sqlite3_int64* size) { return Methods(f)->xFileSize(Base(f), size); }
int Lock(sqlite3_file* f, int level) { return Methods(f)->xLock(Base(f), level); }
int Unlock(sqlite3_file* f, int level) { return Methods(f)->xUnlock(Base(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) { return Methods(f)->xCheckReservedLock(Base(f), out); }
int FileControl(sqlite3_file* f, int op, void* arg) {
  // The limit of the base VFS's own map, which a mapped file does not use.
  if (op == SQLITE_FCNTL_MMAP_SIZE && Of(f)->map != nullptr) return SQLITE_OK;
  return Methods(f)->xFileControl(Base(f), op, arg);
}
int SectorSize(sqlite3_file* f) { return Methods(f)->xSectorSize(Base(f)); }
int DeviceCharacteristics(sqlite3_file* f) { return Methods(f)->xDeviceCharacteristics(Base(f)); }
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return Methods(f)->xShmMap(Base(f), region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) { return Methods(f)->xShmLock(Base(f), offset, n, flags); }
void ShmBarrier(sqlite3_file* f) { Methods(f)->xShmBarrier(Base(f)); }
int ShmUnmap(sqlite3_file* f, int remove) { return Methods(f)->xShmUnmap(Base(f), remove); }
int Fetch(sqlite3_file* f, sqlite3_int64 offset, int n, void** out) {
  if (Of(f)->map == nullptr) return Methods(f)->xFetch(Base(f), offset, n, out);
  *out = const_cast<void*>(Of(f)->map->At(offset, n));
  return SQLITE_OK;
}
int Unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  // SQLite unmaps its own map here (page nullptr) after another connection's commit; this one stays.
  if (Of(f)->map == nullptr) return Methods(f)->xUnfetch(Base(f), offset, page);
  return SQLITE_OK;
}

const sqlite3_io_methods kMethods = {
    3,        Close,    Read,     Write,      Truncate,  Sync,       FileSize,  Lock,
    Unlock,   CheckReservedLock,  FileControl,           SectorSize, DeviceCharacteristics,
    ShmMap,   ShmLock,  ShmBarrier,           ShmUnmap,  Fetch,      Unfetch,
};

int Open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  File* file = Of(f);
  file->map = nullptr;
  sqlite3_file* base = file->base();
  base->pMethods = nullptr;
  const int rc = g_base->xOpen(g_base, name, base, flags, out_flags);
  // Set even when the open failed but left methods, so that xClose reaches the base file.
  f->pMethods = base->pMethods != nullptr ? &kMethods : nullptr;
  // Only a base file with the version-3 methods forwarded above is wrapped
  // with a map; others (none with SQLite's unix VFS) read as before.
  if (rc == SQLITE_OK && (flags & SQLITE_OPEN_MAIN_DB) != 0 && name != nullptr && base->pMethods->iVersion >= 3) {
    file->map = FileMap::Acquire(name);
  }
  return rc;
}

}  // namespace

bool UseSharedMaps() {
  static const bool registered = [] {
    g_base = sqlite_api::sqlite3_vfs_find(nullptr);
    if (g_base == nullptr || g_base->iVersion < 1) return false;
    g_vfs = *g_base;  // the other entries take the VFS only to read mxPathname, which is copied
    g_vfs.szOsFile = static_cast<int>(sizeof(File)) + g_base->szOsFile;
    g_vfs.pNext = nullptr;
    g_vfs.zName = "redshield-shared-map";
    g_vfs.xOpen = Open;
    if (sqlite_api::sqlite3_vfs_register(&g_vfs, 1) != SQLITE_OK) return false;
    return true;
  }();
  return registered;
}

}  // namespace redshield::storage
