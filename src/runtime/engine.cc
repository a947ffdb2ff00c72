#include "runtime/engine.h"

#include <chrono>
#include <thread>

#include "core/log.h"
#include "runtime/dispatch_hash.h"
#include "runtime/packet_ring.h"
#include "runtime/worker.h"

namespace seawall {
namespace {

using Clock = std::chrono::steady_clock;

// The reader's own counters (stats thread view): frames handed to workers.
const Counter kCaptureFrames = register_counter(
    {.name = "capture.frames", .help = "Frames read from the capture source"});
const Counter kCaptureBytes = register_counter(
    {.name = "capture.bytes", .help = "Bytes (captured length) read from the capture source"});
const Counter kRingWaits = register_counter(
    {.name = "capture.ring_full_waits",
     .help = "Times the reader waited for a worker queue to drain (autofp)"});

struct StatsPublisher {
  const EngineConfig& config;
  EveWriter writer;
  Clock::time_point started = Clock::now();
  Clock::time_point next_due;

  StatsPublisher(const EngineConfig& c, EveSink& sink)
      : config(c), writer(c.eve, sink), next_due(Clock::now() + std::chrono::seconds(c.stats_interval_seconds)) {
    if (c.detect_info) writer.set_detect_engine(*c.detect_info);
  }

  uint64_t uptime() const {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count());
  }

  void maybe_publish(Timestamp now, const std::vector<const ThreadCounters*>& threads) {
    if (!config.stats_enabled || !config.eve.stats || config.stats_interval_seconds == 0) return;
    auto wall = Clock::now();
    if (wall < next_due) return;
    next_due = wall + std::chrono::seconds(config.stats_interval_seconds);
    writer.log_stats(now, uptime(), merge_counters(threads));
    writer.flush();
  }
};

// The packet clock: capture time that never steps back, ticking once per
// new second. Every worker sees the same ticks whatever the thread count.
struct PacketClock {
  Timestamp now{};
  int64_t last_tick_sec = INT64_MIN;
  // Advances on a frame; true when the frame starts a new second.
  bool advance(Timestamp ts) {
    if (ts > now) now = ts;  // capture files can go back in time
    if (now.sec == last_tick_sec) return false;
    last_tick_sec = now.sec;
    return true;
  }
};

}  // namespace

unsigned effective_worker_count(const EngineConfig& config) {
  if (config.runmode == RunMode::kSingle) return 1;
  unsigned n = config.threads;
  if (n == 0) {
    double cores = std::max(1u, std::thread::hardware_concurrency());
    n = static_cast<unsigned>(std::max(1.0, cores * config.detect_thread_ratio));
  }
  return n;
}

Engine::Engine(const EngineConfig& config) : config_(config) {}
Engine::~Engine() = default;

RunSummary Engine::run(CaptureSource& source) {
  RunSummary summary;
  auto started = Clock::now();
  EveSink sink(config_.eve_sink);
  StatsPublisher stats(config_, sink);
  ThreadCounters reader_counters;

  const unsigned worker_count = effective_worker_count(config_);
  std::unique_ptr<EveSink> fast_log;
  if (config_.detect != nullptr && config_.fast_log) fast_log = std::make_unique<EveSink>(config_.fast_log_sink);
  WorkerConfig worker_config{.decode = &config_.decode,
                             .flow = config_.flow,
                             .eve = &config_.eve,
                             .detect = config_.detect,
                             .fast_log = fast_log.get()};
  // The memcap bounds the whole engine, so each worker gets its share.
  worker_config.flow.memcap = std::max<uint64_t>(config_.flow.memcap / worker_count, 1);
  worker_config.stream = config_.stream;
  worker_config.stream.memcap = std::max<uint64_t>(config_.stream.memcap / worker_count, 1);
  worker_config.stream.reassembly_memcap =
      std::max<uint64_t>(config_.stream.reassembly_memcap / worker_count, 1);
  worker_config.stream.raw_inspection =
      config_.detect != nullptr && config_.detect->inspects_raw_stream();
  worker_config.defrag = config_.defrag;
  worker_config.defrag.memcap = std::max<uint64_t>(config_.defrag.memcap / worker_count, 1);
  worker_config.defrag_enabled = config_.defrag_enabled;
  worker_config.app_layer = config_.app_layer;
  worker_config.app_layer_enabled = config_.app_layer_enabled;
  worker_config.ips_mode = config_.ips_mode;

  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned i = 0; i < worker_count; ++i)
    workers.push_back(std::make_unique<Worker>(worker_config, sink));
  std::vector<const ThreadCounters*> all_counters_view{&reader_counters};
  for (auto& w : workers) all_counters_view.push_back(&w->counters());

  PacketClock clock;
  RawFrame frame;
  uint64_t since_stats_check = 0;

  bool clock_advanced = false;  // the frame just read starts a new second
  // Reads the next frame, advances the packet clock, publishes periodic stats.
  auto read_next = [&]() -> bool {
    if (stop_.load(std::memory_order_relaxed)) return false;
    ReadStatus st = source.next(frame);
    if (st != ReadStatus::kFrame) return false;
    reader_counters.add(kCaptureFrames);
    reader_counters.add(kCaptureBytes, frame.caplen);
    summary.frames++;
    summary.bytes += frame.caplen;
    clock_advanced = clock.advance(frame.ts);
    if (++since_stats_check == 4096) {
      since_stats_check = 0;
      stats.maybe_publish(clock.now, all_counters_view);
    }
    return true;
  };
  auto shard_of = [&](const RawFrame& f) {
    return dispatch_hash(f.data, f.caplen, f.link, config_.decode,
                         /*use_ports=*/!config_.defrag_enabled) % worker_count;
  };

  // workers runmode on input that can be read more than once (files): every
  // worker reads the whole input itself and keeps its share, so no reader
  // thread copies frames into queues — on a machine with as many cores as
  // workers, the reader would otherwise compete with them.
  std::vector<std::unique_ptr<CaptureSource>> replicas;
  if (config_.runmode == RunMode::kWorkers && worker_count > 1) {
    for (unsigned i = 1; i < worker_count; ++i) {
      std::unique_ptr<CaptureSource> r = source.open_replica();
      if (r == nullptr) {
        replicas.clear();
        break;
      }
      replicas.push_back(std::move(r));
    }
  }

  if (worker_count == 1 && config_.runmode == RunMode::kSingle) {
    Worker& w = *workers[0];
    while (read_next()) {
      if (clock_advanced) w.tick(clock.now);
      w.process_frame(frame.ts, frame.pcap_cnt, frame.data, frame.caplen, frame.wirelen, frame.link);
    }
    w.finish(clock.now);
  } else if (!replicas.empty()) {
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < worker_count; ++i) {
      threads.emplace_back([&, i] {
        CaptureSource& input = *replicas[i - 1];
        Worker& w = *workers[i];
        PacketClock own_clock;
        RawFrame f;
        while (!stop_.load(std::memory_order_relaxed) && input.next(f) == ReadStatus::kFrame) {
          if (own_clock.advance(f.ts)) w.tick(own_clock.now);
          if (shard_of(f) == i) w.process_frame(f.ts, f.pcap_cnt, f.data, f.caplen, f.wirelen, f.link);
        }
        w.finish(own_clock.now);
      });
    }
    // Worker 0 runs on this thread over the original source, which counts
    // frames, publishes stats and reports problems with the input.
    Worker& w = *workers[0];
    while (read_next()) {
      if (clock_advanced) w.tick(clock.now);
      if (shard_of(frame) == 0)
        w.process_frame(frame.ts, frame.pcap_cnt, frame.data, frame.caplen, frame.wirelen, frame.link);
    }
    w.finish(clock.now);
    for (auto& t : threads) t.join();
  } else {
    std::vector<std::unique_ptr<PacketRing>> rings;
    for (unsigned i = 0; i < worker_count; ++i)
      rings.push_back(std::make_unique<PacketRing>(config_.ring_bytes_per_worker));
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < worker_count; ++i) {
      threads.emplace_back([&, i] {
        Worker& w = *workers[i];
        PacketRing& ring = *rings[i];
        for (;;) {
          const RingRecord& r = ring.acquire();
          if (r.kind == RingRecordKind::kFrame) {
            w.process_frame(r.ts, r.pcap_cnt, r.data(), r.caplen, r.wirelen, r.link);
          } else if (r.kind == RingRecordKind::kTick) {
            w.tick(r.ts);
          } else if (r.kind == RingRecordKind::kStop) {
            Timestamp end = r.ts;
            ring.release(r);
            w.finish(end);
            return;
          }
          ring.release(r);
        }
      });
    }
    while (read_next()) {
      if (clock_advanced)
        for (auto& ring : rings) ring->push_control(RingRecordKind::kTick, clock.now);
      rings[shard_of(frame)]->push_frame(frame.ts, frame.pcap_cnt, frame.data, frame.caplen,
                                          frame.wirelen, frame.link);
    }
    for (auto& ring : rings) ring->push_control(RingRecordKind::kStop, clock.now);
    for (auto& t : threads) t.join();
    uint64_t waits = 0;
    for (auto& ring : rings) waits += ring->producer_waits();
    reader_counters.add(kRingWaits, waits);
  }

  summary.counters = merge_counters(all_counters_view);
  if (config_.stats_enabled && config_.eve.stats) {
    stats.writer.log_stats(clock.now, stats.uptime(), summary.counters);
  }
  stats.writer.flush();
  workers.clear();  // flushes every worker's buffers before the sinks close
  sink.flush();
  if (fast_log) fast_log->flush();
  summary.eve = sink.stats();
  summary.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return summary;
}

}  // namespace seawall
