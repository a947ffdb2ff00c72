// Helpers shared by the HTTP tests: drive an HttpState with any split of the
// input and summarise its transactions for comparisons.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>

#include "applayer/http/http_parser.h"

namespace seawall::applayer::http::test {

// Compresses with zlib: window_bits 15+16 = gzip, 15 = zlib, -15 = raw deflate.
inline std::string compress(std::string_view in, int window_bits) {
  z_stream s{};
  EXPECT_EQ(deflateInit2(&s, 9, Z_DEFLATED, window_bits, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&s, in.size()) + 64, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  s.avail_in = static_cast<uInt>(in.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&s, Z_FINISH), Z_STREAM_END);
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

inline std::string gzip_of(std::string_view plain) { return compress(plain, 15 + 16); }

inline ByteView bytes_of(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

inline void feed(HttpState& st, Direction dir, std::string_view data, size_t chunk = 0) {
  const ParseContext ctx{};
  if (chunk == 0) chunk = data.size() == 0 ? 1 : data.size();
  for (size_t i = 0; i < data.size(); i += chunk)
    st.parse(dir, bytes_of(data.substr(i, chunk)), ctx);
}

// Feeds data split at one offset (two calls).
inline void feed_split(HttpState& st, Direction dir, std::string_view data, size_t at) {
  const ParseContext ctx{};
  st.parse(dir, bytes_of(data.substr(0, at)), ctx);
  st.parse(dir, bytes_of(data.substr(at)), ctx);
}

inline std::string summarize(const HttpTx& tx) {
  std::string s;
  auto add = [&s](std::string_view k, std::string_view v) {
    s.append(k).append("=").append(v).append("|");
  };
  add("id", std::to_string(tx.id));
  add("method", tx.method);
  add("uri", tx.uri_raw);
  add("norm", tx.uri_norm);
  add("proto", tx.request.protocol);
  add("host", tx.hostname);
  add("port", std::to_string(tx.port));
  for (size_t i = 0; i < tx.request.header_count; ++i)
    add("qh:" + tx.request.headers[i].name, tx.request.headers[i].value);
  add("qbody", tx.request.body);
  add("qlen", std::to_string(tx.request.message_len));
  add("status", std::to_string(tx.status));
  add("msg", tx.status_msg);
  for (size_t i = 0; i < tx.response.header_count; ++i)
    add("rh:" + tx.response.headers[i].name, tx.response.headers[i].value);
  add("rbody", tx.response.body);
  add("rlen", std::to_string(tx.response.message_len));
  add("complete", std::string(tx.complete[0] ? "1" : "0") + (tx.complete[1] ? "1" : "0"));
  std::vector<std::string> ev;
  for (uint8_t i = 0; i < tx.event_count; ++i) ev.emplace_back(tx.events[i]);
  std::sort(ev.begin(), ev.end());
  for (const auto& e : ev) add("event", e);
  return s;
}

inline std::string summarize(const HttpState& st) {
  std::string s;
  for (size_t i = 0; i < st.tx_count(); ++i) s += summarize(*st.http_tx(i)) + "\n";
  return s;
}

inline bool has_event(const HttpTx& tx, std::string_view name) {
  for (uint8_t i = 0; i < tx.event_count; ++i)
    if (tx.events[i] == name) return true;
  return false;
}

}  // namespace seawall::applayer::http::test
