// byte_test, byte_jump, byte_extract, byte_math: read a number from the buffer
// (binary big/little endian or ASCII string dec/hex/oct) and test it, jump
// over it, or store it in a per-rule variable for later keywords.
#include <cstdint>
#include <memory>
#include <string>

#include "detect/keywords/keyword.h"
#include "detect/keywords/payload/payload_keyword.h"
#include "detect/keywords/payload/payload_util.h"

namespace seawall::detect {

namespace {

[[noreturn]] void fail(std::string_view kw, const std::string& why) {
  throw RuleError(std::string(kw) + ": " + why);
}

uint32_t trailing_zero_bits(uint64_t mask) {
  uint32_t n = 0;
  while (mask && !(mask & 1)) {
    mask >>= 1;
    ++n;
  }
  return n;
}

uint64_t apply_bitmask(uint64_t val, uint64_t mask, uint32_t shift) {
  val &= mask;
  if (val && shift) val >>= shift;
  return val;
}

// Options shared by the four keywords.
struct CommonOptions {
  bool relative = false;
  bool string = false;
  NumberBase base = NumberBase::kNone;
  bool little = false;
  bool endian_set = false;
  bool dce = false;
  bool has_bitmask = false;
  uint64_t bitmask = 0;
};

// Handles an option common to all byte keywords; false if it is not one.
bool common_option(std::string_view kw, std::string_view opt, CommonOptions& o) {
  if (opt == "relative") {
    o.relative = true;
  } else if (opt == "string") {
    o.string = true;
  } else if (opt == "dec" || opt == "hex" || opt == "oct") {
    if (o.base != NumberBase::kNone) fail(kw, "multiple number bases");
    o.base = opt == "dec" ? NumberBase::kDec : opt == "hex" ? NumberBase::kHex : NumberBase::kOct;
  } else if (opt == "big" || opt == "little") {
    if (o.endian_set) fail(kw, "multiple endianness options");
    o.endian_set = true;
    o.little = opt == "little";
  } else if (opt == "dce") {
    o.dce = true;
  } else if (opt.substr(0, 8) == "bitmask ") {
    if (!parse_u64(opt.substr(8), o.bitmask, true)) fail(kw, "invalid bitmask");
    o.has_bitmask = true;
  } else {
    return false;
  }
  return true;
}

void check_common(std::string_view kw, const CommonOptions& o) {
  if (o.dce) fail(kw, "dce needs the DCERPC parser, not yet available");
  if (!o.string && o.base != NumberBase::kNone) fail(kw, "cannot use a base without \"string\"");
  if (o.string && o.endian_set) fail(kw, "cannot combine \"string\" with an endianness");
}

ExtractSpec make_spec(const CommonOptions& o, uint32_t nbytes) {
  ExtractSpec s;
  s.nbytes = nbytes;
  s.string = o.string;
  s.base = o.base;
  s.little_endian = o.little;
  return s;
}

// Position of the first byte to read, as Suricata computes it (offset may be
// negative); false when it lies outside the buffer.
bool read_position(const InspectionCursor& c, bool relative, int64_t offset, uint64_t& pos) {
  int64_t p = offset;
  if (relative) {
    p += c.prev_end;
    if (static_cast<int64_t>(c.len) - p <= 0) return false;
  }
  if (p < 0 || p > static_cast<int64_t>(c.len)) return false;
  pos = static_cast<uint64_t>(p);
  return true;
}

// The operand of byte_test / byte_jump / byte_math: `n` bytes (at most
// `max_string` as text, 8 in binary) read at `offset`. Returns the bytes
// consumed and sets pos/val; 0 when the value cannot be read (no match).
uint32_t read_operand(const InspectionCursor& c, const CommonOptions& opt, int64_t n,
                      int64_t max_string, int64_t offset, uint64_t& pos, uint64_t& val) {
  if (n <= 0 || n > (opt.string ? max_string : 8)) return 0;
  if (!read_position(c, opt.relative, offset, pos)) return 0;
  val = 0;
  return extract_number(c.data, c.len, pos, make_spec(opt, static_cast<uint32_t>(n)), val);
}

// Shared end of byte_test / byte_jump setup: Suricata's byte-count limits,
// the bitmask shift, relative marking and the hand-off to the builder.
template <class Matcher>
void finish_byte_keyword(RuleBuilder& b, std::string_view kw, std::unique_ptr<Matcher> m,
                         int64_t max_string_bytes) {
  if (!m->nbytes.is_var) {
    if (m->opt.string && m->nbytes.value > max_string_bytes)
      fail(kw, "cannot test more than " + std::to_string(max_string_bytes) +
                   " bytes with \"string\"");
    if (!m->opt.string && m->nbytes.value > 8)
      fail(kw, "cannot test more than 8 bytes without \"string\"");
  }
  m->shift = trailing_zero_bits(m->opt.bitmask);
  if (m->opt.relative) add_relative_payload(b, std::move(m));
  else b.add_payload(std::move(m));
}

// ---------------------------------------------------------------- byte_test

enum class TestOp : uint8_t { kLt, kGt, kEq, kLe, kGe, kAnd, kXor };

class ByteTestMatcher final : public PayloadKeyword {
 public:
  CommonOptions opt;
  NumberOrVar nbytes, value, offset;
  TestOp op = TestOp::kEq;
  bool negate = false;
  uint32_t shift = 0;

  bool is_relative() const override { return opt.relative; }
  InspectOutcome inspect(const MatchContext&, InspectionCursor& c, uint32_t,
                         PayloadMatch& r) const override {
    uint64_t pos = 0, val = 0;
    if (!read_operand(c, opt, nbytes.get(c.vars), 23, offset.get(c.vars), pos, val))
      return InspectOutcome::kNoMatch;
    if (opt.has_bitmask) val = apply_bitmask(val, opt.bitmask, shift);
    const uint64_t v = static_cast<uint64_t>(value.get(c.vars));
    bool m = false;
    switch (op) {
      case TestOp::kLt: m = val < v; break;
      case TestOp::kGt: m = val > v; break;
      case TestOp::kEq: m = val == v; break;
      case TestOp::kLe: m = val <= v; break;
      case TestOp::kGe: m = val >= v; break;
      case TestOp::kAnd: m = (val & v) != 0; break;
      case TestOp::kXor: m = (val ^ v) != 0; break;
    }
    r.start = r.end = c.prev_end;
    return m != negate ? InspectOutcome::kMatch : InspectOutcome::kNoMatch;
  }
};

void setup_byte_test(RuleBuilder& b, std::string_view value) {
  constexpr std::string_view kw = "byte_test";
  auto args = split_options(value);
  if (args.size() < 4) fail(kw, "needs <nbytes>, <operator>, <value>, <offset>");
  auto m = std::make_unique<ByteTestMatcher>();
  m->nbytes = parse_number_or_var(b, kw, "nbytes", args[0], 1, 23);
  std::string_view op = args[1];
  if (!op.empty() && op[0] == '!') {
    m->negate = true;
    op = trim_ws(op.substr(1));
  }
  if (op == "<") m->op = TestOp::kLt;
  else if (op == ">") m->op = TestOp::kGt;
  else if (op == "=") m->op = TestOp::kEq;
  else if (op == "<=") m->op = TestOp::kLe;
  else if (op == ">=") m->op = TestOp::kGe;
  else if (op == "&") m->op = TestOp::kAnd;
  else if (op == "^") m->op = TestOp::kXor;
  else fail(kw, "invalid operator '" + std::string(args[1]) + "'");
  if (names_variable(args[2])) {
    m->value = parse_number_or_var(b, kw, "value", args[2], 0, 0);
  } else {
    uint64_t v;
    if (!parse_u64(args[2], v, true)) fail(kw, "invalid value '" + std::string(args[2]) + "'");
    m->value.value = static_cast<int64_t>(v);
  }
  // Suricata parses the byte_test offset as any int32 (StringParseInt32): an
  // offset past the buffer is a non-match, not a load error.
  m->offset = parse_number_or_var(b, kw, "offset", args[3], INT32_MIN, INT32_MAX);
  for (size_t i = 4; i < args.size(); ++i)
    if (!common_option(kw, args[i], m->opt)) fail(kw, "unknown option '" + std::string(args[i]) + "'");
  check_common(kw, m->opt);
  finish_byte_keyword(b, kw, std::move(m), 20);
}

// ---------------------------------------------------------------- byte_jump

class ByteJumpMatcher final : public PayloadKeyword {
 public:
  CommonOptions opt;
  NumberOrVar nbytes, offset;
  uint32_t multiplier = 1;
  int64_t post_offset = 0;
  bool align = false, from_beginning = false, from_end = false;
  uint32_t shift = 0;

  bool is_relative() const override { return opt.relative; }
  // Port of Suricata's DetectBytejumpDoMatch.
  InspectOutcome inspect(const MatchContext&, InspectionCursor& c, uint32_t,
                         PayloadMatch& r) const override {
    if (c.len == 0) return InspectOutcome::kNoMatch;
    uint64_t pos = 0, val = 0;
    const uint32_t consumed =
        read_operand(c, opt, nbytes.get(c.vars), 23, offset.get(c.vars), pos, val);
    if (!consumed) return InspectOutcome::kNoMatch;
    if (opt.has_bitmask) val = apply_bitmask(val, opt.bitmask, shift);
    val *= multiplier;
    if (align && (val % 4) != 0) val += 4 - (val % 4);
    val += static_cast<uint64_t>(post_offset);
    // Signed arithmetic on the jump target, like Suricata's pointer maths.
    const auto jump = static_cast<int64_t>(val);
    int64_t target;
    if (from_beginning) target = jump;
    else if (from_end) target = static_cast<int64_t>(c.len) + jump;
    else target = static_cast<int64_t>(pos) + jump + consumed;
    if (target < 0) target = 0;
    else if (target > static_cast<int64_t>(c.len)) return InspectOutcome::kNoMatch;
    c.prev_end = static_cast<uint32_t>(target);
    r.start = r.end = c.prev_end;
    return InspectOutcome::kMatch;
  }
};

void setup_byte_jump(RuleBuilder& b, std::string_view value) {
  constexpr std::string_view kw = "byte_jump";
  auto args = split_options(value);
  if (args.size() < 2) fail(kw, "needs <nbytes>, <offset>");
  auto m = std::make_unique<ByteJumpMatcher>();
  m->nbytes = parse_number_or_var(b, kw, "nbytes", args[0], 1, 23);
  m->offset = parse_number_or_var(b, kw, "offset", args[1], -65535, 65535);
  for (size_t i = 2; i < args.size(); ++i) {
    std::string_view o = args[i];
    if (common_option(kw, o, m->opt)) continue;
    if (o == "align") {
      m->align = true;
    } else if (o == "from_beginning") {
      m->from_beginning = true;
    } else if (o == "from_end") {
      m->from_end = true;
    } else if (o.substr(0, 11) == "multiplier ") {
      uint64_t v;
      if (!parse_u64(o.substr(11), v, false) || v < 1 || v > 65535)
        fail(kw, "invalid multiplier '" + std::string(o.substr(11)) + "'");
      m->multiplier = static_cast<uint32_t>(v);
    } else if (o.substr(0, 12) == "post_offset ") {
      int64_t v;
      if (!parse_i64(o.substr(12), v, false) || v < -65535 || v > 65535)
        fail(kw, "invalid post_offset '" + std::string(o.substr(12)) + "'");
      m->post_offset = v;
    } else {
      fail(kw, "unknown option '" + std::string(o) + "'");
    }
  }
  check_common(kw, m->opt);
  if (m->from_beginning && m->from_end)
    fail(kw, "'from_end' and 'from_beginning' cannot be used in the same byte_jump");
  finish_byte_keyword(b, kw, std::move(m), 23);
}

// ------------------------------------------------------------- byte_extract

class ByteExtractMatcher final : public PayloadKeyword {
 public:
  CommonOptions opt;
  uint32_t nbytes = 0;
  int64_t offset = 0;
  uint32_t multiplier = 1;
  uint32_t align = 0;
  uint32_t slot = 0;

  bool is_relative() const override { return opt.relative; }
  InspectOutcome inspect(const MatchContext&, InspectionCursor& c, uint32_t,
                         PayloadMatch& r) const override {
    uint64_t pos;
    if (!read_position(c, opt.relative, offset, pos)) return InspectOutcome::kNoMatch;
    uint64_t val = 0;
    const uint32_t consumed = extract_number(c.data, c.len, pos, make_spec(opt, nbytes), val);
    if (!consumed) return InspectOutcome::kNoMatch;
    val *= multiplier;
    if (align && (val % align) != 0) val += align - (val % align);
    if (c.vars) c.vars[slot] = static_cast<int64_t>(val);
    c.prev_end = static_cast<uint32_t>(pos + consumed);
    r.start = r.end = c.prev_end;
    return InspectOutcome::kMatch;
  }
};

void setup_byte_extract(RuleBuilder& b, std::string_view value) {
  constexpr std::string_view kw = "byte_extract";
  auto args = split_options(value);
  if (args.size() < 3) fail(kw, "needs <nbytes>, <offset>, <name>");
  auto m = std::make_unique<ByteExtractMatcher>();
  uint64_t n;
  if (!parse_u64(args[0], n, false) || n == 0) fail(kw, "invalid nbytes '" + std::string(args[0]) + "'");
  m->nbytes = static_cast<uint32_t>(n);
  int64_t off;
  if (!parse_i64(args[1], off, false) || off < -65535 || off > 65535)
    fail(kw, "invalid offset '" + std::string(args[1]) + "'");
  m->offset = off;
  if (!names_variable(args[2])) fail(kw, "invalid variable name '" + std::string(args[2]) + "'");
  for (size_t i = 3; i < args.size(); ++i) {
    std::string_view o = args[i];
    if (common_option(kw, o, m->opt)) continue;
    if (o.substr(0, 11) == "multiplier ") {
      uint64_t v;
      if (!parse_u64(o.substr(11), v, false) || v < 1 || v > 65535)
        fail(kw, "invalid multiplier '" + std::string(o.substr(11)) + "'");
      m->multiplier = static_cast<uint32_t>(v);
    } else if (o.substr(0, 6) == "align ") {
      uint64_t v;
      if (!parse_u64(o.substr(6), v, false) || (v != 2 && v != 4))
        fail(kw, "align must be 2 or 4");
      m->align = static_cast<uint32_t>(v);
    } else {
      fail(kw, "unknown option '" + std::string(o) + "'");
    }
  }
  if (m->opt.has_bitmask) fail(kw, "unknown option 'bitmask'");
  check_common(kw, m->opt);
  if (m->opt.string) {
    if (m->opt.base == NumberBase::kNone) m->opt.base = NumberBase::kDec;
    const uint32_t max = m->opt.base == NumberBase::kHex ? 14 : m->opt.base == NumberBase::kOct ? 23 : 20;
    if (m->nbytes > max)
      fail(kw, "cannot extract more than " + std::to_string(max) + " bytes with this string base");
  } else if (m->nbytes > 8) {
    fail(kw, "cannot extract more than 8 bytes without \"string\"");
  }
  uint32_t existing;
  if (b.find_byte_var(args[2], existing))
    fail(kw, "variable '" + std::string(args[2]) + "' already defined");
  m->slot = b.define_byte_var(args[2]);
  if (m->opt.relative) add_relative_payload(b, std::move(m));
  else b.add_payload(std::move(m));
}

// ---------------------------------------------------------------- byte_math

enum class MathOp : uint8_t { kAdd, kSub, kMul, kDiv, kShl, kShr };

class ByteMathMatcher final : public PayloadKeyword {
 public:
  CommonOptions opt;
  NumberOrVar nbytes, rvalue;
  int64_t offset = 0;
  MathOp op = MathOp::kAdd;
  uint32_t slot = 0;
  uint32_t shift = 0;

  bool is_relative() const override { return opt.relative; }
  // Port of Suricata's DetectByteMathDoMatch (bitmask applies to the result).
  InspectOutcome inspect(const MatchContext&, InspectionCursor& c, uint32_t,
                         PayloadMatch& r) const override {
    if (c.len == 0) return InspectOutcome::kNoMatch;
    uint64_t pos = 0, val = 0;
    const uint32_t consumed = read_operand(c, opt, nbytes.get(c.vars), 10, offset, pos, val);
    if (!consumed) return InspectOutcome::kNoMatch;
    c.prev_end = static_cast<uint32_t>(pos + consumed);
    const auto rv = static_cast<uint64_t>(rvalue.get(c.vars));
    switch (op) {
      case MathOp::kAdd: val += rv; break;
      case MathOp::kSub: val -= rv; break;
      case MathOp::kMul: val *= rv; break;
      case MathOp::kDiv:
        if (rv == 0) return InspectOutcome::kNoMatch;
        val /= rv;
        break;
      case MathOp::kShl: val = rv >= 64 ? 0 : val << rv; break;
      case MathOp::kShr: val = rv >= 64 ? 0 : val >> rv; break;
    }
    if (opt.has_bitmask) val = apply_bitmask(val, opt.bitmask, shift);
    if (c.vars) c.vars[slot] = static_cast<int64_t>(val);
    r.start = r.end = c.prev_end;
    return InspectOutcome::kMatch;
  }
};

void setup_byte_math(RuleBuilder& b, std::string_view value) {
  constexpr std::string_view kw = "byte_math";
  auto m = std::make_unique<ByteMathMatcher>();
  bool have_bytes = false, have_offset = false, have_oper = false, have_rvalue = false;
  std::string_view result;
  for (std::string_view o : split_options(value)) {
    const size_t sp = o.find(' ');
    const std::string_view key = o.substr(0, sp);
    const std::string_view arg = sp == std::string_view::npos ? "" : trim_ws(o.substr(sp + 1));
    if (key == "bytes") {
      m->nbytes = parse_number_or_var(b, kw, "bytes", arg, 1, 10);
      have_bytes = true;
    } else if (key == "offset") {
      int64_t v;
      if (!parse_i64(arg, v, false) || v < -65535 || v > 65535)
        fail(kw, "invalid offset '" + std::string(arg) + "'");
      m->offset = v;
      have_offset = true;
    } else if (key == "oper") {
      if (arg == "+") m->op = MathOp::kAdd;
      else if (arg == "-") m->op = MathOp::kSub;
      else if (arg == "*") m->op = MathOp::kMul;
      else if (arg == "/") m->op = MathOp::kDiv;
      else if (arg == "<<") m->op = MathOp::kShl;
      else if (arg == ">>") m->op = MathOp::kShr;
      else fail(kw, "invalid operator '" + std::string(arg) + "'");
      have_oper = true;
    } else if (key == "rvalue") {
      m->rvalue = parse_number_or_var(b, kw, "rvalue", arg, 0, 0xffffffffLL);
      have_rvalue = true;
    } else if (key == "result") {
      if (!names_variable(arg)) fail(kw, "result must be a variable name");
      result = arg;
    } else if (key == "endian") {
      if (arg == "dce") fail(kw, "dce needs the DCERPC parser, not yet available");
      if (arg != "big" && arg != "little") fail(kw, "invalid endian '" + std::string(arg) + "'");
      m->opt.endian_set = true;
      m->opt.little = arg == "little";
    } else if (key == "string") {
      if (arg != "dec" && arg != "hex" && arg != "oct") fail(kw, "invalid string base '" + std::string(arg) + "'");
      m->opt.string = true;
      common_option(kw, arg, m->opt);
    } else if (key == "bitmask") {
      if (!parse_u64(arg, m->opt.bitmask, true) || m->opt.bitmask > 0xffffffffULL)
        fail(kw, "invalid bitmask '" + std::string(arg) + "'");
      m->opt.has_bitmask = true;
    } else if (o == "relative") {
      m->opt.relative = true;
    } else if (o == "dce") {
      fail(kw, "dce needs the DCERPC parser, not yet available");
    } else {
      fail(kw, "unknown option '" + std::string(o) + "'");
    }
  }
  if (!have_bytes || !have_offset || !have_oper || !have_rvalue || result.empty())
    fail(kw, "needs bytes, offset, oper, rvalue and result");
  if (!m->nbytes.is_var && !m->opt.string && m->nbytes.value > 8)
    fail(kw, "cannot use more than 8 bytes without \"string\"");
  if (!m->nbytes.is_var && (m->op == MathOp::kShl || m->op == MathOp::kShr) && m->nbytes.value > 4)
    fail(kw, "nbytes must be 1 through 4 when used with << or >>");
  if (m->opt.string && m->opt.base == NumberBase::kNone) m->opt.base = NumberBase::kDec;
  m->shift = trailing_zero_bits(m->opt.bitmask);
  uint32_t existing;
  m->slot = b.find_byte_var(result, existing) ? existing : b.define_byte_var(result);
  if (m->opt.relative) add_relative_payload(b, std::move(m));
  else b.add_payload(std::move(m));
}

const bool kRegistered = [] {
  register_keyword({.name = "byte_test",
                    .help = "test a number read from the buffer: <nbytes>,[!]<op>,<value>,<offset>"
                            "[,relative][,big|little][,string,<dec|hex|oct>][,bitmask <m>]",
                    .kind = KeywordKind::kPayload, .flags = kValueRequired,
                    .setup = setup_byte_test});
  register_keyword({.name = "byte_jump",
                    .help = "move the cursor by a number read from the buffer",
                    .kind = KeywordKind::kPayload, .flags = kValueRequired,
                    .setup = setup_byte_jump});
  register_keyword({.name = "byte_extract",
                    .help = "store a number read from the buffer in a rule variable",
                    .kind = KeywordKind::kPayload, .flags = kValueRequired,
                    .setup = setup_byte_extract});
  register_keyword({.name = "byte_math",
                    .help = "arithmetic on a number read from the buffer, stored in a variable",
                    .kind = KeywordKind::kPayload, .flags = kValueRequired,
                    .setup = setup_byte_math});
  return true;
}();

}  // namespace

}  // namespace seawall::detect
