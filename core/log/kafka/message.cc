#include "core/log/kafka/message.h"

#include <fmt/core.h>

#include <utility>

#include "core/util/encoding.h"

namespace ledger::core::kafka {
namespace {

constexpr char kTypeHeader[] = "ledger-type";
constexpr char kSchemaHeader[] = "ledger-schema";
constexpr char kEventIdHeader[] = "ledger-event-id";
constexpr char kPositionHeader[] = "ledger-position";
constexpr char kChainHeader[] = "ledger-chain";

}  // namespace

KafkaRecordHeaders HeadersOf(uint64_t position, const fb::Event& event, const Hash& chain) {
  KafkaRecordHeaders h;
  h.type = events::TypeName(event.data_type());
  h.event_id = event.id()->string_view();
  h.schema_size =
      static_cast<uint8_t>(fmt::format_to(h.schema_digits.data(), "{}", event.schema_version()) -
                           h.schema_digits.data());
  h.position_size = static_cast<uint8_t>(fmt::format_to(h.position_digits.data(), "{}", position) -
                                         h.position_digits.data());
  HexInto(Sha256::AsBytes(chain), h.chain_hex.data());
  return h;
}

rd_kafka_resp_err_t ProduceRecordMessage(rd_kafka_t* rk, const std::string& topic,
                                         std::string_view record, int64_t recorded_at_us,
                                         const KafkaRecordHeaders& h) {
  auto header = [](const auto& v) { return static_cast<ssize_t>(v.size()); };
  return rd_kafka_producev(
      rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(kPartition),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
      RD_KAFKA_V_VALUE(const_cast<char*>(record.data()), record.size()),
      RD_KAFKA_V_KEY(h.event_id.data(), h.event_id.size()),
      RD_KAFKA_V_TIMESTAMP(recorded_at_us / 1000),
      RD_KAFKA_V_HEADER(kTypeHeader, h.type.data(), header(h.type)),
      RD_KAFKA_V_HEADER(kSchemaHeader, h.schema().data(), header(h.schema())),
      RD_KAFKA_V_HEADER(kEventIdHeader, h.event_id.data(), header(h.event_id)),
      RD_KAFKA_V_HEADER(kPositionHeader, h.position().data(), header(h.position())),
      RD_KAFKA_V_HEADER(kChainHeader, h.chain().data(), header(h.chain())), RD_KAFKA_V_END);
}

Result<Fetched> ParseMessage(MessagePtr m, const KafkaOptions& o) {
  Fetched f;
  f.offset = m->offset;
  const std::string where = fmt::format("{} offset {}", Where(o), m->offset);
  auto record = DecodeRecord(std::string_view(static_cast<const char*>(m->payload), m->len));
  if (!record.ok()) return record.status().WithContext(where);
  f.record = *record;
  rd_kafka_headers_t* headers = nullptr;
  const void* value = nullptr;
  size_t size = 0;
  if (rd_kafka_message_headers(m.get(), &headers) != RD_KAFKA_RESP_ERR_NO_ERROR ||
      rd_kafka_header_get_last(headers, kChainHeader, &value, &size) !=
          RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::Corruption(
        fmt::format("position {}: {}: no {} header", record->position, where, kChainHeader));
  }
  auto chain = HashFromHex(std::string_view(static_cast<const char*>(value), size));
  if (!chain.ok()) {
    return Status::Corruption(
        fmt::format("position {}: {}: malformed {} header", record->position, where, kChainHeader));
  }
  f.chain = *chain;
  f.message = std::move(m);
  return f;
}

}  // namespace ledger::core::kafka
