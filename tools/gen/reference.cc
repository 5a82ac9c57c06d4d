#include "tools/gen/reference.h"

#include <fmt/core.h>

#include <algorithm>
#include <span>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "events/codes.h"
#include "tools/gen/business_time.h"

namespace ledger::gen {
namespace {

struct NamedCode {
  const char* code;
  const char* name;
};

constexpr std::array<NamedCode, 16> kDistricts = {{
    {"310101", "黄浦区"},
    {"310104", "徐汇区"},
    {"310105", "长宁区"},
    {"310106", "静安区"},
    {"310107", "普陀区"},
    {"310109", "虹口区"},
    {"310110", "杨浦区"},
    {"310112", "闵行区"},
    {"310113", "宝山区"},
    {"310114", "嘉定区"},
    {"310115", "浦东新区"},
    {"310116", "金山区"},
    {"310117", "松江区"},
    {"310118", "青浦区"},
    {"310120", "奉贤区"},
    {"310151", "崇明区"},
}};

constexpr const char* kCityFinance = "310000-0007";
constexpr std::array<NamedCode, 9> kCityUnits = {{
    {"0011", "上海市教育委员会"},
    {"0015", "上海市卫生健康委员会"},
    {"0003", "上海市公安局"},
    {"0023", "上海市交通委员会"},
    {"0034", "上海市市场监督管理局"},
    {"0046", "上海市绿化和市容管理局"},
    {"0121", "上海图书馆"},
    {"0156", "上海市第一人民医院"},
    {"0188", "上海市大数据中心"},
}};
// District units, named "上海市<district><name>"; 0001 is the finance bureau.
constexpr std::array<NamedCode, 11> kDistrictUnits = {{
    {"0042", "教育局"},
    {"0051", "卫生健康委员会"},
    {"0108", "人民医院"},
    {"0063", "城市管理行政执法局"},
    {"0027", "民政局"},
    {"0135", "图书馆"},
    {"0211", "第一中学"},
    {"0236", "实验小学"},
    {"0078", "规划和自然资源局"},
    {"0085", "生态环境局"},
    {"0093", "科学技术委员会"},
}};

constexpr std::array<const char*, 22> kNamePrefixes = {
    "浦江", "申城", "东方", "华东", "金桥", "张江", "临港", "虹桥", "外滩", "明珠", "长江",
    "松江", "嘉定", "宝山", "闵行", "徐汇", "静安", "黄浦", "杨浦", "普陀", "青浦", "奉贤"};
constexpr std::array<const char*, 20> kNameMiddles = {
    "华信", "恒通", "瑞达", "博远", "汇智", "鼎盛", "天成", "宏图", "振华", "启明",
    "安达", "永昌", "锦程", "联创", "卓越", "协力", "嘉禾", "润泽", "晨曦", "景和"};
constexpr std::array<const char*, 8> kGoodsTrades = {
    "信息技术", "数码科技", "办公设备", "医疗器械", "科学仪器", "家具", "汽车销售", "机电设备"};
constexpr std::array<const char*, 6> kWorksTrades = {"建设工程",     "建筑装饰工程", "市政工程",
                                                     "园林绿化工程", "机电安装工程", "消防工程"};
constexpr std::array<const char*, 8> kServicesTrades = {
    "物业管理", "软件", "信息系统", "保安服务", "企业管理咨询", "工程咨询", "餐饮管理", "会务服务"};

std::span<const char* const> TradesOf(Sector s) {
  static constexpr std::array<std::span<const char* const>, kSectorCount> kBySector = {
      kGoodsTrades, kWorksTrades, kServicesTrades};
  return kBySector[static_cast<size_t>(s)];
}

// Scales of suppliers after the first twelve: 2 large, 5 medium, 8 small and
// 5 micro in every 20, i.e. 10% / 25% / 40% / 25%.
constexpr std::array<fb::Scale, 20> kScaleCycle = {
    fb::Scale::small,  fb::Scale::micro,  fb::Scale::medium, fb::Scale::small, fb::Scale::large,
    fb::Scale::small,  fb::Scale::micro,  fb::Scale::medium, fb::Scale::small, fb::Scale::small,
    fb::Scale::micro,  fb::Scale::medium, fb::Scale::small,  fb::Scale::large, fb::Scale::micro,
    fb::Scale::medium, fb::Scale::small,  fb::Scale::small,  fb::Scale::micro, fb::Scale::medium};

// GB 32100-2015 alphabet: digits and capitals without I, O, S, V, Z.
constexpr std::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// Registers the reference data, one event after the other.
class Registrar {
 public:
  Registrar(uint64_t chains, Rng& rng, Output& out, int64_t& t)
      : chains_(chains), rng_(rng), out_(out), t_(t) {}

  ReferenceData Run();

 private:
  void AddUnit(std::string code, std::string name, std::string region, const std::string& parent);
  void AddSupplier(size_t i);

  const uint64_t chains_;
  Rng& rng_;
  Output& out_;
  int64_t& t_;
  ReferenceData ref_;
  std::array<uint64_t, kSectorCount> name_offset_{};
  std::array<uint64_t, kSectorCount> named_{};
  std::unordered_set<std::string> credit_codes_;
};

ReferenceData Registrar::Run() {
  AddUnit(kCityFinance, "上海市财政局", "310000", "");
  std::array<size_t, kCityUnits.size()> city{};
  for (size_t i = 0; i < city.size(); ++i) city[i] = i;
  // A random subset: the first n of a partial Fisher-Yates shuffle.
  auto take = [&](auto& idx, size_t n) {
    for (size_t i = 0; i < n; ++i) std::swap(idx[i], idx[i + rng_.Index(idx.size() - i)]);
  };
  size_t n_city = rng_.Between(4, 6);
  take(city, n_city);
  for (size_t i = 0; i < n_city; ++i) {
    const NamedCode& u = kCityUnits[city[i]];
    AddUnit(fmt::format("310000-{}", u.code), u.name, "310000", "");
  }
  for (const NamedCode& d : kDistricts) {
    std::string finance = fmt::format("{}-0001", d.code);
    AddUnit(finance, fmt::format("上海市{}财政局", d.name), d.code, kCityFinance);
    std::array<size_t, kDistrictUnits.size()> idx{};
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    size_t n = rng_.Between(2, 4);
    take(idx, n);
    for (size_t i = 0; i < n; ++i) {
      const NamedCode& u = kDistrictUnits[idx[i]];
      AddUnit(fmt::format("{}-{}", d.code, u.code), fmt::format("上海市{}{}", d.name, u.name),
              d.code, finance);
    }
  }

  for (auto& offset : name_offset_) offset = rng_.Next();
  size_t n_suppliers = std::max<uint64_t>(20, chains_ / 5);
  for (size_t i = 0; i < n_suppliers; ++i) AddSupplier(i);

  for (const Category& c : CategoriesOf(Sector::kGoods)) {
    t_ += kMinute * rng_.Int(1, 3);
    out_.Push(t_, fb::Payload::ConfigStandardSet, "finance:310000", "",
              Object({{"category", c.code},
                      {"max_unit_price_fen", MaxUnitPrice(c)},
                      {"max_quantity", c.max_quantity}}));
  }
  return std::move(ref_);
}

void Registrar::AddUnit(std::string code, std::string name, std::string region,
                        const std::string& parent) {
  t_ += kMinute * rng_.Int(1, 5);
  Json data = Object({{"unit_code", code}, {"name", name}, {"region", region}});
  if (!parent.empty()) data["parent_unit"] = parent;
  out_.Push(t_, fb::Payload::UnitRegistered, "finance:310000", "", data);
  if (code.ends_with("-0001") || code == kCityFinance) {
    ref_.units.push_back({std::move(code), std::move(name), std::move(region)});
  } else {
    ref_.buyers.push_back(ref_.units.size());
    ref_.units.push_back({std::move(code), std::move(name), std::move(region)});
  }
}

void Registrar::AddSupplier(size_t i) {
  // The first twelve cover every sector and scale, so that every sector has
  // bidders of each kind; then scales cycle, sectors are drawn.
  Sector sector;
  fb::Scale scale;
  if (i < 12) {
    sector = static_cast<Sector>(i / 4);
    scale = static_cast<fb::Scale>(static_cast<size_t>(fb::Scale::MIN) + i % 4);
  } else {
    sector = static_cast<Sector>(rng_.Weighted(std::array<int, 3>{45, 20, 35}));
    scale = kScaleCycle[(i - 12) % kScaleCycle.size()];
  }
  size_t s = static_cast<size_t>(sector);
  // Sole proprietorships (个体工商户, organization type 2) among micro suppliers.
  bool individual = scale == fb::Scale::micro && sector != Sector::kWorks && rng_.Chance(0.4);

  // Credit code: registration authority 9 (market regulation), organization
  // type, the district of registration, a 9-character organization code,
  // and the GB 32100-2015 check character.
  std::string code;
  do {
    code = individual ? "92" : "91";
    code += rng_.Pick(kDistricts).code;
    code += "MA";
    for (int j = 0; j < 7; ++j) code += kCreditAlphabet[rng_.Index(kCreditAlphabet.size())];
    code += events::CreditCodeCheckChar(code);
  } while (!credit_codes_.insert(code).second);

  // Names: prefix x middle x trade, enumerated through a stride coprime to
  // their product so that a sector's first thousands of names are distinct.
  auto trades = TradesOf(sector);
  const uint64_t combos = kNamePrefixes.size() * kNameMiddles.size() * trades.size();
  uint64_t k = (named_[s]++ * 1009 + name_offset_[s]) % combos;
  std::string name =
      fmt::format("上海{}{}", kNamePrefixes[k / trades.size() % kNamePrefixes.size()],
                  kNameMiddles[k / trades.size() / kNamePrefixes.size()]);
  if (individual) {
    name += sector == Sector::kGoods ? "电子产品经营部" : "商务服务部";
  } else {
    name += trades[k % trades.size()];
    switch (scale) {
      case fb::Scale::large:
        name += rng_.Chance(0.5) ? "集团有限公司" : "股份有限公司";
        break;
      case fb::Scale::medium:
        name += rng_.Chance(0.3) ? "股份有限公司" : "有限公司";
        break;
      default:
        name += "有限公司";
    }
  }

  t_ += kMinute * rng_.Int(1, 3);
  out_.Push(t_, fb::Payload::SupplierRegistered, "finance:310000", "",
            Object({{"credit_code", code},
                    {"name", name},
                    {"scale", fb::EnumNameScale(scale)},
                    {"e_licence_verified", rng_.Chance(0.9)}}));
  ref_.by_sector[s].push_back(ref_.suppliers.size());
  if (IsSmallOrMicro(scale)) ref_.sme_by_sector[s].push_back(ref_.suppliers.size());
  ref_.suppliers.push_back({std::move(code), scale, sector});
}

}  // namespace

ReferenceData MakeReferenceData(uint64_t chains, Rng& rng, Output& out, int64_t* t) {
  return Registrar(chains, rng, out, *t).Run();
}

}  // namespace ledger::gen
