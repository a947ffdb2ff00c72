#include "detect/engine/inspect.h"

#include <vector>

#include "detect/keywords/payload/base64.h"
#include "detect/keywords/payload/payload_keyword.h"

namespace seawall::detect {

namespace {

thread_local uint32_t t_last_recursion_count = 0;

struct Walk {
  const MatchContext& ctx;
  const std::vector<std::unique_ptr<PayloadMatcher>>& matchers;
  size_t end;  // exclusive: a base64_data marker ends the buffer's own keywords
  InspectionCursor cursor;
  uint32_t& recursion;
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

int walk_next(Walk& w, size_t i) { return i + 1 >= w.end ? 1 : walk(w, i + 1); }

int walk(Walk& w, size_t i) {
  if (++w.recursion >= kInspectionRecursionLimit) return -1;
  const PayloadMatcher* m = w.matchers[i].get();
  const auto* kw = dynamic_cast<const PayloadKeyword*>(m);
  if (kw == nullptr) {  // a matcher outside the payload keyword family
    const PayloadMatch pm = m->match(w.ctx, w.cursor, 0);
    if (!pm.matched) return 0;
    w.cursor.prev_end = pm.end;
    return walk_next(w, i);
  }
  PayloadMatch pm;
  switch (kw->kind()) {
    case PayloadKind::kContent:
    case PayloadKind::kPcre: {
      const uint32_t saved = w.cursor.prev_end;
      uint32_t from = 0;
      for (;;) {
        const InspectOutcome o = kw->inspect(w.ctx, w.cursor, from, pm);
        if (o == InspectOutcome::kDiscontinue) return -1;
        if (o == InspectOutcome::kNoMatch) return 0;
        // A negated match (absence) has no position to retry from; a pcre with
        // nothing relative after it has no reason to look further.
        if (kw->negated() || (kw->kind() == PayloadKind::kPcre && !kw->relative_next()))
          return walk_next(w, i);
        if (i + 1 >= w.end) return 1;
        const int r = walk(w, i + 1);
        if (r != 0) return r;
        if (!kw->relative_next()) return -1;  // the next keywords do not depend on us
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
  const int r = w.end == 0 ? 0 : walk(w, 0);
  t_last_recursion_count = recursion;
  return r == 1;
}

uint32_t last_inspection_recursion_count() { return t_last_recursion_count; }

}  // namespace seawall::detect
