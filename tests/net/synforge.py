#!/usr/bin/env python3
"""synforge.py: answer hopscope's TCP SYN probes with forged SYN-ACKs and
RSTs "from the destination" (test aid).

Run inside a router namespace of tests/net/lib.sh (stdlib only, needs
root):
    synforge.py IFACE TARGET --mode MODE --ready FILE --counts FILE
                [--limit SECONDS]
Every TCP SYN for IPv4 address TARGET arriving on IFACE gets a SYN-ACK and
a RST+ACK from TARGET to the probe's source, ports swapped, whose ack is:
  good          the probe's sequence number + 1 (the control: counted)
  wrong_check   the same probe number (high 16 bits) but the low 16 bits
                changed: hopscope's keyed check must refuse it
  wrong_number  another probe's number (high 16 bits + 1), low bits kept
On SIGTERM, SIGINT or after --limit seconds it writes {"probes": seen,
"sent": forgeries} to --counts.  Once its sockets are open it creates
--ready.  Everything it sends goes to the probe's source, inside the test
network.
"""
import argparse
import socket
import struct

import testaid

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
SYN, RST, ACK = 0x02, 0x04, 0x10


def segment(src, dst, sport, dport, seq, ack, flags):
    """A TCP header from src to dst (4-byte addresses), checksum set."""
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                      65535, 0, 0)
    pseudo = src + dst + struct.pack("!xBH", 6, len(hdr))
    return hdr[:16] + struct.pack("!H", testaid.csum(pseudo + hdr)) + hdr[18:]


def ip_header(src, dst, length):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + length, 0, 0, 64, 6, 0,
                      src, dst)
    return hdr[:10] + struct.pack("!H", testaid.csum(hdr)) + hdr[12:]


def forged_ack(mode, seq):
    if mode == "good":
        return (seq + 1) & 0xffffffff
    if mode == "wrong_check":
        return ((seq ^ 0x5a5a) + 1) & 0xffffffff
    return (seq + 0x10000 + 1) & 0xffffffff


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("iface")
    ap.add_argument("target")
    ap.add_argument("--mode", required=True,
                    choices=["good", "wrong_check", "wrong_number"])
    ap.add_argument("--ready", required=True)
    ap.add_argument("--counts", required=True)
    ap.add_argument("--limit", type=float, default=60)
    a = ap.parse_args()
    target = socket.inet_aton(a.target)
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                          socket.htons(ETH_P_ALL))
    sniff.bind((a.iface, 0))
    out = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    counts = {"probes": 0, "sent": 0}
    for _ in testaid.readable(sniff, a.limit, a.ready):
        pkt, addr = sniff.recvfrom(65535)
        if addr[2] == PACKET_OUTGOING or len(pkt) < 40 or pkt[0] != 0x45:
            continue
        if pkt[9] != 6 or pkt[16:20] != target or pkt[33] & 0x3f != SYN:
            continue
        counts["probes"] += 1
        src = pkt[12:16]
        sport, dport, seq = struct.unpack("!HHI", pkt[20:28])
        ack = forged_ack(a.mode, seq)
        for flags in (SYN | ACK, RST | ACK):
            tcp = segment(target, src, dport, sport,
                          0x10203040 if flags & SYN else 0, ack, flags)
            out.sendto(ip_header(target, src, len(tcp)) + tcp,
                       (socket.inet_ntoa(src), 0))
            counts["sent"] += 1
    testaid.write_counts(a.counts, counts)


if __name__ == "__main__":
    main()
