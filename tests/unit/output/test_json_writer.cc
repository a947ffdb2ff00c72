// JsonWriter: structure, RFC 8259 escaping, UTF-8 handling, numbers. Expected
// strings are derived by hand from RFC 8259 section 7 and RFC 3629 section 4;
// Python's json module re-parses the output as an independent check.
#include "output/eve/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "json_check.h"

namespace seawall {
namespace {

std::string escaped(std::string_view in) {
  std::string out;
  json_escape_append(out, reinterpret_cast<const uint8_t*>(in.data()), in.size());
  return out;
}

std::string as_json_string(std::string_view in) {
  std::string out;
  JsonWriter w(out);
  w.string(in);
  w.sync();
  return out;
}

TEST(JsonWriter, NestingAndSeparators) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.member_int("a", 1);
  w.key("b");
  w.begin_array();
  w.integer(1);
  w.integer(2);
  w.begin_object();
  w.member_bool("c", true);
  w.end_object();
  w.begin_array();
  w.end_array();
  w.end_array();
  w.key("d");
  w.begin_object();
  w.end_object();
  w.key("e");
  w.null();
  w.member("f", "x");
  w.key("g");
  w.raw("\"2012-04-03T13:14:10.364667+0000\"");
  w.member_uint("h", 7);
  w.end_object();
  w.sync();
  EXPECT_EQ(out,
            R"({"a":1,"b":[1,2,{"c":true},[]],"d":{},"e":null,"f":"x",)"
            R"("g":"2012-04-03T13:14:10.364667+0000","h":7})");
}

TEST(JsonWriter, WriterOverExistingBufferAppends) {
  std::string out = "prefix\n";
  JsonWriter w(out);
  w.begin_object();
  w.member("k", "v");
  w.end_object();
  w.sync();
  EXPECT_EQ(out, "prefix\n{\"k\":\"v\"}");
}

TEST(JsonWriter, EveryControlCharacterIsEscaped) {
  // RFC 8259 section 7: U+0000..U+001F must be escaped; the two-character forms
  // exist for \b \f \n \r \t, the rest use \u00XX.
  for (int c = 0; c < 0x20; ++c) {
    std::string in(1, static_cast<char>(c));
    std::string expect;
    switch (c) {
      case 0x08: expect = "\\b"; break;
      case 0x09: expect = "\\t"; break;
      case 0x0a: expect = "\\n"; break;
      case 0x0c: expect = "\\f"; break;
      case 0x0d: expect = "\\r"; break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        expect = buf;
      }
    }
    EXPECT_EQ(escaped(in), expect) << "control char " << c;
  }
}

TEST(JsonWriter, QuoteBackslashSolidusAndDel) {
  EXPECT_EQ(escaped("\""), "\\\"");
  EXPECT_EQ(escaped("\\"), "\\\\");
  EXPECT_EQ(escaped("/"), "/");          // escaping '/' is optional; not done
  EXPECT_EQ(escaped("\x7f"), "\x7f");    // DEL is not a control char for JSON
  EXPECT_EQ(escaped("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  // RFC 8259 section 7 example: G clef U+1D11E is the UTF-8 bytes F0 9D 84 9E.
  EXPECT_EQ(escaped("\xF0\x9D\x84\x9E"), "\xF0\x9D\x84\x9E");
}

TEST(JsonWriter, ValidMultiByteUtf8PassesThrough) {
  const char* samples[] = {
      "\xC2\x80",          // U+0080, smallest 2-byte
      "\xC3\xA9",          // é
      "\xDF\xBF",          // U+07FF
      "\xE0\xA0\x80",      // U+0800, smallest 3-byte
      "\xE2\x82\xAC",      // €
      "\xED\x9F\xBF",      // U+D7FF, just below the surrogates
      "\xEE\x80\x80",      // U+E000, just above
      "\xEF\xBF\xBF",      // U+FFFF
      "\xF0\x90\x80\x80",  // U+10000, smallest 4-byte
      "\xF0\x9F\x98\x80",  // 😀
      "\xF4\x8F\xBF\xBF",  // U+10FFFF, largest code point
  };
  for (const char* s : samples) EXPECT_EQ(escaped(s), s) << "sample " << s;
}

TEST(JsonWriter, InvalidUtf8BytesBecomeU00Escapes) {
  // Each byte that does not start a well-formed sequence (RFC 3629 section 4)
  // is written as \u00XX and decoding resumes at the next byte.
  EXPECT_EQ(escaped("\x80"), "\\u0080");                        // lone continuation
  EXPECT_EQ(escaped("a\xBF" "b"), "a\\u00bfb");
  EXPECT_EQ(escaped("\xC0\xAF"), "\\u00c0\\u00af");             // overlong '/'
  EXPECT_EQ(escaped("\xC1\xBF"), "\\u00c1\\u00bf");             // overlong
  EXPECT_EQ(escaped("\xE0\x80\xAF"), "\\u00e0\\u0080\\u00af");  // overlong 3-byte
  EXPECT_EQ(escaped("\xF0\x80\x80\xAF"), "\\u00f0\\u0080\\u0080\\u00af");  // overlong 4-byte
  EXPECT_EQ(escaped("\xE2\x82"), "\\u00e2\\u0082");             // truncated at end
  EXPECT_EQ(escaped("\xE2\x82" "A"), "\\u00e2\\u0082A");        // truncated mid-string
  EXPECT_EQ(escaped("\xF0\x9F\x98"), "\\u00f0\\u009f\\u0098");  // truncated 4-byte
  EXPECT_EQ(escaped("\xED\xA0\x80"), "\\u00ed\\u00a0\\u0080");  // U+D800 (surrogate)
  EXPECT_EQ(escaped("\xED\xBF\xBF"), "\\u00ed\\u00bf\\u00bf");  // U+DFFF (surrogate)
  EXPECT_EQ(escaped("\xF4\x90\x80\x80"), "\\u00f4\\u0090\\u0080\\u0080");  // > U+10FFFF
  EXPECT_EQ(escaped("\xF5\x80\x80\x80"), "\\u00f5\\u0080\\u0080\\u0080");
  EXPECT_EQ(escaped("\xFE\xFF"), "\\u00fe\\u00ff");
  // A valid character right after an invalid byte survives.
  EXPECT_EQ(escaped("\xC3\xC3\xA9"), "\\u00c3\xC3\xA9");
}

TEST(JsonWriter, Integers) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  w.integer(0);
  w.integer(-1);
  w.integer(std::numeric_limits<int64_t>::min());
  w.integer(std::numeric_limits<int64_t>::max());
  w.uinteger(std::numeric_limits<uint64_t>::max());
  w.end_array();
  w.sync();
  EXPECT_EQ(out,
            "[0,-1,-9223372036854775808,9223372036854775807,18446744073709551615]");
}

TEST(JsonWriter, DoublesFiniteAndNonFinite) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  w.number(1.5);
  w.number(-0.25);
  w.number(0.1);
  w.number(1e300);
  w.number(std::nan(""));
  w.number(std::numeric_limits<double>::infinity());
  w.number(-std::numeric_limits<double>::infinity());
  w.end_array();
  w.sync();
  EXPECT_EQ(out.substr(out.size() - 15), "null,null,null]");
  if (!test::python_available()) GTEST_SKIP() << "python3 not found at " << test::kPython;
  // Shortest round-trip form: Python reads back exactly the same doubles.
  EXPECT_EQ(test::run_python(out + "\n",
                             "print(records[0][:4] == [1.5, -0.25, 0.1, 1e300])"),
            "True");
}

TEST(JsonWriter, PythonParsesEscapedControlAndUnicode) {
  if (!test::python_available()) GTEST_SKIP() << "python3 not found at " << test::kPython;
  std::string all;
  for (int c = 0; c < 0x80; ++c) all.push_back(static_cast<char>(c));
  all += "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  std::string line = as_json_string(all) + "\n";
  std::string script =
      "s = records[0]\n"
      "print(s == ''.join(chr(c) for c in range(0x80)) + '\\u00e9\\u20ac\\U0001F600')";
  EXPECT_EQ(test::run_python(line, script), "True");
}

TEST(JsonWriter, PythonSeesInvalidBytesAsLatin1CodePoints) {
  if (!test::python_available()) GTEST_SKIP() << "python3 not found at " << test::kPython;
  std::string line = as_json_string("a\x80\xC0\xAF\xED\xA0\x80z") + "\n";
  EXPECT_EQ(test::run_python(line, "print([hex(ord(c)) for c in records[0]])"),
            "['0x61', '0x80', '0xc0', '0xaf', '0xed', '0xa0', '0x80', '0x7a']");
}

TEST(JsonWriter, RandomBytesAlwaysGiveValidJson) {
  if (!test::python_available()) GTEST_SKIP() << "python3 not found at " << test::kPython;
  std::mt19937 rng(12345);
  std::string lines;
  for (int i = 0; i < 500; ++i) {
    std::string bytes(rng() % 40, '\0');
    for (auto& b : bytes) {
      // Bias towards the interesting ranges: controls, ASCII, lead/continuation bytes.
      uint32_t r = rng() % 4;
      b = static_cast<char>(r == 0 ? rng() % 0x20 : r == 1 ? 0x20 + rng() % 0x60
                                                           : 0x80 + rng() % 0x80);
    }
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.key(bytes);  // keys are escaped the same way
    w.string_bytes(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    w.end_object();
    w.sync();
    lines += out + "\n";
  }
  EXPECT_EQ(test::run_python(lines, "print(len(records))"), "500");
}

TEST(JsonWriter, StringConcat) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("event");
  w.string_concat("decoder.", "ipv4.trunc_pkt");
  w.member("next", "x\n");
  w.end_object();
  w.sync();
  EXPECT_EQ(out, R"({"event":"decoder.ipv4.trunc_pkt","next":"x\n"})");
}

TEST(JsonWriter, LongStringsSurviveSlicedEscaping) {
  // The writer escapes in 4 KiB slices: multi-byte characters and invalid
  // bytes around every slice boundary must read back (Python's strict UTF-8
  // decoder, invalid bytes as their Latin-1 code points) as the input.
  if (!test::python_available()) GTEST_SKIP() << "python3 not found at " << test::kPython;
  std::mt19937 rng(7);
  const char* pieces[] = {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\x80", "\"",
                          "\n", "\xF0\x9F", "\x01", "\xED\xA0\x80"};
  std::string lines;
  for (int round = 0; round < 60; ++round) {
    std::string in;
    const size_t target = 4000 + rng() % 9000;
    while (in.size() < target) in += pieces[rng() % std::size(pieces)];
    std::string hex;
    for (unsigned char c : in) {
      hex.push_back("0123456789abcdef"[c >> 4]);
      hex.push_back("0123456789abcdef"[c & 0xf]);
    }
    std::string out;
    {
      JsonWriter w(out);
      w.begin_object();
      w.member("s", in);
      w.member("hex", hex);
      w.end_object();
    }
    lines += out + "\n";
  }
  const std::string script =
      "import codecs\n"
      "codecs.register_error('bytewise', lambda e: (e.object[e.start:e.end].decode('latin-1'),"
      " e.end))\n"
      "print(all(r['s'] == bytes.fromhex(r['hex']).decode('utf-8', 'bytewise')"
      " for r in records), len(records))";
  EXPECT_EQ(test::run_python(lines, script), "True 60");
}

TEST(JsonWriter, DirectAppendsThroughBufferInterleave) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("p");
  w.raw({});
  w.buffer() += "\"direct\"";
  w.member_uint("n", 1);
  w.end_object();
  w.buffer().push_back('\n');
  EXPECT_EQ(out, "{\"p\":\"direct\",\"n\":1}\n");
}

TEST(JsonWriter, NoAllocationOnceCapacityIsThere) {
  std::string out;
  out.reserve(4096);
  const size_t cap = out.capacity();
  const char* data = out.data();
  for (int i = 0; i < 10; ++i) {
    out.clear();
    JsonWriter w(out);
    w.begin_object();
    w.member("k", "v\x01\xff");
    w.member_uint("n", 123456789);
    w.end_object();
  }
  EXPECT_EQ(out.capacity(), cap);
  EXPECT_EQ(out.data(), data);
}

}  // namespace
}  // namespace seawall
