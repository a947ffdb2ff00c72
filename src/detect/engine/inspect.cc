#include "detect/engine/inspect.h"

#include <algorithm>
#include <vector>

#include "detect/buffers/buffer_registry.h"
#include "detect/keywords/payload/base64.h"
#include "detect/keywords/payload/payload_keyword.h"

namespace seawall::detect {

namespace {

thread_local uint32_t t_last_recursion_count = 0;
thread_local uint32_t t_last_stream_match_start = 0;

struct Walk {
  const MatchContext& ctx;
  const std::vector<std::unique_ptr<PayloadMatcher>>& matchers;
  size_t end;  // exclusive: a base64_data marker ends the buffer's own keywords
  InspectionCursor cursor;
  uint32_t& recursion;
  // Raw stream windows: a match counts only if some keyword matched past
  // min_end (in the bytes the packet delivered) and its first byte did not
  // start a match reported before (the guard), so what the lookback holds is
  // not reported again. max_end / min_start: extent of the matches so far.
  bool in_stream = false;
  uint32_t min_end = 0;
  uint32_t max_end = 0;
  uint32_t min_start = UINT32_MAX;
};

// -1: no match, stop backtracking; 0: no match; 1: match (Suricata's convention).
int walk(Walk& w, size_t i);

size_t base64_marker_after(const std::vector<std::unique_ptr<PayloadMatcher>>& ms, size_t from) {
  for (size_t k = from; k < ms.size(); ++k) {
    const auto* kw = dynamic_cast<const PayloadKeyword*>(ms[k].get());
    if (kw && kw->kind() == PayloadKind::kBase64Data) return k;
  }
  return ms.size();
}

// The chain is complete: it matched, if (in a stream window) its matches
// reach the new bytes and it is not a match reported before.
int chain_done(const Walk& w) {
  if (!w.in_stream) return 1;
  if (w.min_end > 0 && w.max_end <= w.min_end) return 0;
  const uint32_t start = w.min_start == UINT32_MAX ? 0 : w.min_start;
  if (w.ctx.stream_guard != nullptr && w.ctx.stream_guard->already_reported(start)) return 0;
  t_last_stream_match_start = start;
  return 1;
}

int walk_next(Walk& w, size_t i) { return i + 1 >= w.end ? chain_done(w) : walk(w, i + 1); }

int walk(Walk& w, size_t i) {
  if (++w.recursion >= kInspectionRecursionLimit) return -1;
  const PayloadMatcher* m = w.matchers[i].get();
  const auto* kw = dynamic_cast<const PayloadKeyword*>(m);
  if (kw == nullptr) {  // a matcher outside the payload keyword family
    const PayloadMatch pm = m->match(w.ctx, w.cursor, 0);
    if (!pm.matched) return 0;
    w.cursor.prev_end = pm.end;
    const uint32_t saved_max = w.max_end, saved_min = w.min_start;
    w.max_end = std::max(w.max_end, pm.end);
    w.min_start = std::min(w.min_start, pm.start);
    const int r = walk_next(w, i);
    w.max_end = saved_max;
    w.min_start = saved_min;
    return r;
  }
  PayloadMatch pm;
  switch (kw->kind()) {
    case PayloadKind::kContent:
    case PayloadKind::kPcre: {
      const uint32_t saved = w.cursor.prev_end;
      const uint32_t saved_max = w.max_end, saved_min = w.min_start;
      uint32_t from = 0;
      for (;;) {
        const InspectOutcome o = kw->inspect(w.ctx, w.cursor, from, pm);
        if (o == InspectOutcome::kDiscontinue) return -1;
        if (o == InspectOutcome::kNoMatch) return 0;
        // A negated match (absence) has no position to retry from.
        if (kw->negated()) return walk_next(w, i);
        w.max_end = std::max(saved_max, pm.end);
        w.min_start = std::min(saved_min, pm.start);
        const bool last = i + 1 >= w.end;
        // A pcre with nothing relative after it has no reason to look
        // further, unless its match is all in a stream window's lookback.
        if (!last && kw->kind() == PayloadKind::kPcre && !kw->relative_next()) {
          const int r = walk(w, i + 1);
          w.max_end = saved_max;
          w.min_start = saved_min;
          return r;
        }
        const int r = last ? chain_done(w) : walk(w, i + 1);
        w.max_end = saved_max;
        w.min_start = saved_min;
        if (r != 0) return r;
        // Retry a later occurrence when what follows depends on this one,
        // or when this last keyword only matched old stream bytes.
        if (!last && !kw->relative_next()) return -1;
        from = pm.start + 1;
        w.cursor.prev_end = saved;
      }
    }
    case PayloadKind::kBase64Decode: {
      if (kw->inspect(w.ctx, w.cursor, 0, pm) != InspectOutcome::kMatch) return 0;
      const size_t marker = base64_marker_after(w.matchers, i + 1);
      if (marker + 1 >= w.matchers.size()) return 0;  // no base64_data keywords
      const std::vector<uint8_t>& decoded = Base64DecodeMatcher::decoded();
      Walk sub{w.ctx, w.matchers, w.matchers.size(),
               InspectionCursor{decoded.data(), static_cast<uint32_t>(decoded.size()), 0,
                                w.cursor.vars},
               w.recursion};
      // The decoded data is the end of this buffer's inspection.
      return walk(sub, marker + 1) == 1 ? 1 : 0;
    }
    case PayloadKind::kBase64Data:  // only reached when the marker is first: nothing decoded
      return 0;
    case PayloadKind::kOther:
      break;
  }
  const InspectOutcome o = kw->inspect(w.ctx, w.cursor, 0, pm);
  if (o == InspectOutcome::kMatch) return walk_next(w, i);
  return o == InspectOutcome::kDiscontinue ? -1 : 0;
}

std::vector<uint8_t>& transform_scratch(int which) {
  // Two buffers so a chain of transforms can ping-pong without copying back.
  thread_local std::vector<uint8_t> buffers[2] = {[] {
    std::vector<uint8_t> v;
    v.reserve(65536);
    return v;
  }(), [] {
    std::vector<uint8_t> v;
    v.reserve(65536);
    return v;
  }()};
  return buffers[which];
}

}  // namespace

ByteView transform_buffer(const BufferInspection& insp, const uint8_t* data, uint32_t len) {
  ByteView current(data, len);
  int which = 0;
  for (const auto& t : insp.transforms) {
    std::vector<uint8_t>& out = transform_scratch(which);
    t->apply(current, out);
    current = ByteView(out.data(), out.size());
    which ^= 1;
  }
  return current;
}

bool inspect_buffer(const MatchContext& ctx, const BufferInspection& insp, const uint8_t* data,
                    uint32_t len, int64_t* vars) {
  t_last_recursion_count = 0;
  if (insp.matchers.empty()) return true;
  const ByteView view = insp.transforms.empty() ? ByteView(data, len)
                                                : transform_buffer(insp, data, len);
  uint32_t recursion = 0;
  Walk w{ctx, insp.matchers, base64_marker_after(insp.matchers, 0),
         InspectionCursor{view.data(), static_cast<uint32_t>(view.size()), 0, vars}, recursion};
  // Positions are window positions only without transforms.
  if (ctx.in_stream && insp.buffer_id == kPktDataBuffer && insp.transforms.empty()) {
    w.in_stream = true;
    w.min_end = ctx.stream_new_offset;
  }
  const int r = w.end == 0 ? 0 : walk(w, 0);
  t_last_recursion_count = recursion;
  return r == 1;
}

uint32_t last_inspection_recursion_count() { return t_last_recursion_count; }

uint32_t last_stream_match_start() { return t_last_stream_match_start; }

}  // namespace seawall::detect
