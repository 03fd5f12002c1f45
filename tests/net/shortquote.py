#!/usr/bin/env python3
"""shortquote.py: a router that quotes RFC 792's minimum (test aid).

Run inside a router namespace of tests/net/lib.sh (stdlib only, needs
root):  shortquote.py IFACE --mark MARK --ready FILE [--limit SECONDS]
       [--counts FILE]
For every IPv4 UDP datagram arriving on IFACE with TTL 1 (a probe meant
for this hop) it sends the probe's source an ICMP time-exceeded quoting
the probe's IP header and only the first 8 bytes after it (the UDP header:
ports, length, checksum), as some routers do.  Its packets carry firewall
mark MARK, so that a rule dropping the router's own time-exceeded spares
them.  The kernel picks their source address, as for its own errors.  On
SIGTERM, SIGINT or after --limit seconds it writes {"probes": n, "sent":
m} to --counts.
"""
import argparse
import socket
import struct

import testaid

ETH_P_IP = 0x0800
PACKET_OUTGOING = 4
SO_MARK = 36


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("iface")
    ap.add_argument("--mark", type=lambda v: int(v, 0), required=True)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--limit", type=float, default=60)
    ap.add_argument("--counts")
    a = ap.parse_args()
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                          socket.htons(ETH_P_IP))
    sniff.bind((a.iface, ETH_P_IP))
    sniff.setblocking(False)
    out = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    out.setsockopt(socket.SOL_SOCKET, SO_MARK, a.mark)
    counts = {"probes": 0, "sent": 0}
    for _ in testaid.readable(sniff, a.limit, a.ready):
        while True:
            try:
                pkt, addr = sniff.recvfrom(65535)
            except BlockingIOError:
                break
            if addr[2] == PACKET_OUTGOING or len(pkt) < 28:
                continue
            ihl = (pkt[0] & 15) * 4
            if pkt[0] >> 4 != 4 or pkt[9] != 17 or pkt[8] != 1:
                continue
            counts["probes"] += 1
            body = struct.pack("!BBHI", 11, 0, 0, 0) + pkt[:ihl + 8]
            body = body[:2] + struct.pack("!H", testaid.csum(body)) + body[4:]
            out.sendto(body, (socket.inet_ntoa(pkt[12:16]), 0))
            counts["sent"] += 1
    if a.counts:
        testaid.write_counts(a.counts, counts)


if __name__ == "__main__":
    main()
