// Getters of the header sticky buffers (tcp.hdr ipv4.hdr ipv6.hdr), also
// registered in the buffer registry by header_buffers.cc.
#pragma once

#include "core/byte_view.h"
#include "detect/keywords/matcher.h"

namespace seawall::detect {

bool header_buffer_tcp(const MatchContext& ctx, ByteView& out);
bool header_buffer_ipv4(const MatchContext& ctx, ByteView& out);
bool header_buffer_ipv6(const MatchContext& ctx, ByteView& out);

}  // namespace seawall::detect
