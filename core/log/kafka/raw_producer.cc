#include "core/log/kafka/raw_producer.h"

#include <librdkafka/rdkafka.h>

#include <utility>
#include <vector>

#include "core/log/kafka/client.h"
#include "core/log/kafka/message.h"
#include "core/log/record_format.h"
#include "events/codec.h"

namespace ledger::core {

using kafka::KafkaPtr;

struct RawKafkaMessages::Built {
  std::span<const std::string> events;
  std::vector<std::string> records;
  std::vector<kafka::KafkaRecordHeaders> headers;  // point into `events`
  int64_t recorded_at_us = NowMicros();
};

RawKafkaMessages::RawKafkaMessages(std::unique_ptr<Built> built) : built_(std::move(built)) {}
RawKafkaMessages::RawKafkaMessages(RawKafkaMessages&&) noexcept = default;
RawKafkaMessages::~RawKafkaMessages() = default;

Result<RawKafkaMessages> RawKafkaMessages::Of(std::span<const std::string> events) {
  auto m = std::make_unique<Built>();
  m->events = events;
  m->records.resize(events.size());
  Hash chain{};
  for (size_t i = 0; i < events.size(); ++i) {
    AppendRecord(i, m->recorded_at_us, events[i], &m->records[i]);
    chain = ChainHash(chain, m->records[i]);
    auto event = events::DecodeEvent(events[i]);
    if (!event.ok()) return event.status();
    m->headers.push_back(kafka::HeadersOf(i, **event, chain));
  }
  return RawKafkaMessages(std::move(m));
}

struct RawKafkaProducer::Client {
  const KafkaOptions options;
  const RawKafkaMessages::Built& messages;
  const RawPayload payload;
  uint64_t failed = 0;  // delivery reports with an error
  KafkaPtr rk;

  rd_kafka_resp_err_t Produce(size_t i) {
    if (payload == RawPayload::kRecordMessages) {
      return kafka::ProduceRecordMessage(rk.get(), options.topic, messages.records[i],
                                         messages.recorded_at_us, messages.headers[i]);
    }
    const std::string& event = messages.events[i];
    return rd_kafka_producev(
        rk.get(), RD_KAFKA_V_TOPIC(options.topic.c_str()), RD_KAFKA_V_PARTITION(kafka::kPartition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_VALUE(const_cast<char*>(event.data()), event.size()), RD_KAFKA_V_END);
  }
  void ProduceWaiting(size_t i) {
    while (Produce(i) == RD_KAFKA_RESP_ERR__QUEUE_FULL) rd_kafka_poll(rk.get(), 10);
  }
};

RawKafkaProducer::RawKafkaProducer(std::unique_ptr<Client> client) : client_(std::move(client)) {}
RawKafkaProducer::~RawKafkaProducer() = default;

Result<std::unique_ptr<RawKafkaProducer>> RawKafkaProducer::Open(const KafkaOptions& options,
                                                                 const RawKafkaMessages& messages,
                                                                 RawPayload payload) {
  auto client = std::unique_ptr<Client>(new Client{options, *messages.built_, payload});
  auto rk = kafka::NewClient(
      RD_KAFKA_PRODUCER,
      {{"bootstrap.servers", options.brokers},
       {"enable.idempotence", "true"},
       {"acks", "all"},
       {"linger.ms", "5"},
       {"batch.num.messages", "10000"},
       {"queue.buffering.max.messages", "1000000"},
       {"queue.buffering.max.kbytes", "1048576"},
       {"socket.nagle.disable", "true"}},
      [](rd_kafka_t*, const rd_kafka_message_t* m, void* failed) {
        if (m->err) ++*static_cast<uint64_t*>(failed);
      },
      &client->failed);
  if (!rk.ok()) return rk.status();
  client->rk = std::move(rk).value();
  client->ProduceWaiting(0);
  rd_kafka_flush(client->rk.get(), 60000);
  return std::unique_ptr<RawKafkaProducer>(new RawKafkaProducer(std::move(client)));
}

void RawKafkaProducer::ProduceAll(size_t batch, bool per_batch) {
  rd_kafka_t* rk = client_->rk.get();
  const size_t n = client_->messages.records.size();
  for (size_t i = 0; i < n; ++i) {
    client_->ProduceWaiting(i);
    if ((per_batch && (i + 1) % batch == 0) || i + 1 == n) {
      rd_kafka_flush(rk, 60000);
    } else if ((i + 1) % batch == 0) {
      rd_kafka_poll(rk, 0);  // streaming: serve the delivery reports, never wait
    }
  }
}

Status RawKafkaProducer::Close() {
  const bool unacked = rd_kafka_outq_len(client_->rk.get()) > 0;
  client_->rk.reset();
  if (client_->failed > 0 || unacked) {
    return Status::Unavailable("raw producer: messages not acknowledged");
  }
  return Status::OK();
}

}  // namespace ledger::core
