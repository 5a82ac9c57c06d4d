#include "tests/support/store_tamper.h"

#include <rocksdb/db.h>

#include <memory>
#include <stdexcept>
#include <vector>

#include "core/util/merkle.h"
#include "core/util/sha256.h"

namespace ledger::testing {
namespace {

std::string Key(uint64_t p) {
  std::string k(8, '\0');
  for (int i = 0; i < 8; ++i) k[i] = static_cast<char>(p >> (56 - 8 * i));
  return k;
}

void Check(const rocksdb::Status& s) {
  if (!s.ok()) throw std::runtime_error("store tamper: " + s.ToString());
}

}  // namespace

struct StoreTamper::Impl {
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  std::vector<std::string> names;
  rocksdb::ColumnFamilyHandle* Family(const std::string& name) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return handles[i];
    }
    throw std::runtime_error("store tamper: no column family " + name);
  }
};

StoreTamper::StoreTamper(const std::string& dir) : impl_(new Impl) {
  rocksdb::Options options;
  Check(rocksdb::DB::ListColumnFamilies(options, dir, &impl_->names));
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& n : impl_->names) families.push_back({n, {}});
  Check(rocksdb::DB::Open(options, dir, families, &impl_->handles, &impl_->db));
}

StoreTamper::~StoreTamper() {
  for (auto* h : impl_->handles) impl_->db->DestroyColumnFamilyHandle(h);
  delete impl_->db;
  delete impl_;
}

std::string StoreTamper::Get(uint64_t position) { return GetRaw("log", Key(position)); }

void StoreTamper::Put(uint64_t position, const std::string& value) {
  PutRaw("log", Key(position), value);
}

std::vector<std::string> StoreTamper::Keys(const std::string& family) {
  std::vector<std::string> keys;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator({}, impl_->Family(family)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) keys.push_back(it->key().ToString());
  Check(it->status());
  return keys;
}

std::string StoreTamper::GetRaw(const std::string& family, const std::string& key) {
  std::string v;
  Check(impl_->db->Get({}, impl_->Family(family), key, &v));
  return v;
}

void StoreTamper::PutRaw(const std::string& family, const std::string& key,
                         const std::string& value) {
  Check(impl_->db->Put({}, impl_->Family(family), key, value));
}

void StoreTamper::FlipRawByte(const std::string& family, const std::string& key, size_t offset,
                              uint8_t mask) {
  std::string v = GetRaw(family, key);
  v.at(offset) ^= static_cast<char>(mask);
  PutRaw(family, key, v);
}

void StoreTamper::Delete(uint64_t position) {
  Check(impl_->db->Delete({}, impl_->Family("log"), Key(position)));
}

void StoreTamper::RewriteChain(uint64_t position, const std::string& record) {
  std::string link(32, '\0');
  if (position > 0) link = Get(position - 1).substr(0, 32);
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator({}, impl_->Family("log")));
  uint64_t p = position;
  for (it->Seek(Key(position)); it->Valid(); it->Next(), ++p) {
    std::string rec = p == position ? record : it->value().ToString().substr(32);
    link = std::string(core::Sha256::AsBytes(core::Sha256Of(link, rec)));
    Put(p, link + rec);
  }
  Check(it->status());
  PutRaw("meta", "head", Key(p) + link);
}

void StoreTamper::RebuildTree() {
  core::merkle::Frontier frontier;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator({}, impl_->Family("log")));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view record(it->value().data() + 32, it->value().size() - 32);
    frontier.Add(core::merkle::LeafHash(record), [&](uint8_t level, uint64_t index,
                                                     const core::Hash& h) {
      std::string key(1, static_cast<char>(level));
      key += Key(index);
      Check(impl_->db->Put({}, impl_->Family("tree"), key, std::string(core::Sha256::AsBytes(h))));
    });
  }
  Check(it->status());
}

void StoreTamper::DropTree() { Check(impl_->db->DropColumnFamily(impl_->Family("tree"))); }

void StoreTamper::FlipHeadByte(size_t offset) { FlipRawByte("meta", "head", offset); }

void StoreTamper::SetHeadSize(uint64_t size) {
  PutRaw("meta", "head", Key(size) + GetRaw("meta", "head").substr(8));
}

void StoreTamper::FlipTreeNode(uint8_t level, uint64_t index, size_t offset) {
  FlipRawByte("tree", std::string(1, static_cast<char>(level)) + Key(index), offset);
}

void StoreTamper::FlipByte(uint64_t position, size_t offset, uint8_t mask) {
  FlipRawByte("log", Key(position), offset, mask);
}

void StoreTamper::Swap(uint64_t a, uint64_t b) {
  std::string va = Get(a), vb = Get(b);
  Put(a, vb);
  Put(b, va);
}

}  // namespace ledger::testing
