#!/usr/bin/env python3
"""name_dns.py: a tiny DNS server for host names (test aid; stdlib only).

  name_dns.py --addr A --records FILE --ready FILE --counts FILE [--limit S]

It answers A queries from FILE, read again for every query: one "NAME
ADDRESS" a line gives NAME that IPv4 address, "NAME silent" gets no answer
at all (a server that times out); any other name gets NXDOMAIN, and AAAA
queries an empty answer.  It listens on UDP port 53 of --addr, creates
--ready once bound, stops after --limit seconds or on SIGTERM / SIGINT,
and writes {"queries": [name, ...]} to --counts.
"""
import argparse
import socket
import struct
import sys

import testaid


def records(path):
    out = {}
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2:
                    out[parts[0].lower().rstrip(".")] = parts[1]
    except OSError:
        pass
    return out


def question(msg):
    off, labels = 12, []
    while msg[off]:
        n = msg[off]
        if n & 0xC0:
            raise ValueError("compressed question")
        labels.append(msg[off + 1:off + 1 + n].decode("latin-1"))
        off += 1 + n
    qtype, qclass = struct.unpack("!HH", msg[off + 1:off + 5])
    return ".".join(labels).lower(), qtype, qclass, off + 5


def answer(msg, path, counts):
    qid, flags, qd = struct.unpack("!HHH", msg[:6])
    if flags & 0x8000 or qd != 1:
        return None
    name, qtype, qclass, end = question(msg)
    counts["queries"].append(name)
    have = records(path).get(name)
    if have == "silent":
        return None
    rd, q = flags & 0x0100, msg[12:end]
    if have is None:  # NXDOMAIN
        return struct.pack("!HHHHHH", qid, 0x8483 | rd, 1, 0, 0, 0) + q
    if qtype != 1 or qclass != 1:  # the name is there, without this type
        return struct.pack("!HHHHHH", qid, 0x8480 | rd, 1, 0, 0, 0) + q
    rr = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 5, 4) + socket.inet_aton(have)
    return struct.pack("!HHHHHH", qid, 0x8480 | rd, 1, 1, 0, 0) + q + rr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", required=True)
    ap.add_argument("--records", required=True)
    ap.add_argument("--limit", type=float, default=120.0)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--counts", required=True)
    a = ap.parse_args()
    counts = {"queries": []}
    testaid.serve_udp(a.addr, 53, a.limit, a.ready,
                      lambda msg: answer(msg, a.records, counts))
    testaid.write_counts(a.counts, counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
