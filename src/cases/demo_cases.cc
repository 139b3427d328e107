// `init --demo` (issue 5 §7): a deterministic year of administrative cases
// across the 12 盟市 — about 2,000, about 1 % crossing a threshold, some of
// those closed with a fine and never transferred (以罚代刑) and some sent to
// the police and left waiting, so that the procuratorate's board has work.
#include <array>
#include <cstdio>
#include <map>

#include "cases/case_service.h"
#include "core/uscc.h"

namespace redshield::cases {
namespace {

// A small deterministic generator (splitmix64): the same demo every time.
class DemoRandom {
 public:
  explicit DemoRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int64_t Between(int64_t low, int64_t high) {  // inclusive
    return low + static_cast<int64_t>(Next() % static_cast<uint64_t>(high - low + 1));
  }
  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[Next() % N];
  }

 private:
  uint64_t state_;
};

struct CategoryOffence {
  const char* category;
  const char* offence;
  const char* metric;  // the amount that decides for this offence
};

constexpr std::array<CategoryOffence, 14> kKinds = {{
    {"商标", "销售假冒注册商标的商品罪", "sales"},
    {"商标", "假冒注册商标罪", "business"},
    {"商标", "非法制造、销售非法制造的注册商标标识罪", "labels"},
    {"著作权", "侵犯著作权罪", "copies"},
    {"软件", "侵犯著作权罪", "gains"},
    {"专利", "假冒专利罪", "business"},
    {"产品质量", "生产、销售伪劣产品罪", "sales"},
    {"食品", "生产、销售伪劣产品罪", "sales"},
    {"化妆品", "生产、销售伪劣产品罪", "sales"},
    {"成品油", "生产、销售伪劣产品罪", "sales"},
    {"农药", "生产、销售伪劣农药、兽药、化肥、种子罪", "loss"},
    {"种子", "生产、销售伪劣农药、兽药、化肥、种子罪", "loss"},
    {"药品", "", ""},
    {"其他", "", ""},
}};

constexpr std::array<const char*, 8> kTags = {"剑网", "秋风", "清风", "红盾护农", "质检利剑", "绿盾", "护苗", ""};
constexpr std::array<const char*, 4> kChannels = {"线下", "线上", "寄递", "进出口"};
constexpr std::array<const char*, 10> kBrands = {"伊利", "蒙牛", "鄂尔多斯", "小肥羊", "耐克", "阿迪达斯", "茅台", "华为", "苹果", "恒源祥"};
constexpr std::array<const char*, 10> kNames = {"昌盛", "鑫源", "恒达", "福瑞", "宏远", "金泰", "顺通", "利民", "兴旺", "瑞丰"};
constexpr std::array<const char*, 5> kKindsOfFirm = {"商贸有限公司", "日用品店", "食品批发部", "农资经营部", "电子商务有限公司"};

std::string EnterpriseUscc(DemoRandom& random, const std::string& region) {
  std::string org8;
  for (int i = 0; i < 8; ++i) org8 += static_cast<char>('0' + random.Between(0, 9));
  std::string first17 = "91" + region + org8 + *ComputeOrgCodeCheckChar(org8);
  return first17 + *ComputeUsccCheckChar(first17);
}

std::string DateOfDay(int year, int64_t day_of_year) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int month = 0;
  while (day_of_year >= kDays[month]) day_of_year -= kDays[month++];
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month + 1, static_cast<int>(day_of_year) + 1);
  return text;
}

// Amounts below every threshold of the offence (the common case), or above
// the deciding one when `over`.
void SetAmounts(DemoRandom& random, const CategoryOffence& kind, bool over, Case& c) {
  c.illegal_business_fen = random.Between(200, 25000) * 100;
  c.sales_fen = std::min<int64_t>(c.illegal_business_fen, random.Between(100, 30000) * 100);
  c.illegal_gains_fen = c.sales_fen / random.Between(3, 8);
  c.unsold_value_fen = random.Between(0, 20000) * 100;
  c.item_count = random.Between(5, 2000);
  c.label_count = kind.metric == std::string("labels") ? random.Between(10, 5000) : 0;
  c.copies = kind.category == std::string("著作权") ? random.Between(5, 300) : 0;
  c.production_loss_fen = kind.metric == std::string("loss") ? random.Between(0, 15000) * 100 : 0;
  if (!over) return;
  std::string metric = kind.metric;
  int64_t big = random.Between(60000, 400000) * 100;
  if (metric == "sales") c.sales_fen = c.illegal_business_fen = big;
  if (metric == "business") c.illegal_business_fen = big;
  if (metric == "gains") c.illegal_gains_fen = big;
  if (metric == "labels") c.label_count = random.Between(25000, 80000);
  if (metric == "copies") c.copies = random.Between(600, 5000);
  if (metric == "loss") c.production_loss_fen = random.Between(25000, 200000) * 100;
}

}  // namespace

Result<std::vector<Case>> CaseService::SeedDemo(const Actor& actor, int year, int count) {
  CaseQuery any;
  any.page.page_size = 1;
  Result<platform::Page<Case>> existing = store_.List(any);
  if (!existing) return tl::unexpected(existing.error());
  if (existing->total > 0) return std::vector<Case>{};
  Result<std::vector<Case>> all = GenerateDemo(year, count, 20170101, "");
  if (!all) return tl::unexpected(all.error());
  RS_TRY(InsertDemo(*all, actor));
  return all;
}

Result<std::vector<Case>> CaseService::GenerateDemo(int year, int count, uint64_t seed,
                                                    const std::string& number_suffix) {
  std::vector<platform::Organization> agencies, police;
  platform::OrgQuery query;
  query.page.page_size = 200;
  for (query.page.page = 1;; ++query.page.page) {
    Result<platform::Page<platform::Organization>> page = platform_.ListOrganizations(query);
    if (!page) return tl::unexpected(page.error());
    for (const platform::Organization& org : page->items) {
      if (org.type == "agency") agencies.push_back(org);
      if (org.type == "police") police.push_back(org);
    }
    if (page->items.empty() || query.page.page * 200 >= page->total) break;
  }
  if (agencies.empty()) return Fail(ErrorCode::kFailedPrecondition, "没有执法机构，请先载入机构", "organizations");
  DemoRandom random(seed);
  std::map<std::string, int> sequence;
  std::vector<Case> all;
  for (int index = 0; index < count; ++index) {
    const platform::Organization& org = agencies[random.Next() % agencies.size()];
    const CategoryOffence& kind = random.Pick(kKinds);
    bool over = index % 100 == 37;  // about 1 %
    Case c;
    c.id = ids_.Next();
    c.org_id = org.id;
    c.region_code = org.region_code;
    c.case_number = org.code + "-" + std::to_string(year) + "-" +
                    std::to_string(100000 + ++sequence[org.code]).substr(1) + number_suffix;
    c.category = kind.category;
    if (const char* tag = random.Pick(kTags); *tag != 0) c.tags = {tag};
    c.channel = random.Between(0, 9) < 6 ? "线下" : random.Pick(kChannels);
    c.brand = random.Pick(kBrands);
    c.goods.push_back({std::string(kind.category) + "涉案商品", c.brand, "", "", "",
                       static_cast<double>(random.Between(10, 500)), "件", 0});
    std::string firm = std::string(random.Pick(kNames)) + random.Pick(kKindsOfFirm);
    c.title = firm + "涉嫌" + (kind.offence[0] != 0 ? std::string(kind.category) + "违法" : "违法经营") + "案";
    c.parties.push_back({"enterprise", firm, EnterpriseUscc(random, org.region_code), "", ""});
    c.offence = kind.offence;
    int64_t day = random.Between(0, 364);
    c.opened_on = DateOfDay(year, day);
    c.offence_date = DateOfDay(year, std::max<int64_t>(0, day - random.Between(5, 60)));
    SetAmounts(random, kind, over, c);
    c.suspects = random.Between(1, 4);
    c.dens_destroyed = random.Between(0, 9) == 0 ? 1 : 0;
    c.status = random.Between(0, 9) < 8 ? "结案" : random.Pick(std::array<const char*, 4>{"立案", "调查", "审核", "执行"});
    if (c.status == "结案" || c.status == "执行") {
      c.decided_on = DateOfDay(year, std::min<int64_t>(364, day + random.Between(10, 60)));
      c.penalty_type = "罚款、没收违法所得";
      c.fine_fen = random.Between(1, 100) * 10000;
      c.confiscated_fen = c.illegal_gains_fen;
      if (c.status == "结案") c.closed_on = c.decided_on;
    }
    c.created_by = 0;
    c.created_at = c.updated_at = c.opened_on + "T02:00:00.000Z";
    Evaluate(c);
    if (c.should_transfer && index % 300 != 37) {
      // Most cases over a threshold went to the police and on to court.
      const platform::Organization* station = nullptr;
      for (const platform::Organization& p : police) {
        if (p.region_code == org.region_code) station = &p;
      }
      if (station == nullptr && !police.empty()) station = &police.front();
      c.police_org_id = station != nullptr ? station->id : 0;
      c.transferred_on = c.opened_on;
      c.transfer_status = index % 200 == 37 ? "已移送" : "已立案";
      if (c.transfer_status == "已移送") {
        c.timers.push_back({"police_decide", "公安机关决定立案或不予立案", c.created_at,
                            c.opened_on + "T15:59:59.999Z", "", "国务院令第730号第八条", "3 日（自然日）"});
      } else {
        c.arrested_persons = c.suspects;
        c.prosecuted_persons = c.suspects;
        c.court_accepted = true;
        c.court_concluded = index % 2 == 1;
        c.convicted_persons = c.court_concluded ? c.suspects : 0;
      }
    }
    all.push_back(std::move(c));
  }
  return all;
}

}  // namespace redshield::cases
