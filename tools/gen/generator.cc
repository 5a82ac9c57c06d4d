#include "tools/gen/generator.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "events/codes.h"

namespace ledger::core {
namespace {

using Json = nlohmann::ordered_json;  // keeps fields in the order written

// Object({{"k1", v1}, {"k2", v2}, ...}): a JSON object with the fields in the
// order given. Faster than Json's own initializer lists, which build a
// temporary array per field; like them, evaluates the values in order.
struct Field {
  const char* key;
  Json value;
};
Json Object(std::initializer_list<Field> fields) {
  Json j = Json::object();
  auto& members = static_cast<Json::object_t::Container&>(j.get_ref<Json::object_t&>());
  members.reserve(fields.size());
  for (const Field& f : fields) members.emplace_back(f.key, f.value);  // keys are distinct
  return j;
}

// ---------------------------------------------------------------------------
// Randomness: xoshiro256** seeded through splitmix64. The standard library's
// distributions differ between implementations; this is the same everywhere.

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& word : s_) word = SplitMix64(seed);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [lo, hi]. The modulo bias is negligible for the ranges used.
  uint64_t Between(uint64_t lo, uint64_t hi) { return lo + Next() % (hi - lo + 1); }
  int Int(int lo, int hi) {
    return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  size_t Index(size_t n) { return static_cast<size_t>(Next() % n); }
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }

  template <typename Container>
  const auto& Pick(const Container& c) {
    return c[Index(std::size(c))];
  }
  // An index drawn with the given weights.
  template <size_t N>
  size_t Weighted(const std::array<int, N>& weights) {
    int total = 0;
    for (int w : weights) total += w;
    int x = Int(0, total - 1);
    for (size_t i = 0; i < N; ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return N - 1;
  }

 private:
  static uint64_t SplitMix64(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::array<uint64_t, 4> s_;
};

// ---------------------------------------------------------------------------
// Business time: seconds since 1970-01-01T00:00 of Shanghai local time, which
// is UTC+08:00 all year, so every time is printed with "+08:00".

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct CivilDate {
  int64_t year;
  int month;
  int day;
};

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

int64_t DayOf(int64_t t) { return t / kDay; }  // times are all after 1970
int Year(int64_t t) { return static_cast<int>(CivilFromDays(DayOf(t)).year); }

std::string FormatDate(int64_t t) {
  CivilDate c = CivilFromDays(DayOf(t));
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

std::string FormatTime(int64_t t) {
  int64_t s = t % kDay;
  return fmt::format("{}T{:02}:{:02}:{:02}+08:00", FormatDate(t), s / kHour, s % kHour / kMinute,
                     s % kMinute);
}

// The day itself, or the Monday after it when it falls on a weekend.
int64_t WorkingDay(int64_t day) {
  int64_t weekday = (day + 4) % 7;  // 1970-01-01 was a Thursday; 0 is Sunday
  if (weekday == 6) return day + 2;
  if (weekday == 0) return day + 1;
  return day;
}

// ---------------------------------------------------------------------------
// The catalog (政府采购品目分类目录): categories with specs, a mean unit price
// around which prices scatter, and for goods the configuration standard's
// quantity limit per demand.

enum class Sector : uint8_t { kGoods, kWorks, kServices };
enum class Scale : uint8_t { kLarge, kMedium, kSmall, kMicro };

const char* ScaleName(Scale s) {
  static constexpr std::array<const char*, 4> kNames = {"large", "medium", "small", "micro"};
  return kNames[static_cast<size_t>(s)];
}
bool IsSmallOrMicro(Scale s) { return s == Scale::kSmall || s == Scale::kMicro; }

struct Category {
  const char* code;
  const char* name;
  std::array<const char*, 3> specs;
  uint64_t mean_unit_price_fen;
  uint32_t max_quantity;  // goods: per demand (configuration standard); others: 1
  bool importable;        // goods that units do import (instruments, medical devices)
};

constexpr std::array<Category, 14> kGoods = {{
    {"A02010104",
     "台式计算机",
     {"台式计算机 i5/16G/512G", "台式计算机 i7/32G/1T", "台式计算机 国产CPU/16G/512G"},
     560000,
     60,
     false},
    {"A02010105",
     "便携式计算机",
     {"便携式计算机 i5/16G/512G 14英寸", "便携式计算机 i7/32G/1T 16英寸",
      "便携式计算机 国产CPU/16G/512G"},
     720000,
     40,
     false},
    {"A02010103",
     "服务器",
     {"机架式服务器 2路/256G/4×1.92T", "机架式服务器 2路/512G/8×3.84T",
      "国产机架式服务器 2路/256G"},
     6500000,
     10,
     false},
    {"A02010202",
     "交换机",
     {"千兆接入交换机 48口", "万兆核心交换机 模块化", "PoE交换机 24口"},
     1200000,
     30,
     false},
    {"A02021003",
     "激光打印机",
     {"A4黑白激光打印机 双面/网络", "A4彩色激光打印机", "A3黑白激光打印机"},
     260000,
     30,
     false},
    {"A02020400",
     "多功能一体机",
     {"A3彩色多功能一体机 复印/打印/扫描", "A3黑白多功能一体机", "A4彩色多功能一体机"},
     3200000,
     10,
     false},
    {"A02061804",
     "空调机",
     {"分体壁挂式空调 1.5匹 一级能效", "立柜式空调 3匹 一级能效", "多联机室内机 2.8kW"},
     550000,
     50,
     false},
    {"A02091101",
     "投影仪",
     {"激光投影仪 5000流明", "短焦激光投影仪 3600流明", "激光工程投影机 10000流明"},
     1100000,
     20,
     false},
    {"A06010100",
     "办公桌",
     {"钢木办公桌 1.6m", "实木办公桌 1.8m", "四人位组合办公桌"},
     220000,
     80,
     false},
    {"A06030100", "办公椅", {"人体工学网椅", "会议椅 皮面", "培训椅 带写字板"}, 90000, 120, false},
    {"A02030500",
     "乘用车",
     {"纯电动轿车 续航500km", "插电混动SUV 7座", "纯电动商务车 7座"},
     19000000,
     3,
     false},
    {"A02100301",
     "扫描电子显微镜",
     {"场发射扫描电子显微镜", "台式扫描电子显微镜", "钨灯丝扫描电子显微镜"},
     150000000,
     2,
     true},
    {"A02322300",
     "彩色超声诊断仪",
     {"全身应用彩色多普勒超声诊断仪", "便携式彩色超声诊断仪", "心血管专用彩色超声诊断仪"},
     90000000,
     3,
     true},
    {"A02100407",
     "液相色谱仪",
     {"高效液相色谱仪", "超高效液相色谱-质谱联用仪", "离子色谱仪"},
     60000000,
     3,
     true},
}};

constexpr std::array<Category, 12> kWorks = {{
    {"B07010000",
     "装修工程",
     {"办公楼室内装修改造工程（约2000平方米）", "会议中心装饰装修工程", "档案室改造装修工程"},
     350000000,
     1,
     false},
    {"B01010000",
     "房屋建筑工程",
     {"教学楼新建工程（5层）", "社区卫生服务中心新建工程", "养老服务中心新建工程"},
     2800000000,
     1,
     false},
    {"B02010000",
     "市政道路工程",
     {"市政道路大修工程（1.2公里）", "人行道及非机动车道改造工程", "道路交通标志标线工程"},
     1600000000,
     1,
     false},
    {"B03020000",
     "桥梁及河道工程",
     {"桥梁维修加固工程", "人行天桥加装电梯工程", "河道护岸整治工程"},
     900000000,
     1,
     false},
    {"B04010000",
     "给排水工程",
     {"雨污水管网改造工程", "二次供水设施改造工程", "老旧小区排水系统改造工程"},
     600000000,
     1,
     false},
    {"B05010000",
     "机电安装工程",
     {"中央空调系统更新改造工程", "变配电系统改造工程", "电梯更新工程（4台）"},
     420000000,
     1,
     false},
    {"B06010000",
     "智能化工程",
     {"建筑智能化系统工程", "安防监控系统改造工程", "综合布线及机房改造工程"},
     280000000,
     1,
     false},
    {"B06020000",
     "消防工程",
     {"消防设施改造工程", "自动喷淋系统改造工程", "消防控制室改造工程"},
     180000000,
     1,
     false},
    {"B07020000",
     "修缮工程",
     {"外立面修缮工程", "屋面防水及保温改造工程", "历史建筑保护修缮工程"},
     480000000,
     1,
     false},
    {"B08010000",
     "园林绿化工程",
     {"公园绿化景观提升工程", "街心花园改造工程", "校园绿化改造工程"},
     150000000,
     1,
     false},
    {"B09010000",
     "拆除工程",
     {"危旧房屋拆除工程", "临时建筑拆除及场地平整工程", "围墙拆除重建工程"},
     60000000,
     1,
     false},
    {"B01020000",
     "体育设施工程",
     {"体育馆改建工程", "学校操场塑胶跑道改造工程", "社区健身步道建设工程"},
     750000000,
     1,
     false},
}};

constexpr std::array<Category, 13> kServices = {{
    {"C16020000",
     "软件开发服务",
     {"政务服务平台二期开发", "数据共享交换平台建设", "业务管理系统升级开发"},
     280000000,
     1,
     false},
    {"C16070000",
     "运行维护服务",
     {"信息系统年度运维服务", "数据中心年度运维服务", "网络安全运营服务（一年）"},
     90000000,
     1,
     false},
    {"C16060000",
     "信息安全服务",
     {"网络安全等级保护测评服务", "商用密码应用安全性评估服务", "渗透测试服务"},
     18000000,
     1,
     false},
    {"C21040000",
     "物业管理服务",
     {"办公楼物业管理服务（一年）", "学校物业管理服务（一年）", "医院物业管理服务（一年）"},
     360000000,
     1,
     false},
    {"C21040200",
     "保洁服务",
     {"办公区域保洁服务（一年）", "公共区域深度保洁服务", "医院保洁服务（一年）"},
     80000000,
     1,
     false},
    {"C23120000",
     "安保服务",
     {"安保服务（一年，12人）", "大型活动安保服务", "校园安保服务（一年）"},
     120000000,
     1,
     false},
    {"C18010000",
     "审计服务",
     {"年度财务审计服务", "专项资金绩效评价服务", "竣工决算审计服务"},
     30000000,
     1,
     false},
    {"C18020000",
     "法律服务",
     {"常年法律顾问服务", "政府信息公开法律咨询服务", "合同审查法律服务"},
     20000000,
     1,
     false},
    {"C20010000",
     "工程咨询服务",
     {"工程监理服务", "工程造价咨询服务", "项目管理咨询服务"},
     60000000,
     1,
     false},
    {"C20020000",
     "工程设计服务",
     {"建筑工程设计服务", "景观设计服务", "室内装饰设计服务"},
     150000000,
     1,
     false},
    {"C22040000",
     "会议和展览服务",
     {"年度工作会议会务服务", "学术论坛会务服务", "成果展览展示服务"},
     15000000,
     1,
     false},
    {"C09010000",
     "培训服务",
     {"干部教育培训服务", "专业技术人员继续教育服务", "信息化技能培训服务"},
     25000000,
     1,
     false},
    {"C23040000",
     "餐饮服务",
     {"机关食堂托管服务（一年）", "学校食堂托管服务（一年）", "医院营养餐配送服务"},
     200000000,
     1,
     false},
}};

std::span<const Category> CategoriesOf(Sector s) {
  switch (s) {
    case Sector::kGoods:
      return kGoods;
    case Sector::kWorks:
      return kWorks;
    case Sector::kServices:
      break;
  }
  return kServices;
}

// The configuration standard of a goods category: 1.5 x its mean unit price,
// above every generated legal price (mean + 20%).
uint64_t MaxUnitPrice(const Category& c) { return c.mean_unit_price_fen * 3 / 2; }

// ---------------------------------------------------------------------------
// Units, suppliers and the text that makes the chains read like real ones.

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
  switch (s) {
    case Sector::kGoods:
      return kGoodsTrades;
    case Sector::kWorks:
      return kWorksTrades;
    case Sector::kServices:
      break;
  }
  return kServicesTrades;
}

// Scales of suppliers after the first twelve: 2 large, 5 medium, 8 small and
// 5 micro in every 20, i.e. 10% / 25% / 40% / 25%.
constexpr std::array<Scale, 20> kScaleCycle = {
    Scale::kSmall,  Scale::kMicro,  Scale::kMedium, Scale::kSmall, Scale::kLarge,
    Scale::kSmall,  Scale::kMicro,  Scale::kMedium, Scale::kSmall, Scale::kSmall,
    Scale::kMicro,  Scale::kMedium, Scale::kSmall,  Scale::kLarge, Scale::kMicro,
    Scale::kMedium, Scale::kSmall,  Scale::kSmall,  Scale::kMicro, Scale::kMedium};

// GB 32100-2015 alphabet: digits and capitals without I, O, S, V, Z.
constexpr std::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

constexpr std::array<const char*, 12> kPeople = {"王敏", "李强", "张伟", "刘洋", "陈静", "杨帆",
                                                 "赵磊", "黄丽", "周杰", "吴芳", "徐明", "孙婷"};
constexpr std::array<const char*, 3> kDepositReasons = {"闲置：原机房撤并", "闲置：机构调整后富余",
                                                        "闲置：项目结束后收回"};
constexpr std::array<const char*, 4> kComplaintClaims = {
    "中标人报价明显低于成本，可能影响履约", "评审因素设置具有倾向性", "小微企业价格扣除计算有误",
    "评标委员会未按招标文件规定的评审标准评审"};
constexpr std::array<const char*, 3> kFindingTexts = {
    "合同金额、验收金额与付款金额一致，按验收结果付款", "验收记录完整，资产已登记入账",
    "付款进度与验收进度匹配，未发现超付"};

struct SectorText {
  const char* justification;
  const char* acceptance_criteria;
  const char* acceptance_standard;
  const char* acceptance_method;
};

const SectorText& TextOf(Sector s) {
  static constexpr std::array<SectorText, 3> kText = {{
      {"现有设备超过使用年限，经内部调剂后仍有缺口", "逐台开箱检验，性能与配置符合采购需求技术参数",
       "招标文件技术参数及相关国家标准", "到货后逐台开箱检验并运行测试"},
      {"房屋及设施老化，经安全评估需改造", "符合施工图设计文件及国家工程质量验收规范",
       "施工图设计文件及《建筑工程施工质量验收统一标准》", "分部分项验收及竣工验收"},
      {"原服务合同到期，需重新采购", "服务内容与考核指标符合采购需求", "采购需求服务标准及考核指标",
       "按季度考核，期末综合验收"},
  }};
  return kText[static_cast<size_t>(s)];
}

// Procurement methods and their weights per sector; the tender period
// (publication to deadline) in days per method.
constexpr std::array<const char*, 6> kMethods = {
    "public_tender", "invitational", "competitive_negotiation", "competitive_consultation",
    "inquiry",       "single_source"};
constexpr size_t kSingleSource = 5;
constexpr std::array<std::array<int, 6>, 3> kMethodWeights = {{
    {45, 5, 10, 15, 20, 5},  // goods
    {60, 5, 15, 20, 0, 0},   // works
    {50, 0, 10, 25, 5, 10},  // services
}};
constexpr std::array<std::pair<int, int>, 6> kTenderDays = {
    {{20, 30}, {20, 25}, {3, 7}, {10, 15}, {3, 7}, {3, 5}}};

uint64_t RoundDown(uint64_t x, uint64_t unit) { return x / unit * unit; }

// The evaluated price of a bid: small and micro suppliers get the tender's
// price deduction, rounded down to the fen.
uint64_t EvaluatedPrice(uint64_t price, Scale scale, int pct) {
  return IsSmallOrMicro(scale) ? price * static_cast<uint64_t>(100 - pct) / 100 : price;
}

// ---------------------------------------------------------------------------

struct Unit {
  std::string code;
  std::string name;
  std::string region;
};

struct Supplier {
  std::string credit_code;
  Scale scale;
  Sector sector;
};

struct Bid {
  std::string id;
  size_t supplier;
  uint64_t unit_price;
  uint64_t price;
  uint64_t evaluated;
};

// The rules, by number.
enum Rule : int { kR1 = 1, kR2, kR3, kR4, kR5, kR6, kR7, kR8, kR9, kR10, kR11, kR12 };

// One chain in the making: what later steps need of earlier ones.
struct Chain {
  std::string tag;  // "<seed>-<k>": every entity id of the chain ends with it
  std::string corr;
  int64_t t = 0;                      // business time of the chain's latest event
  int rule = 0;                       // the rule its extra event breaks; 0: none
  int variant = 0;                    // which way it breaks it
  bool may_be_met_from_stock = true;  // may end at the warehouse pre-query
  bool may_be_rejected = true;        // may end at the budget decision

  const Unit* unit = nullptr;
  std::string actor;   // unit:<code>
  std::string agency;  // agency:<region>-A<nn>
  Sector sector = Sector::kGoods;
  const Category* cat = nullptr;
  std::string spec;
  uint32_t quantity = 0;  // demanded
  uint32_t need = 0;      // still needed after warehouse allocations
  uint64_t est_price = 0;
  bool imported = false;

  int asset_no = 0;
  std::vector<std::string> matched;  // warehouse assets the pre-query finds
  std::string in_use_asset;          // an inventoried asset never deposited

  std::string demand_id, line_id, project_id, contract_id;
  uint64_t approved = 0;
  uint64_t required = 0;
  int pct = 0;
  std::vector<Bid> bids;
  size_t winner = 0;
  uint64_t amount = 0;  // the contract's current amount
};

// A generated event waiting for its turn in time order: its JSON line, but
// for the event id, which is given in output order at `id_at`.
struct Pending {
  int64_t time;
  uint64_t seq;  // generation order: breaks ties, so a chain keeps its order
  std::string line;
  size_t id_at;
  int rule;  // the rule it is meant to break; 0: none
};

// The events of one chain (or of the reference data) in generation order,
// which is also their time order.
struct Queue {
  std::vector<Pending> events;
  size_t next = 0;
};

// The next event of a queue, in the heap that merges the queues by time.
struct Head {
  int64_t time;
  uint64_t seq;
  uint32_t queue;
};

struct LaterFirst {
  bool operator()(const Head& a, const Head& b) const {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  }
};

// Appends `s` as a JSON string.
void AppendQuoted(std::string& out, std::string_view s) {
  out += '"';
  if (std::none_of(s.begin(), s.end(), [](char ch) {
        return ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20;
      })) {
    out += s;  // the usual case: nothing to escape
    out += '"';
    return;
  }
  for (char ch : s) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(ch));
    } else {
      out += ch;
    }
  }
  out += '"';
}

class Generator {
 public:
  Generator(const GeneratorOptions& opts, const std::function<void(const std::string&)>& emit,
            GeneratorStats* stats)
      : opts_(opts), emit_(emit), stats_(stats), rng_(opts.seed) {}

  void Run();

 private:
  void ReferenceData(int64_t* t);
  void AddUnit(int64_t* t, std::string code, std::string name, std::string region,
               const std::string& parent);
  void AddSupplier(int64_t* t, size_t i);

  void NewChain(uint64_t k, int64_t start);
  void Inventory(Chain& c);
  void Demand(Chain& c);
  bool Warehouse(Chain& c);
  bool Budget(Chain& c);
  void Requirement(Chain& c);
  void Tender(Chain& c);
  void Complaint(Chain& c);
  void Contract(Chain& c);
  void Execution(Chain& c);

  std::string NewAsset(Chain& c, const std::string& owner, const Category& cat, const char* status,
                       bool deposit);
  Json DemandData(const Chain& c, const std::string& id, const Category& cat,
                  const std::string& spec, uint32_t quantity, uint64_t price, bool checked) const;
  Json BudgetData(const Chain& c, const std::string& id, uint64_t amount) const;
  Json ContractData(const Chain& c, const std::string& id, const std::string& credit_code,
                    uint32_t quantity, const char* standard, const char* method) const;
  Json PaymentData(const std::string& id, const std::string& contract, const std::string& acc,
                   uint64_t amount) const;
  size_t PickSupplier(const Chain& c, bool sme_only, const std::vector<Bid>& exclude);
  std::string Inspector();

  // Moves the chain's clock to a working time `min_days`..`max_days` later
  // (0 days: minutes later).
  void Advance(Chain& c, int min_days, int max_days);
  void Push(int64_t time, const char* type, std::string actor, const std::string& corr,
            const Json& data, int rule = 0);
  void PushChain(const Chain& c, const char* type, const std::string& actor, const Json& data,
                 int rule = 0) {
    Push(c.t, type, actor, c.corr, data, rule);
  }
  void OpenQueue();
  void CloseQueue();
  // Emits, in time order, every pending event at or before `limit`.
  void Release(int64_t limit);

  std::string Id(const char* kind, const Chain& c, std::string_view suffix = "") const {
    return fmt::format("{}-{}{}", kind, c.tag, suffix);
  }

  const GeneratorOptions& opts_;
  const std::function<void(const std::string&)>& emit_;
  GeneratorStats* stats_;
  Rng rng_;

  std::vector<Unit> units_;
  std::vector<size_t> buyers_;  // units that procure (not the finance bureaus)
  std::vector<Supplier> suppliers_;
  std::array<std::vector<size_t>, 3> by_sector_;
  std::array<std::vector<size_t>, 3> sme_by_sector_;
  std::array<uint64_t, 3> name_offset_{};
  std::array<uint64_t, 3> named_{};
  std::unordered_set<std::string> credit_codes_;

  // Generated events wait in per-chain queues until no event generated later
  // can come before them; Release merges the queues in (time, seq) order.
  std::vector<Queue> queues_;
  std::vector<uint32_t> free_queues_;
  uint32_t open_queue_ = 0;  // the queue Push appends to
  std::vector<Head> heads_;  // a heap: the earliest first
  uint64_t seq_ = 0;
  uint64_t event_no_ = 0;
  uint64_t violations_ = 0;
};

void Generator::Run() {
  int64_t t = DaysFromCivil(2025, 1, 2) * kDay + 9 * kHour;
  OpenQueue();
  ReferenceData(&t);
  CloseQueue();
  // Chains start hours apart: about two years of procurement for a thousand
  // chains or less, one an hour for large runs (which then span years).
  const uint64_t span = 2 * 365 * kDay;
  const int64_t gap = static_cast<int64_t>(
      std::clamp<uint64_t>(span / std::max<uint64_t>(opts_.chains, 1), kHour, 2 * kDay));
  int64_t start = WorkingDay(DayOf(t) + 3) * kDay + 9 * kHour;
  for (uint64_t k = 1; k <= opts_.chains; ++k) {
    Release(start);  // every later event is at `start` or after it
    OpenQueue();
    NewChain(k, start);
    CloseQueue();
    start += rng_.Int(static_cast<int>(gap / 2), static_cast<int>(gap * 3 / 2));
  }
  Release(std::numeric_limits<int64_t>::max());
}

// ---- reference data ---------------------------------------------------------

void Generator::ReferenceData(int64_t* t) {
  AddUnit(t, kCityFinance, "上海市财政局", "310000", "");
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
    AddUnit(t, fmt::format("310000-{}", u.code), u.name, "310000", "");
  }
  for (const NamedCode& d : kDistricts) {
    std::string finance = fmt::format("{}-0001", d.code);
    AddUnit(t, finance, fmt::format("上海市{}财政局", d.name), d.code, kCityFinance);
    std::array<size_t, kDistrictUnits.size()> idx{};
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    size_t n = rng_.Between(2, 4);
    take(idx, n);
    for (size_t i = 0; i < n; ++i) {
      const NamedCode& u = kDistrictUnits[idx[i]];
      AddUnit(t, fmt::format("{}-{}", d.code, u.code), fmt::format("上海市{}{}", d.name, u.name),
              d.code, finance);
    }
  }

  for (auto& offset : name_offset_) offset = rng_.Next();
  size_t n_suppliers = std::max<uint64_t>(20, opts_.chains / 5);
  for (size_t i = 0; i < n_suppliers; ++i) AddSupplier(t, i);

  for (const Category& c : kGoods) {
    *t += kMinute * rng_.Int(1, 3);
    Push(*t, "ConfigStandardSet", "finance:310000", "",
         Object({{"category", c.code},
                 {"max_unit_price_fen", MaxUnitPrice(c)},
                 {"max_quantity", c.max_quantity}}));
  }
}

void Generator::AddUnit(int64_t* t, std::string code, std::string name, std::string region,
                        const std::string& parent) {
  *t += kMinute * rng_.Int(1, 5);
  Json data = Object({{"unit_code", code}, {"name", name}, {"region", region}});
  if (!parent.empty()) data["parent_unit"] = parent;
  Push(*t, "UnitRegistered", "finance:310000", "", data);
  if (code.ends_with("-0001") || code == kCityFinance) {
    units_.push_back({std::move(code), std::move(name), std::move(region)});
  } else {
    buyers_.push_back(units_.size());
    units_.push_back({std::move(code), std::move(name), std::move(region)});
  }
}

void Generator::AddSupplier(int64_t* t, size_t i) {
  // The first twelve cover every sector and scale, so that every sector has
  // bidders of each kind; then scales cycle, sectors are drawn.
  Sector sector;
  Scale scale;
  if (i < 12) {
    sector = static_cast<Sector>(i / 4);
    scale = static_cast<Scale>(i % 4);
  } else {
    sector = static_cast<Sector>(rng_.Weighted(std::array<int, 3>{45, 20, 35}));
    scale = kScaleCycle[(i - 12) % kScaleCycle.size()];
  }
  size_t s = static_cast<size_t>(sector);
  // Sole proprietorships (个体工商户, organization type 2) among micro suppliers.
  bool individual = scale == Scale::kMicro && sector != Sector::kWorks && rng_.Chance(0.4);

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
      case Scale::kLarge:
        name += rng_.Chance(0.5) ? "集团有限公司" : "股份有限公司";
        break;
      case Scale::kMedium:
        name += rng_.Chance(0.3) ? "股份有限公司" : "有限公司";
        break;
      default:
        name += "有限公司";
    }
  }

  *t += kMinute * rng_.Int(1, 3);
  Push(*t, "SupplierRegistered", "finance:310000", "",
       Object({{"credit_code", code},
               {"name", name},
               {"scale", ScaleName(scale)},
               {"e_licence_verified", rng_.Chance(0.9)}}));
  by_sector_[s].push_back(suppliers_.size());
  if (IsSmallOrMicro(scale)) sme_by_sector_[s].push_back(suppliers_.size());
  suppliers_.push_back({std::move(code), scale, sector});
}

// ---- one chain --------------------------------------------------------------

void Generator::NewChain(uint64_t k, int64_t start) {
  Chain c;
  c.tag = fmt::format("{}-{}", opts_.seed, k);
  c.corr = "chain-" + c.tag;
  c.t = start;
  if (opts_.violations > 0 && rng_.Chance(opts_.violations)) {
    c.rule = static_cast<int>(violations_++ % 12) + 1;  // R1..R12 in turn
    static constexpr std::array<int, 13> kVariants = {1, 1, 1, 1, 1, 1, 3, 1, 2, 1, 2, 3, 3};
    c.variant = rng_.Int(0, kVariants[c.rule] - 1);
  }
  // A violation needs the chain to get as far as the step it breaks.
  const bool at_warehouse =
      c.rule <= kR4 || (c.rule == kR11 && c.variant < 2) || (c.rule == kR12 && c.variant == 2);
  c.may_be_met_from_stock = at_warehouse;
  c.may_be_rejected = at_warehouse || c.rule == kR5;

  c.unit = &units_[buyers_[rng_.Index(buyers_.size())]];
  c.actor = "unit:" + c.unit->code;
  c.agency = fmt::format("agency:{}-A{:02}", c.unit->region, rng_.Int(1, 12));
  bool goods_only = c.rule == kR3 || c.rule == kR5 || (c.rule == kR11 && c.variant > 0);
  c.sector = goods_only ? Sector::kGoods
                        : static_cast<Sector>(rng_.Weighted(std::array<int, 3>{55, 15, 30}));
  c.imported = c.sector == Sector::kGoods && (c.rule == kR5 || rng_.Chance(0.05));
  do {
    c.cat = &rng_.Pick(CategoriesOf(c.sector));
  } while (c.imported && !c.cat->importable);
  c.spec = rng_.Pick(c.cat->specs);
  c.quantity =
      c.sector == Sector::kGoods
          ? static_cast<uint32_t>(rng_.Between(1, std::max(1u, c.cat->max_quantity * 2 / 3)))
          : 1;
  // Prices scatter +-20% around the category's mean, in whole yuan.
  c.est_price = RoundDown(c.cat->mean_unit_price_fen * rng_.Between(80, 120) / 100, 100);

  Inventory(c);
  Demand(c);
  if (!Warehouse(c) || !Budget(c)) return;
  Requirement(c);
  Tender(c);
  Complaint(c);
  Contract(c);
  Execution(c);
  if (rng_.Chance(0.05)) {
    Advance(c, 20, 90);
    static constexpr std::array<const char*, 3> kSeverities = {"info", "info", "warning"};
    const char* severity = rng_.Pick(kSeverities);
    const char* text = rng_.Pick(kFindingTexts);
    PushChain(c, "FindingRecorded", "auditor:310000-SJ01",
              Object({{"finding_id", Id("FND", c)},
                      {"entity_id", c.contract_id},
                      {"severity", severity},
                      {"text", text}}));
  }
}

std::string Generator::NewAsset(Chain& c, const std::string& owner, const Category& cat,
                                const char* status, bool deposit) {
  std::string id = fmt::format("AST-{}-{}", c.tag, ++c.asset_no);
  Advance(c, 0, 2);
  const int64_t acquired = c.t - kDay * rng_.Int(3 * 365, 8 * 365);
  const char* spec = rng_.Pick(cat.specs);
  const uint64_t value = RoundDown(cat.mean_unit_price_fen * rng_.Between(70, 110) / 100, 100);
  PushChain(c, "AssetInventoried", "unit:" + owner,
            Object({{"asset_id", id},
                    {"unit_code", owner},
                    {"category", cat.code},
                    {"spec", spec},
                    {"original_value_fen", value},
                    {"acquired_on", FormatDate(acquired)},
                    {"status", status}}));
  if (deposit) {
    Advance(c, 1, 5);
    PushChain(c, "AssetDeposited", "unit:" + owner,
              Object({{"asset_id", id}, {"reason", rng_.Pick(kDepositReasons)}}));
  }
  return id;
}

void Generator::Inventory(Chain& c) {
  // Idle assets of the demand's category in the public warehouse, which the
  // pre-query will find: enough for the whole demand, or part of it.
  bool stock = c.sector == Sector::kGoods &&
               (c.rule == kR3 || (c.rule == kR11 && c.variant == 1) || rng_.Chance(0.25));
  if (stock) {
    uint32_t n;
    if (c.may_be_met_from_stock && rng_.Chance(0.3)) {
      c.quantity = static_cast<uint32_t>(rng_.Between(1, std::min(3u, c.cat->max_quantity)));
      n = c.quantity;
    } else {
      c.quantity = std::max(c.quantity, 2u);  // every goods standard allows 2
      n = static_cast<uint32_t>(rng_.Between(1, std::min(3u, c.quantity - 1)));
    }
    for (uint32_t i = 0; i < n; ++i) {
      const Unit& owner = units_[buyers_[rng_.Index(buyers_.size())]];
      c.matched.push_back(NewAsset(c, owner.code, *c.cat, "idle", true));
    }
  }
  // Assets of other categories found in the inventory: some stay in use, some
  // idle ones go to the warehouse.
  if ((c.rule == kR11 && c.variant == 0) || rng_.Chance(0.2)) {
    static constexpr std::array<const char*, 3> kStatuses = {"in_use", "low_efficiency",
                                                             "over_standard"};
    bool forced = c.rule == kR11 && c.variant == 0;
    const Category& cat = rng_.Pick(kGoods);
    const char* status = forced ? "in_use" : rng_.Pick(kStatuses);
    c.in_use_asset = NewAsset(c, c.unit->code, cat, status, false);
  }
  if (rng_.Chance(0.1)) {
    const Unit& owner = units_[buyers_[rng_.Index(buyers_.size())]];
    NewAsset(c, owner.code, rng_.Pick(kGoods), "idle", true);
  }
}

Json Generator::DemandData(const Chain& c, const std::string& id, const Category& cat,
                           const std::string& spec, uint32_t quantity, uint64_t price,
                           bool checked) const {
  return Object({{"demand_id", id},
                 {"unit_code", c.unit->code},
                 {"category", cat.code},
                 {"spec", spec},
                 {"quantity", quantity},
                 {"est_unit_price_fen", price},
                 {"internal_reuse_checked", checked},
                 {"justification", TextOf(c.sector).justification}});
}

Json Generator::BudgetData(const Chain& c, const std::string& id, uint64_t amount) const {
  return Object({{"budget_line_id", id},
                 {"unit_code", c.unit->code},
                 {"demand_ids", std::vector<std::string>{c.demand_id}},
                 {"amount_fen", amount},
                 {"fiscal_year", Year(c.t)},
                 {"imported", c.imported}});
}

void Generator::Demand(Chain& c) {
  c.demand_id = Id("DEM", c);
  Advance(c, 2, 10);
  PushChain(c, "DemandRaised", c.actor,
            DemandData(c, c.demand_id, *c.cat, c.spec, c.quantity, c.est_price, true));
  switch (c.rule) {
    case kR1:  // a second demand, raised without checking internal reuse
      Advance(c, 0, 1);
      PushChain(c, "DemandRaised", c.actor,
                DemandData(c, Id("DEM", c, "-X"), *c.cat, c.spec, c.quantity, c.est_price, false),
                kR1);
      break;
    case kR4: {  // a second demand above its category's configuration standard
      const Category& cat = c.sector == Sector::kGoods ? *c.cat : rng_.Pick(kGoods);
      uint32_t quantity = 1;
      uint64_t price = RoundDown(cat.mean_unit_price_fen, 100);
      if (rng_.Chance(0.5)) {
        price = RoundDown(MaxUnitPrice(cat) * rng_.Between(105, 140) / 100, 100);
      } else {
        quantity = cat.max_quantity + static_cast<uint32_t>(rng_.Between(1, cat.max_quantity));
      }
      Advance(c, 0, 1);
      PushChain(c, "DemandRaised", c.actor,
                DemandData(c, Id("DEM", c, "-X"), cat, cat.specs[0], quantity, price, true), kR4);
      break;
    }
    case kR12:
      if (c.variant == 2) {  // the same demand id raised again
        Advance(c, 0, 1);
        PushChain(c, "DemandRaised", c.actor,
                  DemandData(c, c.demand_id, *c.cat, c.spec, c.quantity, c.est_price, true), kR12);
      }
      break;
    case kR2:  // budget requested before the warehouse pre-query
      Advance(c, 0, 0);
      PushChain(c, "BudgetRequested", c.actor,
                BudgetData(c, Id("BL", c, "-X"), c.quantity * c.est_price), kR2);
      break;
    default:
      break;
  }
}

bool Generator::Warehouse(Chain& c) {
  Advance(c, 0, 0);
  PushChain(c, "WarehouseQueried", c.actor,
            Object({{"demand_id", c.demand_id}, {"matched_asset_ids", c.matched}}));
  c.need = c.quantity - static_cast<uint32_t>(c.matched.size());
  if (c.rule == kR3) {  // budget requested while the matched assets are still in the warehouse
    Advance(c, 0, 1);
    PushChain(c, "BudgetRequested", c.actor,
              BudgetData(c, Id("BL", c, "-X"), c.quantity * c.est_price), kR3);
  }
  for (size_t i = 0; i < c.matched.size(); ++i) {
    Advance(c, i == 0 ? 1 : 0, i == 0 ? 3 : 0);
    PushChain(
        c, "AssetAllocated", "finance:310000",
        Object(
            {{"asset_id", c.matched[i]}, {"demand_id", c.demand_id}, {"unit_code", c.unit->code}}));
  }
  if (c.rule == kR11 && c.variant < 2) {
    // Allocating an asset that is not in the warehouse: one still in use in
    // its unit, or one just allocated.
    Advance(c, 0, 1);
    PushChain(c, "AssetAllocated", "finance:310000",
              Object({{"asset_id", c.variant == 0 ? c.in_use_asset : c.matched[0]},
                      {"demand_id", c.demand_id},
                      {"unit_code", c.unit->code}}),
              kR11);
  }
  return c.need > 0;  // a demand met from the warehouse needs no budget
}

bool Generator::Budget(Chain& c) {
  c.line_id = Id("BL", c);
  uint64_t amount = c.need * c.est_price;
  Advance(c, 1, 5);
  PushChain(c, "BudgetRequested", c.actor, BudgetData(c, c.line_id, amount));
  if (c.rule == kR5) {  // approved before the import review
    Advance(c, 0, 2);
    PushChain(c, "BudgetApproved", "finance:310000",
              Object({{"budget_line_id", c.line_id}, {"approved_amount_fen", amount}}), kR5);
  }
  if (c.imported) {
    bool approved = !(c.may_be_rejected && rng_.Chance(0.2));
    Advance(c, 3, 10);
    PushChain(
        c, "ImportReviewed", "finance:310000",
        Object({{"budget_line_id", c.line_id},
                {"approved", approved},
                {"notes", approved ? "经专家论证，国内同类产品无法满足科研需要，同意采购进口产品"
                                   : "国产同类产品可满足使用需要，不同意采购进口产品"}}));
    if (!approved) {
      Advance(c, 0, 1);
      PushChain(c, "BudgetRejected", "finance:310000",
                Object({{"budget_line_id", c.line_id}, {"reason", "进口产品审核未通过"}}));
      return false;
    }
  } else if (c.may_be_rejected && rng_.Chance(0.02)) {
    Advance(c, 5, 15);
    PushChain(c, "BudgetRejected", "finance:310000",
              Object({{"budget_line_id", c.line_id},
                      {"reason", "年度预算资金已安排完毕，建议下一年度申报"}}));
    return false;
  }
  // Approved in full, or cut by a few percent.
  c.approved =
      rng_.Chance(0.7) ? amount : RoundDown(amount - amount * rng_.Between(1, 8) / 100, 100);
  Advance(c, 1, 10);
  PushChain(c, "BudgetApproved", "finance:310000",
            Object({{"budget_line_id", c.line_id}, {"approved_amount_fen", c.approved}}));
  return true;
}

void Generator::Requirement(Chain& c) {
  const SectorText& text = TextOf(c.sector);
  auto data = [&](const std::string& id, uint64_t amount) {
    Json item = Object({{"category", c.cat->code}, {"spec", c.spec}, {"quantity", c.need}});
    return Object({{"project_id", id},
                   {"budget_line_id", c.line_id},
                   {"amount_fen", amount},
                   {"items", Json::array({item})},
                   {"acceptance_criteria", text.acceptance_criteria}});
  };
  Advance(c, 3, 15);
  if (c.rule == kR6 && c.variant == 0) {  // a requirement above the approved budget
    PushChain(c, "RequirementDefined", c.actor,
              data(Id("PRJ", c, "-X"), c.approved + c.approved * rng_.Between(1, 10) / 100 + 100),
              kR6);
    Advance(c, 0, 1);
  }
  c.project_id = Id("PRJ", c);
  c.required =
      rng_.Chance(0.8) ? c.approved : RoundDown(c.approved * rng_.Between(92, 99) / 100, 100);
  PushChain(c, "RequirementDefined", c.actor, data(c.project_id, c.required));
}

size_t Generator::PickSupplier(const Chain& c, bool sme_only, const std::vector<Bid>& exclude) {
  size_t s = static_cast<size_t>(c.sector);
  const auto& pool = sme_only ? sme_by_sector_[s] : by_sector_[s];
  for (;;) {  // callers leave at least one supplier of the pool unused
    size_t pick = pool[rng_.Index(pool.size())];
    if (std::none_of(exclude.begin(), exclude.end(),
                     [&](const Bid& b) { return b.supplier == pick; })) {
      return pick;
    }
  }
}

void Generator::Tender(Chain& c) {
  size_t s = static_cast<size_t>(c.sector);
  size_t method = rng_.Weighted(kMethodWeights[s]);
  if (method == kSingleSource && c.rule == kR9) method = 0;  // R9 needs a losing bidder
  bool single = method == kSingleSource;
  bool reserved = !single && rng_.Chance(0.3);
  if (reserved) {
    c.pct = 10;
  } else if (c.sector == Sector::kWorks) {
    c.pct = rng_.Chance(0.6) ? 5 : 0;
  } else {
    c.pct = rng_.Chance(0.7) ? 10 : 0;
  }
  Advance(c, 2, 7);
  const int64_t published = c.t;
  auto [min_days, max_days] = kTenderDays[method];
  const int64_t deadline =
      WorkingDay(DayOf(published) + rng_.Int(min_days, max_days)) * kDay + 9 * kHour + 30 * kMinute;
  PushChain(c, "TenderPublished", c.agency,
            Object({{"project_id", c.project_id},
                    {"method", kMethods[method]},
                    {"sme_reserved", reserved},
                    {"sme_price_deduction_pct", c.pct},
                    {"deadline", FormatTime(deadline)},
                    {"imported", c.imported}}));

  // Bids: distinct suppliers of the sector (small and micro ones only for a
  // reserved tender), at or under the requirement's amount, before the
  // deadline. One supplier of the pool stays out, for a late bid.
  const auto& pool = reserved ? sme_by_sector_[s] : by_sector_[s];
  size_t n = single ? 1 : std::min<size_t>(rng_.Between(2, 5), pool.size() - 1);
  // Bid times: working days of the tender period; on the deadline's own day,
  // in the hour or two before it.
  std::vector<int64_t> times(n);
  const int64_t period = DayOf(deadline) - DayOf(published);
  for (auto& at : times) {
    const int64_t day = WorkingDay(DayOf(published) + rng_.Int(1, static_cast<int>(period)));
    at = day * kDay + 9 * kHour + kMinute * rng_.Int(0, 8 * 60 + 30);
    if (at >= deadline) at = deadline - kMinute * rng_.Int(10, 90);
  }
  std::sort(times.begin(), times.end());
  // Unit prices at most the estimate and within the requirement's amount.
  const uint64_t base = std::min(c.est_price, c.required / c.need);
  c.bids.clear();
  for (size_t i = 0; i < n; ++i) {
    Bid b;
    b.id = fmt::format("BID-{}-{}", c.tag, i + 1);
    b.supplier = PickSupplier(c, reserved, c.bids);
    b.unit_price = RoundDown(base * rng_.Between(85, 100) / 100, 100);
    b.price = b.unit_price * c.need;
    b.evaluated = EvaluatedPrice(b.price, suppliers_[b.supplier].scale, c.pct);
    c.t = std::max(c.t, times[i]);
    const std::string& code = suppliers_[b.supplier].credit_code;
    Json data = Object({{"bid_id", b.id},
                        {"project_id", c.project_id},
                        {"credit_code", code},
                        {"price_fen", b.price}});
    if (rng_.Chance(0.7))
      data["guarantee_id"] = fmt::format("EG-{}-{:08}", Year(c.t), rng_.Between(0, 99999999));
    PushChain(c, "BidSubmitted", "supplier:" + code, data);
    c.bids.push_back(std::move(b));
  }
  if (c.rule == kR12 && c.variant == 1) {  // a bid after the deadline
    size_t late = PickSupplier(c, reserved, c.bids);
    c.t = deadline + kMinute * rng_.Int(10, 300);
    const std::string& code = suppliers_[late].credit_code;
    PushChain(c, "BidSubmitted", "supplier:" + code,
              Object({{"bid_id", Id("BID", c, "-X")},
                      {"project_id", c.project_id},
                      {"credit_code", code},
                      {"price_fen", RoundDown(c.est_price * 90 / 100, 100) * c.need}}),
              kR12);
  }

  // The award: the lowest evaluated price (the first such bid on a tie).
  c.winner = 0;
  for (size_t i = 1; i < c.bids.size(); ++i) {
    if (c.bids[i].evaluated < c.bids[c.winner].evaluated) c.winner = i;
  }
  const Bid& w = c.bids[c.winner];
  const std::string& code = suppliers_[w.supplier].credit_code;
  auto award = [&](uint64_t evaluated) {
    return Object({{"project_id", c.project_id},
                   {"bid_id", w.id},
                   {"credit_code", code},
                   {"amount_fen", w.price},
                   {"evaluated_price_fen", evaluated}});
  };
  c.t = std::max(c.t, deadline);
  Advance(c, 1, 7);
  if (c.rule == kR7) {  // an evaluated price that ignores (or invents) the SME deduction
    uint64_t wrong = w.evaluated != w.price ? w.price : w.price * 9 / 10;
    PushChain(c, "AwardDecided", c.agency, award(wrong), kR7);
    Advance(c, 0, 1);
  }
  PushChain(c, "AwardDecided", c.agency, award(w.evaluated));
  c.amount = w.price;
}

void Generator::Complaint(Chain& c) {
  if (c.bids.size() < 2 || !(c.rule == kR9 || rng_.Chance(0.1))) return;
  size_t loser = rng_.Index(c.bids.size() - 1);
  if (loser >= c.winner) ++loser;
  const std::string& code = suppliers_[c.bids[loser].supplier].credit_code;
  std::string complaint_id = Id("CMP", c);
  Advance(c, 1, 7);
  PushChain(c, "ComplaintFiled", "supplier:" + code,
            Object({{"complaint_id", complaint_id},
                    {"project_id", c.project_id},
                    {"credit_code", code},
                    {"claim", rng_.Pick(kComplaintClaims)}}));
  if (c.rule == kR9) {  // a contract signed before the ruling
    Advance(c, 1, 5);
    const SectorText& text = TextOf(c.sector);
    PushChain(c, "ContractSigned", c.actor,
              ContractData(c, Id("CON", c, "-X"), suppliers_[c.bids[c.winner].supplier].credit_code,
                           c.need, text.acceptance_standard, text.acceptance_method),
              kR9);
  }
  static constexpr std::array<std::pair<const char*, const char*>, 5> kRulings = {{
      {"dismissed", "投诉事项缺乏事实依据，驳回投诉"},
      {"dismissed", "评审程序符合规定，投诉不成立"},
      {"dismissed", "投诉事项缺乏事实依据，驳回投诉"},
      {"partially_upheld", "投诉部分成立，责令采购人改正，不影响中标结果"},
      {"upheld", "投诉成立，但不影响中标结果，责令代理机构整改"},
  }};
  const auto& [outcome, ruling] = rng_.Pick(kRulings);
  Advance(c, 7, 30);
  PushChain(c, "RulingIssued", "finance:310000",
            Object({{"complaint_id", complaint_id}, {"outcome", outcome}, {"text", ruling}}));
}

Json Generator::ContractData(const Chain& c, const std::string& id, const std::string& credit_code,
                             uint32_t quantity, const char* standard, const char* method) const {
  const uint64_t unit_price = c.bids[c.winner].unit_price;
  Json item = Object({{"category", c.cat->code},
                      {"spec", c.spec},
                      {"quantity", quantity},
                      {"unit_price_fen", unit_price}});
  return Object({{"contract_id", id},
                 {"project_id", c.project_id},
                 {"credit_code", credit_code},
                 {"amount_fen", unit_price * quantity},
                 {"items", Json::array({item})},
                 {"acceptance_standard", standard},
                 {"acceptance_method", method}});
}

void Generator::Contract(Chain& c) {
  const SectorText& text = TextOf(c.sector);
  const std::string& winner = suppliers_[c.bids[c.winner].supplier].credit_code;
  Advance(c, 3, 20);
  if (c.rule == kR6 && c.variant == 1) {  // a contract above the award: one more unit
    PushChain(c, "ContractSigned", c.actor,
              ContractData(c, Id("CON", c, "-X"), winner, c.need + 1, text.acceptance_standard,
                           text.acceptance_method),
              kR6);
    Advance(c, 0, 1);
  }
  if (c.rule == kR8) {
    std::string credit_code = winner;
    const char* standard = text.acceptance_standard;
    const char* method = text.acceptance_method;
    if (c.variant == 0) {  // with a supplier that was not awarded
      size_t other = c.bids.size() > 1 ? c.bids[(c.winner + 1) % c.bids.size()].supplier
                                       : PickSupplier(c, false, c.bids);
      credit_code = suppliers_[other].credit_code;
    } else if (rng_.Chance(0.5)) {  // without an acceptance standard, or method
      standard = " ";
    } else {
      method = " ";
    }
    PushChain(c, "ContractSigned", c.actor,
              ContractData(c, Id("CON", c, "-X"), credit_code, c.need, standard, method), kR8);
    Advance(c, 0, 1);
  }
  c.contract_id = Id("CON", c);
  PushChain(c, "ContractSigned", c.actor,
            ContractData(c, c.contract_id, winner, c.need, text.acceptance_standard,
                         text.acceptance_method));

  const uint64_t original = c.amount;
  if (c.rule == kR6 && c.variant == 2) {  // an amendment above 110% of the original
    Advance(c, 1, 10);
    uint64_t over =
        original + original / 10 + rng_.Between(1, std::max<uint64_t>(1, original / 20));
    PushChain(c, "ContractAmended", c.actor,
              Object({{"contract_id", c.contract_id},
                      {"new_amount_fen", over},
                      {"reason", "增加工程量及服务内容"}}),
              kR6);
  }
  if (rng_.Chance(0.1)) {
    // Supplementary contracts stay within 10% (new * 10 <= original * 11).
    const uint64_t unit_price = c.bids[c.winner].unit_price;
    std::string reason;
    if (c.sector == Sector::kGoods && c.need >= 10 && rng_.Chance(0.5)) {
      uint32_t extra = static_cast<uint32_t>(rng_.Between(1, c.need / 10));
      c.amount = original + extra * unit_price;
      reason = fmt::format("补充采购{}台（件），未超过原合同金额10%", extra);
    } else if (rng_.Chance(0.25)) {
      c.amount = original - RoundDown(original * rng_.Between(1, 10) / 100, 100);
      reason = "核减部分采购内容";
    } else {
      c.amount = original + RoundDown(original * rng_.Between(1, 10) / 100, 100);
      reason = "补充合同：增加少量同类内容，未超过原合同金额10%";
    }
    Advance(c, 10, 40);
    PushChain(
        c, "ContractAmended", c.actor,
        Object({{"contract_id", c.contract_id}, {"new_amount_fen", c.amount}, {"reason", reason}}));
  }
}

std::string Generator::Inspector() {
  size_t a = rng_.Index(kPeople.size());
  size_t b = (a + 1 + rng_.Index(kPeople.size() - 1)) % kPeople.size();  // not a
  return fmt::format("验收小组（{}、{}{}）", kPeople[a], kPeople[b],
                     rng_.Chance(0.3) ? "、第三方检测机构" : "");
}

Json Generator::PaymentData(const std::string& id, const std::string& contract,
                            const std::string& acc, uint64_t amount) const {
  return Object({{"payment_id", id},
                 {"contract_id", contract},
                 {"acceptance_id", acc},
                 {"amount_fen", amount}});
}

void Generator::Execution(Chain& c) {
  // 1-3 passed acceptances sharing the contract's current amount; a failed
  // inspection now and then, followed by a passed re-inspection.
  const int n = c.sector == Sector::kGoods && c.need == 1 ? 1 : rng_.Int(1, 3);
  std::vector<uint64_t> amounts;
  uint64_t rest = c.amount;
  for (int i = 0; i + 1 < n; ++i) {
    uint64_t a = RoundDown(c.amount * rng_.Between(100 / n - 10, 100 / n + 10) / 100, 100);
    amounts.push_back(a);
    rest -= a;
  }
  amounts.push_back(rest);
  const bool force_failed =
      (c.rule == kR10 && c.variant == 1) || (c.rule == kR11 && c.variant == 2);
  const int failed_at = force_failed || rng_.Chance(0.06) ? rng_.Int(0, n - 1) : -1;

  uint64_t accepted = 0, paid = 0;
  int acc_no = 0, pay_no = 0;
  auto acceptance = [&](bool passed, uint64_t amount) {
    std::string id = fmt::format("ACC-{}-{}", c.tag, ++acc_no);
    PushChain(c, "AcceptanceRecorded", c.actor,
              Object({{"acceptance_id", id},
                      {"contract_id", c.contract_id},
                      {"passed", passed},
                      {"accepted_amount_fen", amount},
                      {"inspector", Inspector()}}));
    return id;
  };
  for (int i = 0; i < n; ++i) {
    const uint64_t a = amounts[i];
    std::string spec = n > 1 ? fmt::format("{}（第{}批）", c.spec, i + 1) : c.spec;
    auto asset = [&](const std::string& id, const std::string& acc) {
      return Object({{"asset_id", id},
                     {"contract_id", c.contract_id},
                     {"acceptance_id", acc},
                     {"unit_code", c.unit->code},
                     {"category", c.cat->code},
                     {"spec", spec},
                     {"value_fen", a}});
    };
    Advance(c, 15, 60);
    if (i == failed_at) {
      std::string failed = acceptance(false, 0);
      if (c.rule == kR10 && c.variant == 1) {  // paying on the failed acceptance
        Advance(c, 0, 3);
        PushChain(c, "PaymentMade", c.actor,
                  PaymentData(Id("PAY", c, "-X"), c.contract_id, failed, a), kR10);
      } else if (c.rule == kR11 && c.variant == 2) {  // registering assets it did not accept
        Advance(c, 0, 3);
        PushChain(c, "AssetRegistered", c.actor, asset(Id("AST", c, "-X"), failed), kR11);
      }
      Advance(c, 7, 20);
    }
    std::string acc = acceptance(true, a);
    accepted += a;
    if (i == 0 && c.rule == kR10 && c.variant == 0) {  // paying more than was accepted
      Advance(c, 0, 2);
      PushChain(c, "PaymentMade", c.actor,
                PaymentData(Id("PAY", c, "-X"), c.contract_id, acc,
                            accepted - paid + rng_.Between(1, a / 10 + 1)),
                kR10);
    } else if (i == 0 && c.rule == kR12 &&
               c.variant == 0) {  // paying a contract that does not exist
      Advance(c, 0, 2);
      PushChain(c, "PaymentMade", c.actor,
                PaymentData(Id("PAY", c, "-X"), Id("CON", c, "-MISSING"), acc, a), kR12);
    }
    // The last payment sometimes keeps back a 3% warranty deposit (质保金).
    uint64_t pay = i + 1 == n && rng_.Chance(0.25) ? a - a * 3 / 100 : a;
    Advance(c, 3, 15);
    PushChain(c, "PaymentMade", c.actor,
              PaymentData(fmt::format("PAY-{}-{}", c.tag, ++pay_no), c.contract_id, acc, pay));
    paid += pay;
    if (c.sector == Sector::kGoods) {
      Advance(c, 0, 5);
      PushChain(c, "AssetRegistered", c.actor,
                asset(fmt::format("AST-{}-{}", c.tag, ++c.asset_no), acc));
    }
  }
}

// ---- time and output --------------------------------------------------------

void Generator::Advance(Chain& c, int min_days, int max_days) {
  int days = rng_.Int(min_days, max_days);
  if (days == 0) {
    c.t += kMinute * rng_.Int(5, 120);
    return;
  }
  int64_t at =
      WorkingDay(DayOf(c.t) + days) * kDay + 9 * kHour + kMinute * rng_.Int(0, 8 * 60 + 30);
  c.t = std::max(at, c.t + kMinute);
}

void Generator::Push(int64_t time, const char* type, std::string actor, const std::string& corr,
                     const Json& data, int rule) {
  // The envelope in the order type, id, actor, time, correlation_id, data.
  std::string line = "{\"type\":";
  AppendQuoted(line, type);
  line += ",\"id\":";
  size_t id_at = line.size();
  line += ",\"actor\":";
  AppendQuoted(line, actor);
  line += ",\"time\":";
  AppendQuoted(line, FormatTime(time));
  if (!corr.empty()) {
    line += ",\"correlation_id\":";
    AppendQuoted(line, corr);
  }
  line += ",\"data\":";
  line += data.dump();
  line += '}';
  std::vector<Pending>& events = queues_[open_queue_].events;
  assert(events.empty() || events.back().time <= time);  // the queue stays in time order
  events.push_back({time, seq_++, std::move(line), id_at, rule});
}

void Generator::OpenQueue() {
  if (free_queues_.empty()) {
    open_queue_ = static_cast<uint32_t>(queues_.size());
    queues_.emplace_back();
  } else {
    open_queue_ = free_queues_.back();
    free_queues_.pop_back();
  }
}

void Generator::CloseQueue() {
  const Queue& q = queues_[open_queue_];
  if (q.events.empty()) {
    free_queues_.push_back(open_queue_);
    return;
  }
  heads_.push_back({q.events[0].time, q.events[0].seq, open_queue_});
  std::push_heap(heads_.begin(), heads_.end(), LaterFirst());
}

void Generator::Release(int64_t limit) {
  std::string line;
  while (!heads_.empty() && heads_.front().time <= limit) {
    std::pop_heap(heads_.begin(), heads_.end(), LaterFirst());
    const uint32_t queue = heads_.back().queue;
    Queue& q = queues_[queue];
    Pending& p = q.events[q.next++];
    std::string id = fmt::format("evt-{}-{}", opts_.seed, ++event_no_);
    line.assign(p.line, 0, p.id_at);
    AppendQuoted(line, id);
    line.append(p.line, p.id_at);
    emit_(line);
    if (stats_ != nullptr) {
      ++stats_->events;
      if (p.rule != 0) stats_->violations.push_back({std::move(id), p.rule});
    }
    if (q.next < q.events.size()) {
      const Pending& next = q.events[q.next];
      heads_.back() = {next.time, next.seq, queue};
      std::push_heap(heads_.begin(), heads_.end(), LaterFirst());
    } else {
      heads_.pop_back();
      q.events.clear();
      q.next = 0;
      free_queues_.push_back(queue);
    }
  }
}

}  // namespace

void GenerateChains(const GeneratorOptions& opts,
                    const std::function<void(const std::string&)>& emit, GeneratorStats* stats) {
  Generator(opts, emit, stats).Run();
}

}  // namespace ledger::core
