#!/usr/bin/env python3
"""errflood.py: flood a tracer's socket with ICMP errors (test aid).

Run inside a router namespace of tests/net/lib.sh (stdlib only, needs
root).  It sniffs the first probe to --target arriving on interface IFACE
(a UDP probe, or an echo request from an ICMP datagram socket) to learn
the probe socket's address and port (echo identifier), then sends it ICMP
errors at --rate messages a second, from address SRC: port unreachables
and time-exceededs in turn, each quoting a packet of that socket (to UDP
port 9, or an echo with sequence 9: no probe uses either) bound for
--target or for an address off the path.  The kernel hands every one to
the probe socket (IP_RECVERR), so each sets the socket's pending error;
none answers a probe.

It stops by itself after --limit seconds, or on SIGTERM / SIGINT, and then
writes {"sent": n, "send_errors": n, "port": p} to --counts.  Once its
sockets are open it creates the file --ready.  Everything it sends is
addressed to the probes' source, inside the test network.
"""
import argparse
import signal
import socket
import struct
import sys
import time

import testaid
from forge import icmp, ip_header

ETH_P_IP = 0x0800
ETH_HLEN = 14
OFF_PATH = socket.inet_aton("198.18.99.9")


def quoted_l4(proto, ident):
    """8 bytes of what the socket would send: a UDP header from its port
    to port 9, or an echo request with its identifier and sequence 9 (no
    probe uses either)."""
    if proto == 17:
        return struct.pack("!HHHH", ident, 9, 16, 0)
    return icmp(8, 0, struct.pack("!HH", ident, 9), b"")


def error_for(n, prober, proto, ident, target):
    """The n-th error: its kind and quoted destination alternate."""
    qdst = target if n % 4 < 2 else OFF_PATH
    quoted = (ip_header(prober, qdst, proto, 16, ttl=1) +
              quoted_l4(proto, ident))
    if n % 2:
        return icmp(11, 0, b"\0\0\0\0", quoted)
    return icmp(3, 3, b"\0\0\0\0", quoted)


def next_probe(sniff, target, stop, deadline):
    """(source address, protocol, source port or echo identifier) of the
    next UDP probe or echo request to target."""
    while not stop and time.monotonic() < deadline:
        try:
            frame = sniff.recv(65535)
        except (socket.timeout, InterruptedError):
            continue
        pkt = frame[ETH_HLEN:]
        if len(pkt) < 28 or pkt[0] != 0x45 or pkt[16:20] != target:
            continue
        if pkt[9] == 17:
            return pkt[12:16], 17, struct.unpack("!H", pkt[20:22])[0]
        if pkt[9] == 1 and pkt[20] == 8:
            return pkt[12:16], 1, struct.unpack("!H", pkt[24:26])[0]
    return None, None, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iface", default="l")
    ap.add_argument("--src", required=True, help="address errors come from")
    ap.add_argument("--target", required=True, help="the probes' destination")
    ap.add_argument("--rate", type=float, default=20000.0,
                    help="errors a second")
    ap.add_argument("--limit", type=float, default=30.0)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--counts", required=True)
    a = ap.parse_args()

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    counts = {"sent": 0, "send_errors": 0, "port": 0}
    src = socket.inet_aton(a.src)
    target = socket.inet_aton(a.target)
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(ETH_P_IP))
    sniff.bind((a.iface, ETH_P_IP))
    sniff.settimeout(0.2)
    out = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    with open(a.ready, "w") as f:
        f.write("ready\n")
    deadline = time.monotonic() + a.limit
    prober, proto, ident = next_probe(sniff, target, stop, deadline)
    if prober is not None:
        counts["port"] = ident
        msgs = [ip_header(src, prober, 1, len(m)) + m for m in
                (error_for(n, prober, proto, ident, target)
                 for n in range(4))]
        dst = (socket.inet_ntoa(prober), 0)
    start = time.monotonic()
    while prober is not None and not stop and time.monotonic() < deadline:
        # what the rate allows so far, then a pause
        due = int((time.monotonic() - start) * a.rate)
        while counts["sent"] + counts["send_errors"] < due:
            try:
                out.sendto(msgs[counts["sent"] % 4], dst)
                counts["sent"] += 1
            except OSError:
                counts["send_errors"] += 1
        time.sleep(0.001)
    testaid.write_counts(a.counts, counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
