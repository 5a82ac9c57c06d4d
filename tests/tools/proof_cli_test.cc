// End-to-end: keys, checkpoints, proofs and bundles through the `ledger`
// binary, as a ledger operator and an auditor on another machine use them.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/log/record_format.h"
#include "tests/support/event_json.h"
#include "tests/support/ledger_cli.h"
#include "tests/support/store_tamper.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace ledger::testing {
namespace {

using nlohmann::json;

std::string Write(const TempDir& tmp, const std::string& name, const std::string& text) {
  std::string path = tmp.Sub(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string Lines(size_t from, size_t to) {
  std::string out;
  auto lines = DemoChainLines();
  for (size_t i = from; i < std::min(to, lines.size()); ++i) out += lines[i] + "\n";
  return out;
}

TEST_CASE("proof verbs have --help") {
  for (std::vector<std::string> verb : {std::vector<std::string>{"key"},
                                        {"checkpoint"},
                                        {"checkpoints"},
                                        {"prove"},
                                        {"verify-proof"},
                                        {"export"},
                                        {"verify-bundle"},
                                        {"bench", "proofs"},
                                        {"bench", "verify"}}) {
    verb.push_back("--help");
    auto r = Ledger(verb);
    CAPTURE(verb[0]);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
  }
}

TEST_CASE("init makes a key, append keeps checkpoints, prove and verify-proof with the key alone") {
  TempDir tmp;
  std::string data = tmp.Sub("l");
  auto init = Ledger({"init", "--data", data, "--origin", "test.example/ledger"});
  REQUIRE(init.exit_code == 0);
  CHECK(init.out.find("test.example/ledger+") != std::string::npos);
  struct stat st {};
  REQUIRE(::stat((data + "/signing.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::string pub = tmp.Sub("pub.txt");
  REQUIRE(Ledger({"key", "--data", data, "--export", pub}).exit_code == 0);

  // Every 10 events, and one at the end.
  auto app =
      Ledger({"append", "--data", data, "--checkpoint-every", "10", "-q", "-"}, Lines(0, 35));
  REQUIRE(app.exit_code == 0);
  auto kept = Ledger({"checkpoints", "--data", data, "--json"});
  REQUIRE(kept.exit_code == 0);
  std::vector<uint64_t> sizes;
  std::istringstream in(kept.out);
  for (std::string line; std::getline(in, line);) sizes.push_back(json::parse(line)["size"]);
  REQUIRE(sizes.size() >= 2);
  CHECK(sizes.back() == std::min<size_t>(35, DemoChainLines().size()));
  CHECK(sizes.size() == 4);  // 10, 20, 30 and the end (35 lines, all valid)
  for (size_t i = 0; i + 1 < sizes.size(); ++i) CHECK(sizes[i] == 10 * (i + 1));

  auto prove = Ledger({"prove", "--data", data, "7"});
  REQUIRE_MESSAGE(prove.exit_code == 0, prove.err);
  json proof = json::parse(prove.out);
  CHECK(proof["format"] == "procurement-ledger-proof/1");
  CHECK(proof["position"] == 7);
  CHECK(proof["tree_size"] == sizes.back());
  std::string file = Write(tmp, "p.json", prove.out);
  // The auditor: another directory, no ledger, the verifier key only.
  auto ok = Ledger({"verify-proof", file, "--key", pub});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("inclusion proof OK: position 7") != std::string::npos);

  // A flipped bit in the record, the proof or the root fails it.
  json bad = proof;
  std::string record = bad["record"];
  record[30] = record[30] == 'A' ? 'B' : 'A';
  bad["record"] = record;
  CHECK(Ledger({"verify-proof", Write(tmp, "b1.json", bad.dump()), "--key", pub}).exit_code == 1);
  bad = proof;
  std::string h = bad["proof"][1];
  h[5] = h[5] == '0' ? '1' : '0';
  bad["proof"][1] = h;
  auto r = Ledger({"verify-proof", Write(tmp, "b2.json", bad.dump()), "--key", pub});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("proof FAILED: position 7: inclusion") != std::string::npos);
  bad = proof;
  std::string note = bad["checkpoint"];
  size_t root_at = note.find('\n', note.find('\n') + 1) + 3;
  note[root_at] = note[root_at] == 'A' ? 'B' : 'A';
  bad["checkpoint"] = note;
  r = Ledger({"verify-proof", Write(tmp, "b3.json", bad.dump()), "--key", pub});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("does not verify") != std::string::npos);
  // Another ledger's key.
  std::string other = tmp.Sub("other");
  REQUIRE(Ledger({"init", "--data", other}).exit_code == 0);
  CHECK(Ledger({"verify-proof", file, "--key", other + "/signing.pub"}).exit_code == 1);

  // Consistency between two sizes, as JSON, checked offline.
  auto cons =
      Ledger({"prove", "--data", data, "--consistency", "10", std::to_string(sizes.back())});
  REQUIRE_MESSAGE(cons.exit_code == 0, cons.err);
  CHECK(json::parse(cons.out)["type"] == "consistency");
  auto cok = Ledger({"verify-proof", "--json", "--key", pub, "-"}, cons.out);
  CHECK(cok.exit_code == 0);
  CHECK(json::parse(cok.out)["ok"] == true);
  CHECK(Ledger({"prove", "--data", data, "--consistency", "20", "10"}).exit_code == 1);
}

TEST_CASE("trace --proof and export write bundles that verify-bundle checks offline") {
  TempDir tmp;
  std::string data = tmp.Sub("l");
  REQUIRE(Ledger({"init", "--data", data}).exit_code == 0);
  REQUIRE(Ledger({"append", "--data", data, "-q", "-"}, Lines(0, 12)).exit_code == 0);
  // The auditor saves the checkpoint of size 12 now.
  auto saved = Ledger({"checkpoint", "--data", data});
  REQUIRE(saved.exit_code == 0);
  std::string held = Write(tmp, "held.txt", saved.out);
  REQUIRE(Ledger({"append", "--data", data, "-q", "-"}, Lines(12, 1000)).exit_code == 0);
  std::string pub = data + "/signing.pub";

  std::string trail = tmp.Sub("trail.json");
  auto t = Ledger({"trace", "--data", data, "PAY-2025-0042-01-2", "--proof", trail});
  REQUIRE_MESSAGE(t.exit_code == 0, t.err);
  auto v = Ledger({"verify-bundle", trail, "--key", pub, "--json"});
  REQUIRE_MESSAGE(v.exit_code == 0, v.out);
  json report = json::parse(v.out);
  CHECK(report["kind"] == "trail");
  CHECK(report["links"].get<int>() >= 8);

  // One altered byte (here, inside a record) fails it.
  std::string bytes;
  {
    std::ifstream in(trail, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  size_t at = bytes.find("\"record\":\"") + 40;
  bytes[at] ^= 0x01;
  auto altered = Ledger({"verify-bundle", Write(tmp, "altered.json", bytes), "--key", pub});
  CHECK(altered.exit_code == 1);
  CHECK(altered.out.find("bundle FAILED") != std::string::npos);

  // Export of [5, 20) with the consistency proof from the held checkpoint.
  std::string exp = tmp.Sub("export.json");
  auto e = Ledger(
      {"export", "--data", data, "--from", "5", "--to", "20", "--since", held, "--out", exp});
  REQUIRE_MESSAGE(e.exit_code == 0, e.err);
  auto ev = Ledger({"verify-bundle", exp, "--key", pub, "--checkpoint", held});
  CHECK(ev.exit_code == 0);
  CHECK(ev.out.find("records [5, 20) are in the tree of") != std::string::npos);
  CHECK(ev.out.find("which extends the tree of 12") != std::string::npos);
  // Without the consistency proof, an auditor holding a checkpoint refuses it.
  auto plain = tmp.Sub("plain.json");
  REQUIRE(
      Ledger({"export", "--data", data, "--from", "5", "--to", "20", "--out", plain}).exit_code ==
      0);
  CHECK(Ledger({"verify-bundle", plain, "--key", pub, "--checkpoint", held}).exit_code == 1);
  CHECK(Ledger({"verify-bundle", plain, "--key", pub}).exit_code == 0);
  // Unless it holds the export's own checkpoint: same size, same root, no proof needed.
  auto latest = Ledger({"checkpoint", "--data", data});
  REQUIRE(latest.exit_code == 0);
  std::string own = Write(tmp, "latest.txt", latest.out);
  auto same = Ledger({"verify-bundle", plain, "--key", pub, "--checkpoint", own});
  CHECK_MESSAGE(same.exit_code == 0, same.out);
  CHECK(same.out.find("the same tree as the auditor's checkpoint") != std::string::npos);
  auto same_json = json::parse(
      Ledger({"verify-bundle", plain, "--key", pub, "--checkpoint", own, "--json"}).out);
  CHECK(same_json["consistent_with_size"] == DemoChainLines().size());
}

TEST_CASE("verify finds a rewritten record with its position, and a forked history") {
  TempDir tmp;
  std::string a = tmp.Sub("a"), b = tmp.Sub("b");
  REQUIRE(Ledger({"init", "--data", a}).exit_code == 0);
  REQUIRE(Ledger({"append", "--data", a, "-"}, UnitLine(1) + "\n" + UnitLine(2) + "\n").exit_code ==
          0);
  // A copy with the same key, which then takes another history.
  std::filesystem::copy(a, b, std::filesystem::copy_options::recursive);
  REQUIRE(Ledger({"append", "--data", a, "-"}, UnitLine(3) + "\n" + UnitLine(4) + "\n").exit_code ==
          0);
  REQUIRE(
      Ledger({"append", "--data", b, "-"}, UnitLine(13) + "\n" + UnitLine(14) + "\n").exit_code ==
      0);
  std::string theirs = Write(tmp, "b.txt", Ledger({"checkpoint", "--data", b}).out);
  auto ok = Ledger({"verify", "--data", a});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("signed checkpoints checked") != std::string::npos);
  auto fork = Ledger({"verify", "--data", a, "--checkpoint", theirs});
  CHECK(fork.exit_code == 1);
  CHECK(fork.out.find("verification FAILED: fork at size 4:") != std::string::npos);
  // The same fork seen by an offline auditor holding b's checkpoint.
  std::string proof = Write(tmp, "p.json", Ledger({"prove", "--data", a, "1"}).out);
  auto pf = Ledger({"verify-proof", proof, "--key", a + "/signing.pub", "--checkpoint", theirs});
  CHECK(pf.exit_code == 1);
  CHECK(pf.out.find("fork at size 4") != std::string::npos);

  // A record rewritten along with its chain links: the Merkle tree names it.
  {
    StoreTamper t(a);
    std::string record = t.Get(2).substr(32);
    record[record.size() - 6] ^= 0x01;  // a character of the unit's name
    t.RewriteChain(2, record);
  }
  auto broken = Ledger({"verify", "--data", a, "--json"});
  CHECK(broken.exit_code == 1);
  CAPTURE(broken.out);
  CHECK(json::parse(broken.out)["error"].get<std::string>().starts_with(
      "position 2: Merkle leaf mismatch"));
}

TEST_CASE("bench proofs and bench verify print JSON with the raw baseline and the ratio") {
  TempDir tmp;
  auto p =
      Ledger({"bench", "proofs", "--events", "3000", "--samples", "300", "--dir", tmp.Sub("p")});
  REQUIRE_MESSAGE(p.exit_code == 0, p.err);
  json j = json::parse(p.out.substr(p.out.rfind('{')));
  CHECK(j["p99_us"].get<double>() >= j["p50_us"].get<double>());
  CHECK(j["raw_rocksdb_p99_us"].get<double>() > 0);
  CHECK(j["verify_per_s"].get<double>() > 0);
  CHECK(j["verify_ratio"].get<double>() > 0);
  auto v = Ledger({"bench", "verify", "--events", "3000", "--dir", tmp.Sub("v")});
  REQUIRE_MESSAGE(v.exit_code == 0, v.err);
  j = json::parse(v.out.substr(v.out.rfind('{')));
  CHECK(j["events"] == 3000);
  CHECK(j["verify_events_per_s"].get<double>() > 0);
  CHECK(j["raw_sha256_records_per_s"].get<double>() > 0);
  CHECK(j["ratio"].get<double>() > 0);
}

}  // namespace
}  // namespace ledger::testing
