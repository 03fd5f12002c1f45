#!/usr/bin/env python3
"""A STAMP Session-Sender (RFC 8762 s4.2), written from the RFC's packet
figures alone, independently of hopscope's C code: the peer hopscope's
reflector is tested against.  Usage:
  stamp_sender.py [--key-hex HEX] [--count N] [--interval S] [--size N]
                  [--wait S] HOST PORT
It sends N packets numbered from 0 and prints one JSON document: the
answers that came back and passed the checks, each with the sender's and
the reflector's numbers and the four times (NTP format, as floats of
seconds), and how many answers were refused (short or failing the HMAC)."""
import argparse
import hashlib
import hmac
import json
import socket
import struct
import time

NTP_OFFSET = 2208988800


def ntp(t):
    return int(t) + NTP_OFFSET & 0xFFFFFFFF, int((t % 1) * 2**32)


def seconds(sec, frac):
    return sec + frac / 2**32


def pack_sender(seq, ts, err, key, size=0):
    """A sender packet of size octets (0: the mode's base size)."""
    if key is None:
        body = struct.pack("!IIIH30x", seq, *ts, err)
    else:
        body = struct.pack("!I12xIIH70x", seq, *ts, err)
        body += hmac.new(key, body, hashlib.sha256).digest()[:16]
    return body + bytes(max(0, size - len(body)))


def parse_reflector(pkt, key):
    """A dict of a reflector packet's fields, or None if refused."""
    if key is None:
        if len(pkt) < 44:
            return None
        f = struct.unpack_from("!IIIH2xIIIIIH2xB", pkt)
    else:
        if len(pkt) < 112 or not hmac.compare_digest(
                hmac.new(key, pkt[:96], hashlib.sha256).digest()[:16],
                pkt[96:112]):
            return None
        f = struct.unpack_from("!I12xIIH6xII8xI12xIIH6xB", pkt)
    names = ("seq", "sec", "frac", "err", "rx_sec", "rx_frac", "sender_seq",
             "sender_sec", "sender_frac", "sender_err", "sender_ttl")
    return dict(zip(names, f))


def run(host, port, key, count, interval, size, wait):
    info = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0]
    sock = socket.socket(info[0], socket.SOCK_DGRAM)
    sock.connect(info[4])
    answers, refused, sent = [], 0, 0
    start = time.time()
    end = start + count * interval + wait
    while True:
        now = time.time()
        if sent < count and now >= start + sent * interval:
            sock.send(pack_sender(sent, ntp(now), 0x0001, key, size))
            sent += 1
            continue
        if now >= end:
            break
        due = start + sent * interval if sent < count else end
        sock.settimeout(max(0.001, due - now))
        try:
            pkt = sock.recv(65535)
        except (socket.timeout, ConnectionRefusedError):
            continue
        t4 = time.time()
        r = parse_reflector(pkt, key)
        if r is None or len(pkt) != max(size, 112 if key else 44):
            refused += 1
            continue
        answers.append({"sender_seq": r["sender_seq"], "reflector_seq":
                        r["seq"], "t1": seconds(r["sender_sec"],
                                                r["sender_frac"]),
                        "t2": seconds(r["rx_sec"], r["rx_frac"]),
                        "t3": seconds(r["sec"], r["frac"]),
                        "t4": seconds(*ntp(t4)), "ttl": r["sender_ttl"]})
    print(json.dumps({"sent": sent, "answers": answers, "refused": refused}))


def main():
    ap = argparse.ArgumentParser(description="a STAMP session-sender")
    ap.add_argument("--key-hex", type=bytes.fromhex, default=None)
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--interval", type=float, default=0.1)
    ap.add_argument("--size", type=int, default=0)
    ap.add_argument("--wait", type=float, default=2.0)
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    a = ap.parse_args()
    run(a.host, a.port, a.key_hex, a.count, a.interval, a.size, a.wait)


if __name__ == "__main__":
    main()
