#!/usr/bin/env python3
"""A stateful STAMP Session-Reflector (RFC 8762 s4.3), written from the
RFC's packet figures alone, independently of hopscope's C code: the peer
hopscope's sender is tested against.  Usage:
  stamp_reflector.py [--key-hex HEX] [--idle S] [ADDR] PORT
It answers each good sender packet with one of the same size, numbering its
answers per peer from 0; a packet that is short or fails the HMAC is not
answered.  On exit (after --idle seconds without a packet) it prints a JSON
line: {"received", "answered", "refused"}."""
import argparse
import hashlib
import hmac
import json
import socket
import struct
import sys
import time

NTP_OFFSET = 2208988800
IP_RECVTTL = getattr(socket, "IP_RECVTTL", 12)


def ntp_now():
    t = time.time()
    return int(t) + NTP_OFFSET & 0xFFFFFFFF, int((t % 1) * 2**32)


def parse_sender(pkt, key):
    """(seq, sec, frac, err) of a sender packet, or None if refused."""
    if key is None:
        if len(pkt) < 44:
            return None
        return struct.unpack_from("!IIIH", pkt)
    if len(pkt) < 112 or not hmac.compare_digest(
            hmac.new(key, pkt[:96], hashlib.sha256).digest()[:16],
            pkt[96:112]):
        return None
    seq, = struct.unpack_from("!I", pkt)
    return (seq,) + struct.unpack_from("!IIH", pkt, 16)


def pack_reflector(seq, tx, err, rx, sender, ttl, key, size):
    """The answer: own (seq, tx, err), rx, the sender's fields, its TTL."""
    fields = (seq, *tx, err, *rx, *sender, ttl)
    if key is None:
        body = struct.pack("!IIIH2xIIIIIH2xB3x", *fields)
        return body + bytes(size - len(body))
    body = struct.pack("!I12xIIH6xII8xI12xIIH6xB15x", *fields)
    body += hmac.new(key, body, hashlib.sha256).digest()[:16]
    return body + bytes(size - len(body))


def serve(addr, port, key, idle):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.bind((addr, port))
    if family == socket.AF_INET:
        sock.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
    else:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT, 1)
    sock.settimeout(idle)
    counters, stats = {}, {"received": 0, "answered": 0, "refused": 0}
    while True:
        try:
            pkt, anc, _, peer = sock.recvmsg(65535, 64)
        except socket.timeout:
            break
        rx = ntp_now()
        stats["received"] += 1
        sender = parse_sender(pkt, key)
        if sender is None:
            stats["refused"] += 1
            continue
        ttl = next((int.from_bytes(d[:4], sys.byteorder) for _, _, d in anc),
                   255) & 0xFF
        seq = counters.get(peer, 0)
        counters[peer] = seq + 1 & 0xFFFFFFFF
        sock.sendto(pack_reflector(seq, ntp_now(), 0x0001, rx, sender, ttl,
                                   key, len(pkt)), peer)
        stats["answered"] += 1
    print(json.dumps(stats), flush=True)


def main():
    ap = argparse.ArgumentParser(description="a stateful STAMP reflector")
    ap.add_argument("--key-hex", type=bytes.fromhex, default=None)
    ap.add_argument("--idle", type=float, default=5.0)
    ap.add_argument("addr", nargs="?", default="0.0.0.0")
    ap.add_argument("port", type=int)
    a = ap.parse_args()
    serve(a.addr, a.port, a.key_hex, a.idle)


if __name__ == "__main__":
    main()
