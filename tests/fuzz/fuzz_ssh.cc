// libFuzzer target for the SSH parser, driven as the app-layer framework
// does (fuzz_app_stream.h: records [op u8][len u8][bytes] after a flag byte;
// flag bit 0 switches HASSH logging). After every step the transaction is
// read the way detection and logging would (buffer getters for both
// directions, the EVE object) and, once done, removed.
#include <cstddef>
#include <cstdint>
#include <string>

#include "applayer/ssh/ssh_parser.h"
#include "fuzz_app_stream.h"
#include "output/eve/json_writer.h"

using namespace seawall;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* const kBuffers[] = {"ssh.proto",        "ssh.software",
                                         "ssh.hassh",        "ssh.hassh.string",
                                         "ssh.hassh.server", "ssh.hassh.server.string"};
  if (size == 0) return 0;
  applayer::ssh::set_hassh_logging((data[0] & 1) != 0);
  applayer::ssh::SshState state;
  std::string json;
  fuzz::drive_stream(state, data, size, [&] {
    fuzz::hand_over(state, applayer::ssh::ssh_app_proto(), kBuffers,
                    [&](const applayer::Transaction& tx) {
                      json.clear();
                      JsonWriter w(json);
                      w.begin_object();
                      w.key("ssh");
                      w.begin_object();
                      applayer::ssh::log_ssh(state, tx, applayer::LogContext{}, w);
                      w.end_object();
                      w.end_object();
                    });
  });
  return 0;
}
