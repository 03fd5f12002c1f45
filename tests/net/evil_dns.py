#!/usr/bin/env python3
"""evil_dns.py: a tiny DNS server answering PTR queries with hostile names
(test aid; stdlib only).

  evil_dns.py --addr 198.18.1.2 --ready FILE --counts FILE [--limit S]
  evil_dns.py --list          print the names as JSON (for the checker)

For each hop k (address 198.18.k.2) it answers the PTR query for
2.k.18.198.in-addr.arpa with NAMES[k]; anything else gets NXDOMAIN.  It
listens on UDP port 53 of --addr only, creates --ready once bound, stops by
itself after --limit seconds or on SIGTERM / SIGINT, and then writes
{"queries": n, "answered": {"k": n, ...}, "other": n} as JSON to --counts.
"""
import argparse
import json
import struct
import sys

import testaid

LONG = [b"a" * 63, b"b" * 63, b"c" * 63, b"d" * 61]  # 253 characters

# hop -> (short tag, labels as raw bytes).  Labels are sent as they are:
# dots, NULs and every other byte inside a label stay inside it.
NAMES = {
    1: ("csi", [b"\x1b[2J\x1b[31mcsi", b"example", b"net"]),
    2: ("osc", [b"\x1b]0;owned\x07osc", b"example", b"net"]),
    3: ("ctrl", [b"c\x00t\x07r\nl\rx", b"example", b"net"]),
    4: ("bidi", [b"bidi\xe2\x80\xaetxt", b"example", b"net"]),
    5: ("badutf8", [b"bad\xff\xfeutf8", b"example", b"net"]),
    6: ("quotes", [b"q\"uo,te<&>'x", b"example", b"net"]),
    7: ("long253", LONG),
    # odd, but hostname characters for c-ares: should pass as they are
    8: ("odd_chars", [b"a/b_c-d", b"example", b"net"]),
    # dots inside labels: 255 octets on the wire, 503 characters once a
    # resolver escapes each dot as "\." (c-ares >= 1.17.2 rejects it)
    9: ("overlong", [b"." * 63] * 3 + [b"." * 61]),
    10: ("plain", [b"dest", b"example", b"net"]),
}


def encode(labels):
    return b"".join(bytes([len(l)]) + l for l in labels) + b"\0"


def parse_question(msg):
    """(qname labels, qtype, qclass, end offset) of the first question."""
    off, labels = 12, []
    while True:
        n = msg[off]
        off += 1
        if n == 0:
            break
        if n & 0xC0:
            raise ValueError("compressed question")
        labels.append(bytes(msg[off:off + n]))
        off += n
    qtype, qclass = struct.unpack("!HH", msg[off:off + 4])
    return labels, qtype, qclass, off + 4


def ptr_hop(labels):
    """k if labels spell 2.k.18.198.in-addr.arpa (case-insensitive)."""
    l = [x.lower() for x in labels]
    if (len(l) == 6 and l[0] == b"2" and l[2:] ==
            [b"18", b"198", b"in-addr", b"arpa"] and l[1].isdigit()):
        return int(l[1])
    return None


def answer(msg, counts):
    if len(msg) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", msg[:6])
    if flags & 0x8000 or qd != 1:
        return None
    labels, qtype, qclass, end = parse_question(msg)
    question = msg[12:end]
    rd = flags & 0x0100
    k = ptr_hop(labels)
    if qtype == 12 and qclass == 1 and k in NAMES:
        rdata = encode(NAMES[k][1])
        rr = (b"\xc0\x0c" + struct.pack("!HHIH", 12, 1, 60, len(rdata)) +
              rdata)
        counts["answered"][str(k)] = counts["answered"].get(str(k), 0) + 1
        return (struct.pack("!HHHHHH", qid, 0x8480 | rd, 1, 1, 0, 0) +
                question + rr)
    counts["other"] += 1
    return struct.pack("!HHHHHH", qid, 0x8483 | rd, 1, 0, 0, 0) + question


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr")
    ap.add_argument("--port", type=int, default=53)
    ap.add_argument("--limit", type=float, default=40.0)
    ap.add_argument("--ready")
    ap.add_argument("--counts")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        json.dump({str(k): [tag, [l.decode("latin-1") for l in labels]]
                   for k, (tag, labels) in NAMES.items()}, sys.stdout)
        return 0

    counts = {"queries": 0, "answered": {}, "other": 0, "bad": 0}

    def reply_to(msg):
        counts["queries"] += 1
        return answer(msg, counts)

    def bad():
        counts["bad"] += 1
    testaid.serve_udp(a.addr, a.port, a.limit, a.ready, reply_to, bad)

    testaid.write_counts(a.counts, counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
