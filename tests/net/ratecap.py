#!/usr/bin/env python3
"""ratecap.py IFACE OUT READY LIMIT: record when each probe leaves.

Run inside the source namespace.  Reads every IPv4 packet this host sends
on IFACE (a packet socket, kernel timestamps) and keeps those to
198.19.0.0/16 that are probes: ICMP echo requests, UDP or TCP.  The
kernel's own traffic (ARP, neighbour discovery) is never counted.  Creates
READY once listening, stops after LIMIT seconds or on SIGTERM, then writes
OUT as JSON: {"ns": [send times in ns, in order], "dropped": N}, where
dropped is what the socket lost (a count the caller must see as 0 before
trusting the times).  Stdlib only."""
import json
import socket
import struct
import sys

import testaid

ETH_P_ALL = 0x0003  # outgoing packets reach only the taps on every protocol
SOL_PACKET = 263
PACKET_STATISTICS = 6
PACKET_OUTGOING = 4
SO_TIMESTAMPNS = 35
SO_RCVBUFFORCE = 33
ETH_HLEN = 14


def is_probe(pkt):
    """An IPv4 probe to 198.19.0.0/16 in an Ethernet frame."""
    if len(pkt) < ETH_HLEN + 20 or pkt[12:14] != b"\x08\x00":
        return False
    ip = pkt[ETH_HLEN:]
    ihl = (ip[0] & 0x0F) * 4
    if ip[16] != 198 or ip[17] != 19:
        return False
    proto = ip[9]
    if proto == 1:
        return len(ip) > ihl and ip[ihl] == 8
    return proto in (6, 17)


def stamp(anc):
    """The kernel's receive time (ns) from SCM_TIMESTAMPNS, or None."""
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
            sec, nsec = struct.unpack("qq", data[:16])
            return sec * 1000000000 + nsec
    return None


def drain(sock, times):
    """Read every packet waiting on sock."""
    while True:
        try:
            pkt, anc, _, addr = sock.recvmsg(256, socket.CMSG_SPACE(16))
        except BlockingIOError:
            return
        if addr[2] != PACKET_OUTGOING or not is_probe(pkt):
            continue
        t = stamp(anc)
        if t is not None:
            times.append(t)


def main():
    iface, out, ready, limit = sys.argv[1:5]
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                         socket.htons(ETH_P_ALL))
    sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    sock.bind((iface, ETH_P_ALL))
    sock.setblocking(False)
    times = []
    for _ in testaid.readable(sock, float(limit), ready):
        drain(sock, times)
    drain(sock, times)
    # tp_packets, tp_drops: reading them also resets them
    _, drops = struct.unpack(
        "II", sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8))
    testaid.write_counts(out, {"ns": times, "dropped": drops})


if __name__ == "__main__":
    main()
