#include "tests/support/store_tamper.h"

#include <rocksdb/db.h>

#include <stdexcept>
#include <vector>

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
};

StoreTamper::StoreTamper(const std::string& dir) : impl_(new Impl) {
  rocksdb::Options options;
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, {}}, {"log", {}}, {"meta", {}}, {"state", {}}};
  Check(rocksdb::DB::Open(options, dir, families, &impl_->handles, &impl_->db));
}

StoreTamper::~StoreTamper() {
  for (auto* h : impl_->handles) impl_->db->DestroyColumnFamilyHandle(h);
  delete impl_->db;
  delete impl_;
}

std::string StoreTamper::Get(uint64_t position) {
  std::string v;
  Check(impl_->db->Get({}, impl_->handles[1], Key(position), &v));
  return v;
}

void StoreTamper::Put(uint64_t position, const std::string& value) {
  Check(impl_->db->Put({}, impl_->handles[1], Key(position), value));
}

void StoreTamper::Delete(uint64_t position) {
  Check(impl_->db->Delete({}, impl_->handles[1], Key(position)));
}

void StoreTamper::FlipByte(uint64_t position, size_t offset) {
  std::string v = Get(position);
  v.at(offset) ^= 0x01;
  Put(position, v);
}

void StoreTamper::Swap(uint64_t a, uint64_t b) {
  std::string va = Get(a), vb = Get(b);
  Put(a, vb);
  Put(b, va);
}

}  // namespace ledger::testing
