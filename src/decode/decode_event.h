// Decoder anomaly events, named exactly as Suricata's decoder events
// (rules/decoder-events.rules), so rules and SIEM searches carry over.
// EVE: {"event_type":"anomaly","anomaly":{"type":"decode","event":"decoder.<name>"}}.
// Stats: decoder.event.<name>.
#pragma once

#include <cstdint>
#include <string_view>

namespace seawall {

// X-macro: (identifier, suricata name). Order is irrelevant to behaviour.
#define SEAWALL_DECODE_EVENTS(X)                                   \
  X(kIpv4PktTooSmall, "ipv4.pkt_too_small")                        \
  X(kIpv4HlenTooSmall, "ipv4.hlen_too_small")                      \
  X(kIpv4IplenSmallerThanHlen, "ipv4.iplen_smaller_than_hlen")     \
  X(kIpv4TruncPkt, "ipv4.trunc_pkt")                               \
  X(kIpv4OptInvalid, "ipv4.opt_invalid")                           \
  X(kIpv4OptInvalidLen, "ipv4.opt_invalid_len")                    \
  X(kIpv4OptMalformed, "ipv4.opt_malformed")                       \
  X(kIpv4OptPadRequired, "ipv4.opt_pad_required")                  \
  X(kIpv4OptEolRequired, "ipv4.opt_eol_required")                  \
  X(kIpv4OptDuplicate, "ipv4.opt_duplicate")                       \
  X(kIpv4OptUnknown, "ipv4.opt_unknown")                           \
  X(kIpv4WrongIpVersion, "ipv4.wrong_ip_version")                  \
  X(kIpv4Icmpv6, "ipv4.icmpv6")                                    \
  X(kIpv4FragPktTooLarge, "ipv4.frag_pkt_too_large")               \
  X(kIpv6PktTooSmall, "ipv6.pkt_too_small")                        \
  X(kIpv6TruncPkt, "ipv6.trunc_pkt")                               \
  X(kIpv6TruncExthdr, "ipv6.trunc_exthdr")                         \
  X(kIpv6ExthdrDuplFh, "ipv6.exthdr_dupl_fh")                      \
  X(kIpv6ExthdrUselessFh, "ipv6.exthdr_useless_fh")                \
  X(kIpv6ExthdrDuplRh, "ipv6.exthdr_dupl_rh")                      \
  X(kIpv6ExthdrDuplHh, "ipv6.exthdr_dupl_hh")                      \
  X(kIpv6ExthdrDuplDh, "ipv6.exthdr_dupl_dh")                      \
  X(kIpv6ExthdrDuplAh, "ipv6.exthdr_dupl_ah")                      \
  X(kIpv6ExthdrDuplEh, "ipv6.exthdr_dupl_eh")                      \
  X(kIpv6ExthdrInvalidOptlen, "ipv6.exthdr_invalid_optlen")        \
  X(kIpv6WrongIpVersion, "ipv6.wrong_ip_version")                  \
  X(kIpv6ExthdrAhResNotNull, "ipv6.exthdr_ah_res_not_null")        \
  X(kIpv6HopoptsUnknownOpt, "ipv6.hopopts_unknown_opt")            \
  X(kIpv6HopoptsOnlyPadding, "ipv6.hopopts_only_padding")          \
  X(kIpv6DstoptsUnknownOpt, "ipv6.dstopts_unknown_opt")            \
  X(kIpv6DstoptsOnlyPadding, "ipv6.dstopts_only_padding")          \
  X(kIpv6RhType0, "ipv6.rh_type_0")                                \
  X(kIpv6ZeroLenPadn, "ipv6.zero_len_padn")                        \
  X(kIpv6FhNonZeroReservedField, "ipv6.fh_non_zero_reserved_field") \
  X(kIpv6DataAfterNoneHeader, "ipv6.data_after_none_header")       \
  X(kIpv6UnknownNextHeader, "ipv6.unknown_next_header")            \
  X(kIpv6Icmpv4, "ipv6.icmpv4")                                    \
  X(kIpv6FragPktTooLarge, "ipv6.frag_pkt_too_large")               \
  X(kIpv6FragInvalidLength, "ipv6.frag_invalid_length")            \
  X(kIpv4FragOverlap, "ipv4.frag_overlap")                         \
  X(kIpv6FragOverlap, "ipv6.frag_overlap")                         \
  X(kIpv4FragIgnored, "ipv4.frag_ignored")                         \
  X(kIpv6FragIgnored, "ipv6.frag_ignored")                         \
  X(kIpv6Ipv4InIpv6TooSmall, "ipv6.ipv4_in_ipv6_too_small")        \
  X(kIpv6Ipv4InIpv6WrongVersion, "ipv6.ipv4_in_ipv6_wrong_version") \
  X(kIpv6Ipv6InIpv6TooSmall, "ipv6.ipv6_in_ipv6_too_small")        \
  X(kIpv6Ipv6InIpv6WrongVersion, "ipv6.ipv6_in_ipv6_wrong_version") \
  X(kIcmpv4PktTooSmall, "icmpv4.pkt_too_small")                    \
  X(kIcmpv4UnknownType, "icmpv4.unknown_type")                     \
  X(kIcmpv4UnknownCode, "icmpv4.unknown_code")                     \
  X(kIcmpv4Ipv4TruncPkt, "icmpv4.ipv4_trunc_pkt")                  \
  X(kIcmpv4Ipv4UnknownVer, "icmpv4.ipv4_unknown_ver")              \
  X(kIcmpv6PktTooSmall, "icmpv6.pkt_too_small")                    \
  X(kIcmpv6UnknownType, "icmpv6.unknown_type")                     \
  X(kIcmpv6UnknownCode, "icmpv6.unknown_code")                     \
  X(kIcmpv6Ipv6TruncPkt, "icmpv6.ipv6_trunc_pkt")                  \
  X(kIcmpv6Ipv6UnknownVersion, "icmpv6.ipv6_unknown_version")      \
  X(kIcmpv6MldMessageWithInvalidHl, "icmpv6.mld_message_with_invalid_hl") \
  X(kIcmpv6UnassignedType, "icmpv6.unassigned_type")               \
  X(kIcmpv6ExperimentationType, "icmpv6.experimentation_type")     \
  X(kTcpPktTooSmall, "tcp.pkt_too_small")                          \
  X(kTcpHlenTooSmall, "tcp.hlen_too_small")                        \
  X(kTcpInvalidOptlen, "tcp.invalid_optlen")                       \
  X(kTcpOptInvalidLen, "tcp.opt_invalid_len")                      \
  X(kTcpOptDuplicate, "tcp.opt_duplicate")                         \
  X(kUdpPktTooSmall, "udp.pkt_too_small")                          \
  X(kUdpHlenTooSmall, "udp.hlen_too_small")                        \
  X(kUdpLenInvalid, "udp.len_invalid")                             \
  X(kSctpPktTooSmall, "sctp.pkt_too_small")                        \
  X(kSllPktTooSmall, "sll.pkt_too_small")                          \
  X(kSll2PktTooSmall, "sll2.pkt_too_small")                        \
  X(kEthernetPktTooSmall, "ethernet.pkt_too_small")                \
  X(kEthernetUnknownEthertype, "ethernet.unknown_ethertype")       \
  X(kChdlcPktTooSmall, "chdlc.pkt_too_small")                      \
  X(kPppPktTooSmall, "ppp.pkt_too_small")                          \
  X(kPppVjuPktTooSmall, "ppp.vju_pkt_too_small")                   \
  X(kPppIp4PktTooSmall, "ppp.ip4_pkt_too_small")                   \
  X(kPppIp6PktTooSmall, "ppp.ip6_pkt_too_small")                   \
  X(kPppWrongType, "ppp.wrong_type")                               \
  X(kPppUnsupProto, "ppp.unsup_proto")                             \
  X(kPppoePktTooSmall, "pppoe.pkt_too_small")                      \
  X(kPppoeWrongCode, "pppoe.wrong_code")                           \
  X(kPppoeMalformedTags, "pppoe.malformed_tags")                   \
  X(kGrePktTooSmall, "gre.pkt_too_small")                          \
  X(kGreWrongVersion, "gre.wrong_version")                         \
  X(kGreVersion0Recur, "gre.version0_recur")                       \
  X(kGreVersion0Flags, "gre.version0_flags")                       \
  X(kGreVersion0HdrTooBig, "gre.version0_hdr_too_big")             \
  X(kGreVersion0MalformedSreHdr, "gre.version0_malformed_sre_hdr") \
  X(kGreVersion1Chksum, "gre.version1_chksum")                     \
  X(kGreVersion1Route, "gre.version1_route")                       \
  X(kGreVersion1Ssr, "gre.version1_ssr")                           \
  X(kGreVersion1Recur, "gre.version1_recur")                       \
  X(kGreVersion1Flags, "gre.version1_flags")                       \
  X(kGreVersion1NoKey, "gre.version1_no_key")                      \
  X(kGreVersion1WrongProtocol, "gre.version1_wrong_protocol")      \
  X(kGreVersion1MalformedSreHdr, "gre.version1_malformed_sre_hdr") \
  X(kGreVersion1HdrTooBig, "gre.version1_hdr_too_big")             \
  X(kVlanHeaderTooSmall, "vlan.header_too_small")                  \
  X(kVlanUnknownType, "vlan.unknown_type")                         \
  X(kVlanTooManyLayers, "vlan.too_many_layers")                    \
  X(kVntagHeaderTooSmall, "vntag.header_too_small")                \
  X(kVntagUnknownType, "vntag.unknown_type")                       \
  X(kIeee8021ahHeaderTooSmall, "ieee8021ah.header_too_small")      \
  X(kIprawInvalidIpVersion, "ipraw.invalid_ip_version")            \
  X(kMplsHeaderTooSmall, "mpls.header_too_small")                  \
  X(kMplsPktTooSmall, "mpls.pkt_too_small")                        \
  X(kMplsBadLabelRouterAlert, "mpls.bad_label_router_alert")       \
  X(kMplsBadLabelImplicitNull, "mpls.bad_label_implicit_null")     \
  X(kMplsBadLabelReserved, "mpls.bad_label_reserved")              \
  X(kMplsUnknownPayloadType, "mpls.unknown_payload_type")          \
  X(kLtnullPktTooSmall, "ltnull.pkt_too_small")                    \
  X(kLtnullUnsupportedType, "ltnull.unsupported_type")             \
  X(kErspanHeaderTooSmall, "erspan.header_too_small")              \
  X(kErspanUnsupportedVersion, "erspan.unsupported_version")       \
  X(kErspanTooManyVlanLayers, "erspan.too_many_vlan_layers")       \
  X(kVxlanUnknownPayloadType, "vxlan.unknown_payload_type")        \
  X(kGeneveUnknownPayloadType, "geneve.unknown_payload_type")      \
  X(kGtpuHeaderTooSmall, "gtpu.header_too_small")                  \
  X(kGtpuUnknownPayloadType, "gtpu.unknown_payload_type")          \
  X(kTeredoHeaderTooSmall, "teredo.header_too_small")              \
  X(kPktTooLarge, "pkt_too_large")                                 \
  X(kTooManyLayers, "too_many_layers")                             \
  X(kEmptyPacket, "empty_packet")                                   \
  X(kNshHeaderTooSmall, "nsh.header_too_small")                    \
  X(kNshUnsupportedVersion, "nsh.unsupported_version")             \
  X(kNshBadHeaderLength, "nsh.bad_header_length")                  \
  X(kNshReservedType, "nsh.reserved_type")                         \
  X(kNshUnsupportedType, "nsh.unsupported_type")                   \
  X(kNshUnknownPayload, "nsh.unknown_payload")

enum class DecodeEvent : uint16_t {
#define SEAWALL_X(id, name) id,
  SEAWALL_DECODE_EVENTS(SEAWALL_X)
#undef SEAWALL_X
      kCount
};

inline constexpr size_t kDecodeEventCount = static_cast<size_t>(DecodeEvent::kCount);

// "ipv4.trunc_pkt" (without the "decoder." prefix).
std::string_view decode_event_name(DecodeEvent e);
// Looks an event up by its name (with or without "decoder."); kCount if unknown.
DecodeEvent decode_event_by_name(std::string_view name);

}  // namespace seawall
