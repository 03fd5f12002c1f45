#!/usr/bin/env python3
"""asn_dns.py: a small DNS server answering Team Cymru style TXT questions
for the test network's prefixes (test aid; stdlib only).

  asn_dns.py --addr 198.18.1.2 --zone hs.test --ready FILE --counts FILE
             [--mode normal|hostile|silent] [--limit S]

Hop k of the test network (198.18.k.0/24, 2001:db8:k::/48) is in AS 64500+k:
  k.18.198.origin.ZONE and the nibbles of 2001:db8:k::/48 under origin6.ZONE
    -> "6450k | 198.18.k.0/24 | Zk | test | 2020-01-0k" (or the IPv6 prefix)
  AS6450k.ZONE -> "6450k | Zk | test | 2020-01-0k | HOP-k - Test hop k, ZZ"
Anything else gets NXDOMAIN.  --mode hostile answers hop 2 with control
bytes, terminal escapes and overlong text; --mode silent never answers.
Every question's name is recorded: on SIGTERM / SIGINT or after --limit
seconds, {"queries": [names...], "bad": n} is written to --counts.
"""
import argparse
import struct
import sys

import testaid

ESC = b"\x1b[2J\x1b]0;owned\x07"


def origin_text(k, v6):
    prefix = b"2001:db8:%x::/48" % k if v6 else b"198.18.%d.0/24" % k
    return b"%d | %s | Z%d | test | 2020-01-0%d" % (64500 + k, prefix,
                                                     k % 10, k % 10)


def hostile_origin():
    # overlong for every field, yet within a 512-byte UDP answer
    return (b"64502 " + ESC + b" | 198.18.2.0/24" + ESC + b"\x00\r\n | " +
            b"Q" * 200 + b" | reg\x7fistry | " + b"9" * 100)


def asname_text(n, hostile):
    k = n - 64500
    name = b"HOP-%d - Test hop %d, ZZ" % (k, k)
    if hostile and k == 2:
        name = ESC + b"EVIL\x00\x08NAME" + b"N" * 300
    return b"%d | Z%d | test | 2020-01-0%d | %s" % (n, k % 10, k % 10, name)


def hop_of(labels, zone):
    """("origin", k, v6) or ("as", n, False) or None."""
    z = [x.lower() for x in zone]
    l = [x.lower() for x in labels]
    if l[-len(z):] != z:
        return None
    head = l[:-len(z)]
    if len(head) == 5 and head[4] == b"origin" and head[2:4] == [b"18",
                                                                b"198"]:
        if head[1].isdigit():
            return ("origin", int(head[1]), False)
    if len(head) == 33 and head[32] == b"origin6":
        try:
            nib = "".join(x.decode() for x in reversed(head[:32]))
            v = int(nib, 16)
        except ValueError:
            return None
        if v >> 96 == 0x20010db8:
            return ("origin", (v >> 80) & 0xffff, True)
    if len(head) == 1 and head[0].startswith(b"as") and head[0][2:].isdigit():
        return ("as", int(head[0][2:]), False)
    return None


def txt_rdata(text):
    """Character-strings of at most 255 bytes each."""
    out = b""
    for i in range(0, max(len(text), 1), 255):
        part = text[i:i + 255]
        out += bytes([len(part)]) + part
    return out


def parse_question(msg):
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


def answer(msg, zone, mode, counts):
    if len(msg) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", msg[:6])
    if flags & 0x8000 or qd != 1:
        return None
    labels, qtype, qclass, end = parse_question(msg)
    counts["queries"].append(b".".join(labels).decode("latin-1"))
    if mode == "silent":
        return None
    question = msg[12:end]
    rd = flags & 0x0100
    hit = hop_of(labels, zone) if qtype == 16 and qclass == 1 else None
    text = None
    if hit and hit[0] == "origin" and 1 <= hit[1] <= 250:
        text = (hostile_origin() if mode == "hostile" and hit[1] == 2
                else origin_text(hit[1], hit[2]))
    elif hit and hit[0] == "as" and 64501 <= hit[1] <= 64750:
        text = asname_text(hit[1], mode == "hostile")
    if text is None:
        return struct.pack("!HHHHHH", qid, 0x8483 | rd, 1, 0, 0, 0) + question
    rdata = txt_rdata(text)
    rr = b"\xc0\x0c" + struct.pack("!HHIH", 16, 1, 60, len(rdata)) + rdata
    return struct.pack("!HHHHHH", qid, 0x8480 | rd, 1, 1, 0, 0) + question + rr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", required=True)
    ap.add_argument("--port", type=int, default=53)
    ap.add_argument("--zone", default="asn.cymru.com")
    ap.add_argument("--mode", default="normal",
                    choices=["normal", "hostile", "silent"])
    ap.add_argument("--limit", type=float, default=60.0)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--counts", required=True)
    a = ap.parse_args()
    zone = a.zone.encode().split(b".")
    counts = {"queries": [], "bad": 0}

    def bad():
        counts["bad"] += 1
    testaid.serve_udp(a.addr, a.port, a.limit, a.ready,
                      lambda msg: answer(msg, zone, a.mode, counts), bad)
    testaid.write_counts(a.counts, counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
