#!/usr/bin/env python3
"""wirecap.py: record the probes that arrive on an interface (test aid).

Run inside a namespace of tests/net/lib.sh (stdlib only, needs root):
    wirecap.py IFACE DST --out FILE --ready FILE [--limit SECONDS]
Every IPv4 or IPv6 packet for address DST that arrives on IFACE is kept
as it was on the wire: its IP version, total length, TOS (IPv6 traffic
class), protocol, TTL (hop limit), IPv6 flow label, source address, UDP
or TCP ports, the transport header's bytes (l4hdr: an ICMP echo's
checksum and identifier, a UDP checksum), and the bytes after it (the
payload).  On SIGTERM, SIGINT or after
--limit seconds it writes them to --out as a JSON list.  Once its socket
is open it creates --ready.  It sends nothing.
"""
import argparse
import ipaddress
import socket
import struct

import testaid

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
L4_HDR = {1: 8, 58: 8, 17: 8}  # ICMP, ICMPv6, UDP; TCP: its data offset


def ip_fields(pkt):
    """(version, src, dst, total length, tos, proto, ttl, l4 offset, IPv6
    flow label) or None."""
    if len(pkt) >= 20 and pkt[0] >> 4 == 4:
        ihl = (pkt[0] & 15) * 4
        return (4, socket.inet_ntop(socket.AF_INET, pkt[12:16]),
                socket.inet_ntop(socket.AF_INET, pkt[16:20]),
                struct.unpack("!H", pkt[2:4])[0], pkt[1], pkt[9], pkt[8], ihl,
                None)
    if len(pkt) >= 40 and pkt[0] >> 4 == 6:
        tclass = (struct.unpack("!I", pkt[0:4])[0] >> 20) & 0xff
        return (6, socket.inet_ntop(socket.AF_INET6, pkt[8:24]),
                socket.inet_ntop(socket.AF_INET6, pkt[24:40]),
                40 + struct.unpack("!H", pkt[4:6])[0], tclass, pkt[6],
                pkt[7], 40, struct.unpack("!I", pkt[0:4])[0] & 0xfffff)
    return None


def record(pkt):
    f = ip_fields(pkt)
    if not f:
        return None
    ver, src, dst, length, tos, proto, ttl, off, label = f
    l4 = pkt[off:length]
    rec = {"v": ver, "src": src, "dst": dst, "len": length, "tos": tos,
           "proto": proto, "ttl": ttl, "sport": None, "dport": None,
           "flowlabel": label}
    if proto in (6, 17) and len(l4) >= 4:
        rec["sport"], rec["dport"] = struct.unpack("!HH", l4[:4])
    hdr = L4_HDR.get(proto)
    if proto == 6 and len(l4) >= 13:
        hdr = (l4[12] >> 4) * 4
    rec["payload"] = l4[hdr:].hex() if hdr is not None else ""
    rec["l4hdr"] = l4[:hdr].hex() if hdr is not None else ""
    return rec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("iface")
    ap.add_argument("dst")
    ap.add_argument("--out", required=True)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--limit", type=float, default=60)
    a = ap.parse_args()
    dst = str(ipaddress.ip_address(a.dst))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(ETH_P_ALL))
    s.bind((a.iface, ETH_P_ALL))
    s.setblocking(False)
    kept = []
    for _ in testaid.readable(s, a.limit, a.ready):
        while True:
            try:
                pkt, addr = s.recvfrom(65535)
            except BlockingIOError:
                break
            if addr[2] == PACKET_OUTGOING:
                continue
            rec = record(pkt)
            if rec and rec["dst"] == dst:
                kept.append(rec)
    testaid.write_counts(a.out, kept)


if __name__ == "__main__":
    main()
