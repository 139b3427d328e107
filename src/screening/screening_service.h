// Holds the rule set in force and lets it be replaced while screening runs.
//
// Workers call rules() once per batch and keep the returned shared_ptr for
// the batch: a reload never changes rules under a running batch, and the old
// rule set is freed when its last batch ends. Reload compiles the new rules
// before swapping, so a bad file leaves the old rules in force.
//
// Thread-safe: rules(), Replace() and Reload() may be called from any thread.
// The pointer is swapped under a mutex rather than through
// std::atomic<std::shared_ptr>: libstdc++ 12 implements that with a lock bit
// ThreadSanitizer cannot see, and the lock is taken once per batch, not per
// listing.
#pragma once

#include <memory>
#include <mutex>

#include "core/error.h"
#include "screening/engine.h"
#include "screening/rules.h"

namespace redshield::screening {

class ScreeningService {
 public:
  // `rules` must not be null.
  explicit ScreeningService(std::shared_ptr<const RuleSet> rules);

  // The rule set in force.
  std::shared_ptr<const RuleSet> rules() const;

  // Puts `rules` (not null) in force.
  void Replace(std::shared_ptr<const RuleSet> rules);

  // Compiles `spec` and puts it in force. On error (RuleSet::Compile's codes)
  // the old rules stay in force.
  Status Reload(RuleSetSpec spec);

  // Reads the rule files and reloads (LoadRuleFiles' and Compile's errors).
  Status ReloadFiles(const RuleFiles& files);

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const RuleSet> rules_;  // GUARDED_BY(mu_); never null
};

}  // namespace redshield::screening
