#!/usr/bin/env python3
"""forge.py: answer hopscope's probes with forged ICMP messages (test aid).

Run inside a router namespace of tests/net/lib.sh (stdlib only, needs
root).  It sniffs the ICMP echo requests arriving on interface IFACE with
IP TTL 1 (the probes meant for this hop) and bound for TARGET, and for each
one sends forged ICMP messages back to the probe's source from address SRC
(through a raw IPPROTO_RAW socket whose packets carry firewall mark MARK, so
that a rule dropping this router's own time-exceeded can spare them).

  forge.py --mode hostile ...  every probe gets one forgery of each kind in
                               HOSTILE_KINDS: none may be counted
  forge.py --mode mpls ...     every probe gets a correct time-exceeded
                               carrying an RFC 4884 extension: odd probes
                               the MPLS labels of MPLS_LABELS (RFC 4950)
                               from SRC, even ones an extension whose
                               object length runs past its end, from
                               --bad-src (counted, but with no labels)
  forge.py --mode mpls_all ... every probe, IPv4 (to TARGET) or IPv6 (to
                               --target6), ICMP echo, UDP or TCP, gets a
                               correct time-exceeded quoting it (up to
                               128 bytes, padded to 128 and declared, RFC
                               4884) with MPLS_LABELS, from SRC or --src6:
                               what the kernel passes on to unprivileged
                               sockets with IP_RECVERR_RFC4884
  forge.py --mode dest_copy    probes arriving with IP TTL --probe-ttl get
                               an echo reply "from the destination" (SRC)
                               that copies the probe's payload, as a host
                               that sees the probes can send; the first
                               --count probes only
  forge.py --mode dest_guess   the same with the right identifier and
                               sequence number but a payload of its own
                               (a host that guessed or saw only headers)
  forge.py --mode flood ...    no sniffing: from a host off the path, echo
                               replies from SRC (the destination) and
                               time-exceeded from --router, for every
                               identifier and each of --seqs, sent to
                               --victim, over and over until stopped
  forge.py --mode good ...     the control: correct forgeries, which are
                               counted.  Probes 1..N (--good N) get a
                               correct time-exceeded, twice (counted once);
                               probes N+1..2N one with a wrong ICMP checksum,
                               from --bad-src (not counted); 2N+1..3N one
                               whose quoted IP header has options (IHL 6),
                               from --qopt-src; 3N+1..4N one whose own IP
                               header has options, from --oopt-src.

It stops by itself after --limit seconds, or on SIGTERM / SIGINT, and then
writes a JSON object to --counts: {"probes": seen, KIND: sent, ...,
"send_errors": n} (good mode's kinds: "good", "good_dups", "bad_checksum",
"quoted_options", "outer_options").  Once its sockets are open it creates
the file --ready.  Everything it sends is addressed to the probe's source,
inside the test network.
"""
import argparse
import os
import signal
import socket
import struct
import sys
import time

import testaid

ETH_P_IP = 0x0800
PACKET_HOST = 0
SO_MARK = 36
ETH_HLEN = 14

# Forgeries sent for every probe in hostile mode.  Each one would be
# counted by a tracer that skipped the check named in its comment.
HOSTILE_KINDS = [
    "wrong_id",         # (a) quoted echo has another identifier
    "spoofed_dst",      # (b) right id and seq, quoted destination not ours
    "ihl_below_5",      # (c) quoted IP header length 16 bytes
    "ihl_zero",         # (c) quoted IP header length 0
    "ihl_past_end",     # (d) quoted IHL 15 (60 bytes) in a 28-byte quote
    "echo_truncated",   # (d) quoted IP header whole, echo header cut to 4
    "no_quote",         # (e) ICMP header only, nothing quoted
    "quoted_udp",       # (f) quoted protocol UDP, echo bytes intact
    "echo_reply_other", # echo reply with our id and seq, not from the target
]


NOPS = b"\x01\x01\x01\x00"  # IP options: three NOPs, end of list


def ip_header(src, dst, proto, payload_len, ttl=64, options=b""):
    """An IPv4 header (20 bytes + options) with a correct checksum."""
    hl = 20 + len(options)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | hl // 4, 0, hl + payload_len, 0,
                    0x4000, ttl, proto, 0, src, dst) + options
    return h[:10] + struct.pack("!H", testaid.csum(h)) + h[12:]


def icmp(type_, code, rest, body):
    """An ICMP message (rest: the 4 bytes after the checksum)."""
    m = struct.pack("!BBH", type_, code, 0) + rest + body
    return m[:2] + struct.pack("!H", testaid.csum(m)) + m[4:]


class Probe:
    def __init__(self, ip, l4):
        self.ip = ip        # the probe's IP header as it arrived (20 bytes)
        self.l4 = l4        # its ICMP message (at least 8 bytes)
        self.src = ip[12:16]
        self.dst = ip[16:20]
        self.ident, self.seq = struct.unpack("!HH", l4[4:8])

    def quote(self, ip=None, l4=None, n=8):
        """What a router quotes: the IP header, then n bytes of the echo."""
        return (ip or self.ip) + (l4 or self.l4)[:n]

    def echo_with(self, ident):
        return self.l4[:4] + struct.pack("!HH", ident, self.seq) + self.l4[8:]


def time_exceeded(quoted):
    return icmp(11, 0, b"\0\0\0\0", quoted)


# (label, traffic class, bottom of stack, TTL), as an MPLS router reports
# the stack of the packet whose TTL ran out.
MPLS_LABELS = [(24001, 0, 0, 1), (16, 5, 1, 1)]


def extension(obj):
    """An RFC 4884 extension structure (version 2) around one object."""
    e = bytearray(b"\x20\0\0\0" + obj)
    e[2:4] = struct.pack("!H", testaid.csum(bytes(e)))
    return bytes(e)


def mpls_object(labels, length=None):
    """An RFC 4950 MPLS label stack object (class 1, c-type 1)."""
    entries = b"".join(struct.pack("!I", l << 12 | tc << 9 | s << 8 | ttl)
                       for l, tc, s, ttl in labels)
    return struct.pack("!HBB", length or 4 + len(entries), 1, 1) + entries


def time_exceeded_ext(quoted, ext):
    """A time-exceeded whose quote is padded to 128 bytes and declared in
    32-bit words (RFC 4884), then the extension."""
    quoted = quoted + bytes(128 - len(quoted))
    return icmp(11, 0, struct.pack("!BBH", 0, len(quoted) // 4, 0),
                quoted + ext)


ETH_P_ALL = 0x0003
ETH_P_IPV6 = 0x86DD
PROBE_PROTOS = (1, 6, 17, 58)  # ICMP, TCP, UDP, ICMPv6


def icmp6(type_, code, rest, body, src, dst):
    """An ICMPv6 message, its checksum over the pseudo-header (RFC 8200)."""
    m = struct.pack("!BBH", type_, code, 0) + rest + body
    pseudo = src + dst + struct.pack("!I3xB", len(m), 58)
    return m[:2] + struct.pack("!H", testaid.csum(pseudo + m)) + m[4:]


def ip6_header(src, dst, payload_len, hlim=64):
    return struct.pack("!IHBB16s16s", 6 << 28, payload_len, 58, hlim, src,
                       dst)


def te_ext_quote(pkt):
    """RFC 4884's quote of probe packet pkt: at most 128 bytes, padded."""
    q = pkt[:128]
    return q + bytes(128 - len(q))


def probe_of(frame, a, t4, t6):
    """The probe packet in an Ethernet frame meant for this hop, or None."""
    # an IPv4 header and 8 bytes at least (a raw TCP SYN is 44 bytes)
    if len(frame) < ETH_HLEN + 28:
        return None
    etype = struct.unpack("!H", frame[12:14])[0]
    pkt = frame[ETH_HLEN:]
    if etype == ETH_P_IP and pkt[0] == 0x45:
        tot = struct.unpack("!H", pkt[2:4])[0]
        if (pkt[8] == a.probe_ttl and pkt[9] in PROBE_PROTOS and
                pkt[16:20] == t4 and (pkt[9] != 1 or pkt[20] == 8)):
            return pkt[:tot]
    elif etype == ETH_P_IPV6 and t6 and len(pkt) >= 48 and pkt[0] >> 4 == 6:
        plen = struct.unpack("!H", pkt[4:6])[0]
        if (pkt[7] == a.probe_ttl and pkt[6] in PROBE_PROTOS and
                pkt[24:40] == t6 and (pkt[6] != 58 or pkt[40] == 128)):
            return pkt[:40 + plen]
    return None


def mpls_all(a):
    """Answer every probe of either family with labels (mode mpls_all)."""
    t4 = socket.inet_aton(a.target)
    t6 = socket.inet_pton(socket.AF_INET6, a.target6) if a.target6 else None
    src4 = socket.inet_aton(a.src)
    src6 = socket.inet_pton(socket.AF_INET6, a.src6) if a.src6 else None
    ext = extension(mpls_object(MPLS_LABELS))
    counts = {"probes": 0, "probes6": 0, "mpls": 0, "mpls6": 0,
              "send_errors": 0}
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(ETH_P_ALL))
    sniff.bind((a.iface, ETH_P_ALL))
    sniff.setblocking(False)
    out4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    out6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for o in (out4, out6):
        o.setsockopt(socket.SOL_SOCKET, SO_MARK, a.mark)
    for _ in testaid.readable(sniff, a.limit, a.ready):
        while True:
            try:
                frame, addr = sniff.recvfrom(65535)
            except BlockingIOError:
                break
            if addr[2] != PACKET_HOST:
                continue
            pkt = probe_of(frame, a, t4, t6)
            if pkt is None:
                continue
            quote = te_ext_quote(pkt)
            if pkt[0] >> 4 == 4:
                counts["probes"] += 1
                msg = icmp(11, 0, struct.pack("!BBH", 0, 128 // 4, 0),
                           quote + ext)
                out, dst, kind = out4, pkt[12:16], "mpls"
                packet = ip_header(src4, dst, 1, len(msg)) + msg
                to = (socket.inet_ntoa(dst), 0)
            else:
                counts["probes6"] += 1
                dst, kind = pkt[8:24], "mpls6"
                msg = icmp6(3, 0, struct.pack("!B3x", 128 // 8),
                            quote + ext, src6, dst)
                packet = ip6_header(src6, dst, len(msg)) + msg
                out = out6
                to = (socket.inet_ntop(socket.AF_INET6, dst), 0)
            try:
                out.sendto(packet, to)
                counts[kind] += 1
            except OSError as e:
                counts["send_errors"] += 1
                print("forge.py: %s: %s" % (kind, e), file=sys.stderr)
    testaid.write_counts(a.counts, counts)
    return 0


def counting(n):
    """hopscope's old payload pattern: 0, 1, 2, ..."""
    return bytes(i & 0xFF for i in range(n))


def forge(kind, p):
    """The ICMP message (no outer IP header) of one kind for probe p."""
    hdr = bytearray(p.ip)
    if kind == "good":
        return time_exceeded(p.quote())
    if kind == "quoted_options":
        tot = struct.unpack("!H", p.ip[2:4])[0] + len(NOPS)
        q = bytearray(p.ip[:2] + struct.pack("!H", tot) + p.ip[4:] + NOPS)
        q[0] = 0x40 | len(q) // 4
        q[10:12] = b"\0\0"
        q[10:12] = struct.pack("!H", testaid.csum(bytes(q)))
        return time_exceeded(p.quote(ip=bytes(q)))
    if kind == "outer_options":  # the options are added by main()
        return time_exceeded(p.quote())
    if kind == "bad_checksum":
        m = bytearray(time_exceeded(p.quote()))
        m[2] ^= 0x5A
        return bytes(m)
    if kind == "wrong_id":
        return time_exceeded(p.quote(l4=p.echo_with(p.ident ^ 0x8000)))
    if kind == "spoofed_dst":
        hdr[16:20] = socket.inet_aton("198.18.99.9")
        hdr[10:12] = b"\0\0"
        hdr[10:12] = struct.pack("!H", testaid.csum(bytes(hdr)))
        return time_exceeded(p.quote(ip=bytes(hdr)))
    if kind == "ihl_below_5":
        hdr[0] = 0x44
        return time_exceeded(p.quote(ip=bytes(hdr)))
    if kind == "ihl_zero":
        hdr[0] = 0x40
        return time_exceeded(p.quote(ip=bytes(hdr)))
    if kind == "ihl_past_end":
        hdr[0] = 0x4F
        return time_exceeded(p.quote(ip=bytes(hdr)))
    if kind == "echo_truncated":
        return time_exceeded(p.quote(n=4))
    if kind == "no_quote":
        return time_exceeded(b"")
    if kind == "quoted_udp":
        hdr[9] = 17
        hdr[10:12] = b"\0\0"
        hdr[10:12] = struct.pack("!H", testaid.csum(bytes(hdr)))
        return time_exceeded(p.quote(ip=bytes(hdr)))
    if kind == "mpls":
        return time_exceeded_ext(p.quote(), extension(mpls_object(MPLS_LABELS)))
    if kind == "mpls_bad_length":
        return time_exceeded_ext(p.quote(), extension(
            mpls_object(MPLS_LABELS, length=0xFFF0)))
    if kind in ("echo_reply_other", "dest_copy"):
        return icmp(0, 0, struct.pack("!HH", p.ident, p.seq), p.l4[8:])
    if kind == "dest_guess":
        return icmp(0, 0, struct.pack("!HH", p.ident, p.seq),
                    counting(len(p.l4) - 8))
    raise ValueError(kind)


def flood_packets(a, ident, seq):
    """One forged echo reply, and time-exceeded quoting a probe whole and
    quoting only its first 8 bytes, for one identifier and sequence."""
    dst, victim = socket.inet_aton(a.src), socket.inet_aton(a.victim)
    router = socket.inet_aton(a.router)
    body = counting(36)
    echo = icmp(8, 0, struct.pack("!HH", ident, seq), body)
    probe = Probe(ip_header(victim, dst, 1, len(echo), ttl=1), echo)
    out = []
    for kind, src, msg in (
            ("flood_echo", dst,
             icmp(0, 0, struct.pack("!HH", ident, seq), body)),
            ("flood_te_whole", router, time_exceeded(probe.quote(n=44))),
            ("flood_te_short", router, time_exceeded(probe.quote(n=8)))):
        out.append((kind, ip_header(src, victim, 1, len(msg)) + msg))
    return out


def flood(a):
    """Send the forgeries for every identifier and each of a.seqs, over
    and over, until a.limit seconds pass or a signal comes."""
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    counts = {"flood_echo": 0, "flood_te_whole": 0, "flood_te_short": 0,
              "send_errors": 0, "sweeps": 0}
    out = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    seqs = [int(s) for s in a.seqs.split(",")]
    with open(a.ready, "w") as f:
        f.write("%d\n" % os.getpid())
    deadline = time.monotonic() + a.limit
    while not stop and time.monotonic() < deadline:
        for seq in seqs:
            for ident in range(65536):
                if stop:
                    break
                for kind, pkt in flood_packets(a, ident, seq):
                    try:
                        out.sendto(pkt, (a.victim, 0))
                        counts[kind] += 1
                    except OSError:
                        counts["send_errors"] += 1
        counts["sweeps"] += 1
    testaid.write_counts(a.counts, counts)
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iface", default="l")
    ap.add_argument("--src", required=True, help="address forgeries come from")
    ap.add_argument("--target", required=True, help="the probes' destination")
    ap.add_argument("--mode", choices=["hostile", "good", "mpls", "mpls_all",
                                       "dest_copy", "dest_guess", "flood"],
                    required=True)
    ap.add_argument("--target6", help="mpls_all: the IPv6 probes' destination")
    ap.add_argument("--src6", help="mpls_all: IPv6 forgeries' source")
    ap.add_argument("--probe-ttl", type=int, default=1,
                    help="the IP TTL of the probes to answer here")
    ap.add_argument("--count", type=int, default=0,
                    help="dest modes: answer only the first N probes")
    ap.add_argument("--victim", help="flood: the tracer's address")
    ap.add_argument("--router", help="flood: time-exceeded's source")
    ap.add_argument("--seqs", default="0", help="flood: sequence numbers")
    ap.add_argument("--good", type=int, default=3,
                    help="good mode: how many probes get a correct forgery")
    ap.add_argument("--bad-src", help="good mode: bad checksums' source")
    ap.add_argument("--qopt-src", help="good mode: quoted options' source")
    ap.add_argument("--oopt-src", help="good mode: outer options' source")
    ap.add_argument("--limit", type=float, default=30.0)
    ap.add_argument("--mark", type=lambda s: int(s, 0), default=0x4853)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--counts", required=True)
    a = ap.parse_args()
    if a.mode == "flood":
        return flood(a)
    if a.mode == "mpls_all":
        return mpls_all(a)

    kinds = (HOSTILE_KINDS if a.mode == "hostile" else
             ["mpls", "mpls_bad_length"] if a.mode == "mpls" else
             [a.mode] if a.mode.startswith("dest") else
             ["good", "good_dups", "bad_checksum", "quoted_options",
              "outer_options"])
    counts = {"probes": 0}
    counts.update({k: 0 for k in kinds})
    counts["send_errors"] = 0
    src = socket.inet_aton(a.src)
    alt = {k: socket.inet_aton(v or a.src) for k, v in
           (("bad_checksum", a.bad_src), ("quoted_options", a.qopt_src),
            ("outer_options", a.oopt_src), ("mpls_bad_length", a.bad_src))}
    target = socket.inet_aton(a.target)

    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(ETH_P_IP))
    sniff.bind((a.iface, ETH_P_IP))
    sniff.setblocking(False)
    out = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    out.setsockopt(socket.SOL_SOCKET, SO_MARK, a.mark)

    for _ in testaid.readable(sniff, a.limit, a.ready):
        while True:
            try:
                frame, addr = sniff.recvfrom(65535)
            except BlockingIOError:
                break
            if addr[2] != PACKET_HOST or len(frame) < ETH_HLEN + 28:
                continue
            pkt = frame[ETH_HLEN:]
            ihl = (pkt[0] & 0x0F) * 4
            if (pkt[0] >> 4 != 4 or ihl != 20 or pkt[8] != a.probe_ttl or
                    pkt[9] != 1 or pkt[16:20] != target or
                    pkt[ihl] != 8 or pkt[ihl + 1] != 0):
                continue
            tot = struct.unpack("!H", pkt[2:4])[0]
            p = Probe(bytes(pkt[:20]), bytes(pkt[20:tot]))
            counts["probes"] += 1
            phase = (counts["probes"] - 1) // max(a.good, 1)
            if a.mode == "hostile":
                todo = [(k, k, src) for k in kinds]
            elif a.mode.startswith("dest"):
                todo = ([(a.mode, a.mode, src)]
                        if counts["probes"] <= a.count else [])
            elif a.mode == "mpls":
                k = kinds[(counts["probes"] - 1) % 2]
                todo = [(k, k, alt.get(k, src))]
            elif phase == 0:
                todo = [("good", "good", src), ("good", "good_dups", src)]
            elif phase <= 3:
                k = kinds[phase + 1]
                todo = [(k, k, alt[k])]
            else:
                todo = []
            for kind, counter, from_ in todo:
                msg = forge(kind, p)
                opts = NOPS if kind == "outer_options" else b""
                packet = ip_header(from_, p.src, 1, len(msg), options=opts) + msg
                try:
                    out.sendto(packet, (socket.inet_ntoa(p.src), 0))
                    counts[counter] += 1
                except OSError as e:
                    counts["send_errors"] += 1
                    print("forge.py: %s: %s" % (kind, e), file=sys.stderr)

    testaid.write_counts(a.counts, counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
