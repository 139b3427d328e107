#include "screening/screening_service.h"

#include <utility>

#include "core/check.h"

namespace redshield::screening {

ScreeningService::ScreeningService(std::shared_ptr<const RuleSet> rules) {
  RS_CHECK(rules != nullptr) << "ScreeningService needs a rule set";
  rules_ = std::move(rules);
}

std::shared_ptr<const RuleSet> ScreeningService::rules() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rules_;
}

void ScreeningService::Replace(std::shared_ptr<const RuleSet> rules) {
  RS_CHECK(rules != nullptr) << "ScreeningService::Replace needs a rule set";
  // The old rule set is released outside the lock (its last owner may be
  // this call, and freeing a Vectorscan database takes a while).
  {
    std::lock_guard<std::mutex> lock(mu_);
    rules_.swap(rules);
  }
}

Status ScreeningService::Reload(RuleSetSpec spec) {
  Result<std::shared_ptr<const RuleSet>> compiled = RuleSet::Compile(std::move(spec));
  if (!compiled) return tl::unexpected(compiled.error());
  Replace(std::move(*compiled));
  return Ok();
}

Status ScreeningService::ReloadFiles(const RuleFiles& files) {
  Result<RuleSetSpec> spec = LoadRuleFiles(files);
  if (!spec) return tl::unexpected(spec.error());
  return Reload(std::move(*spec));
}

}  // namespace redshield::screening
