#include <iostream>

#include "core/json_quote.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/gtin.h"
#include "core/resident_id.h"
#include "core/uscc.h"

namespace redshield::cli {
namespace {

struct Checked {
  bool valid = false;
  std::string reason;                                 // when invalid
  std::vector<std::pair<std::string, std::string>> fields;  // decoded parts when valid
};

Checked CheckUscc(const std::string& value) {
  Result<UsccInfo> info = ParseUscc(value);
  if (!info) return {false, info.error().message, {}};
  return {true, "", {{"authority", info->authority_name}, {"entity_type", info->entity_type_name},
                     {"region_code", info->region_code}, {"org_code", info->org_code}}};
}

Checked CheckId(const std::string& value) {
  Result<Date> today = Date::Parse(ShanghaiDate(SystemClock().Now()));
  Result<ResidentIdInfo> info = ParseResidentId(value, *today);
  if (!info) return {false, info.error().message, {}};
  return {true, "", {{"region_code", info->region_code}, {"birth_date", info->birth_date.ToString()},
                     {"sex", info->sex == Sex::kMale ? "男" : "女"}, {"number18", info->number18}}};
}

Checked CheckGtin(const std::string& value) {
  Result<Gtin> gtin = ParseGtin(value);
  if (!gtin) return {false, gtin.error().message, {}};
  return {true, "", {{"gtin14", gtin->ToGtin14()}}};
}

int Run(const std::string& kind, const std::vector<std::string>& values, bool as_json) {
  int invalid = 0;
  for (const std::string& value : values) {
    Checked c = kind == "uscc" ? CheckUscc(value) : kind == "id" ? CheckId(value) : CheckGtin(value);
    invalid += !c.valid;
    if (as_json) {
      std::string line = "{\"value\":" + JsonQuote(value) + ",\"kind\":" + JsonQuote(kind) +
                         ",\"valid\":" + (c.valid ? "true" : "false");
      if (!c.valid) line += ",\"reason\":" + JsonQuote(c.reason);
      for (const auto& [name, part] : c.fields) line += "," + JsonQuote(name) + ":" + JsonQuote(part);
      std::cout << line << "}\n";
    } else if (c.valid) {
      std::cout << value << " valid\n";
    } else {
      std::cout << value << " invalid: " << c.reason << "\n";
    }
  }
  return invalid == 0 ? 0 : 1;
}

}  // namespace

void AddCheckCommand(CLI::App& app, int& exit_code) {
  auto kind = std::make_shared<std::string>();
  auto values = std::make_shared<std::vector<std::string>>();
  auto as_json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "check", "校验标识码：uscc 统一社会信用代码，id 居民身份证号，gtin 商品条码；全部有效时退出码为 0");
  cmd->add_option("KIND", *kind, "uscc | id | gtin")->required()->check(CLI::IsMember({"uscc", "id", "gtin"}));
  cmd->add_option("VALUE", *values, "要校验的值（可多个）")->required();
  cmd->add_flag("--json", *as_json, "每个值输出一行 JSON");
  cmd->callback([=, &exit_code] { exit_code = Run(*kind, *values, *as_json); });
}

}  // namespace redshield::cli
