#!/usr/bin/env python3
"""sctp_responder.py: the destination's SCTP for -S tests, where the kernel
has none.  It reads every SCTP packet that reaches its namespace on a raw
socket (which also keeps the kernel from answering "protocol unreachable")
and answers each INIT as a stack would: INIT-ACK from a port in --listen,
ABORT from any other (RFC 9260 8.4), both with the INIT's Initiate Tag as
their Verification Tag.  Its own CRC32c checks every INIT.  Stdlib only.

sctp_responder.py --family 4|6 --ready FILE --counts FILE [--listen PORT]...
    [--wrong-tag] [--limit SECONDS]
--wrong-tag answers with a tag one off, as a forger who never saw the
probe would.  The counts (inits, bad_crc, not_init, init_ack, abort) are
written as JSON when it stops.
"""
import argparse
import os
import socket
import struct

import testaid

PROTO_SCTP = 132


def crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ (0x82F63B78 if c & 1 else 0)
        table.append(c)
    return table


TABLE = crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def with_sum(pkt):
    """pkt with its checksum field set (least significant byte first)."""
    pkt = bytearray(pkt)
    pkt[8:12] = b"\0\0\0\0"
    pkt[8:12] = struct.pack("<I", crc32c(pkt))
    return bytes(pkt)


def sum_ok(pkt):
    return struct.unpack("<I", pkt[8:12])[0] == crc32c(
        pkt[:8] + b"\0\0\0\0" + pkt[12:])


def answer(sport, dport, tag, listening):
    """INIT-ACK (with a state cookie) or ABORT to an INIT."""
    if listening:
        cookie = os.urandom(16)
        param = struct.pack("!HH", 7, 4 + len(cookie)) + cookie
        body = struct.pack("!IIHHI", int.from_bytes(os.urandom(4), "big") | 1,
                           65536, 1, 1, 1) + param
        chunk = struct.pack("!BBH", 2, 0, 4 + len(body)) + body
    else:
        chunk = struct.pack("!BBH", 6, 0, 4)
    return with_sum(struct.pack("!HHII", dport, sport, tag, 0) + chunk)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", choices=("4", "6"), required=True)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--counts", required=True)
    ap.add_argument("--listen", type=int, action="append", default=[])
    ap.add_argument("--wrong-tag", action="store_true")
    ap.add_argument("--limit", type=float, default=300)
    a = ap.parse_args()
    fam = socket.AF_INET if a.family == "4" else socket.AF_INET6
    sock = socket.socket(fam, socket.SOCK_RAW, PROTO_SCTP)
    counts = dict(inits=0, bad_crc=0, not_init=0, init_ack=0, abort=0)
    for _ in testaid.readable(sock, a.limit, a.ready):
        data, src = sock.recvfrom(65535)
        if fam == socket.AF_INET:
            data = data[(data[0] & 15) * 4:]
        if len(data) < 32 or data[12] != 1 or data[4:8] != b"\0\0\0\0":
            counts["not_init"] += 1
            continue
        counts["inits"] += 1
        if not sum_ok(data):
            counts["bad_crc"] += 1
            continue
        sport, dport = struct.unpack("!HH", data[:4])
        tag = struct.unpack("!I", data[16:20])[0]
        if a.wrong_tag:
            tag = (tag + 1) & 0xFFFFFFFF
        listening = dport in a.listen
        counts["init_ack" if listening else "abort"] += 1
        dst = (src[0], 0) if fam == socket.AF_INET else (src[0], 0, 0, 0)
        sock.sendto(answer(sport, dport, tag, listening), dst)
    testaid.write_counts(a.counts, counts)


if __name__ == "__main__":
    main()
