// Private to storage/: a small thread-safe map whose entries expire after a
// fixed time, for read-through caching of hot rows (sessions and their users
// on every authenticated request). Bounded: when full, it is cleared.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace redshield::storage {

template <typename Key, typename Value>
class TtlCache {
 public:
  using Clock = std::chrono::steady_clock;

  TtlCache(std::chrono::milliseconds ttl, size_t capacity) : ttl_(ttl), capacity_(capacity) {}

  std::optional<Value> Get(const Key& key) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    if (Clock::now() - it->second.stored > ttl_) {
      entries_.erase(it);
      return std::nullopt;
    }
    return it->second.value;
  }

  void Put(const Key& key, Value value) {
    std::lock_guard lock(mu_);
    if (entries_.size() >= capacity_) entries_.clear();
    entries_[key] = Entry{std::move(value), Clock::now()};
  }

  void Erase(const Key& key) {
    std::lock_guard lock(mu_);
    entries_.erase(key);
  }

  void Clear() {
    std::lock_guard lock(mu_);
    entries_.clear();
  }

 private:
  struct Entry {
    Value value;
    Clock::time_point stored;
  };
  const std::chrono::milliseconds ttl_;
  const size_t capacity_;
  std::mutex mu_;
  std::unordered_map<Key, Entry> entries_;  // GUARDED_BY(mu_)
};

}  // namespace redshield::storage
