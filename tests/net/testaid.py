"""testaid.py: what the test network's helper programs (forge.py,
synforge.py, shortquote.py, evil_dns.py, asn_dns.py) share: the Internet
checksum, run until stopped or out of time, and hand the counts
over whole.  Stdlib only."""
import json
import os
import select
import signal
import struct
import time


def csum(data):
    """The Internet checksum (RFC 1071) of data, as the field holds it."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def readable(sock, limit, ready):
    """Create the file ready (holding our pid), then yield each time sock
    has something to read, until limit seconds have passed or SIGTERM or
    SIGINT arrives."""
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    with open(ready, "w") as f:
        f.write("%d\n" % os.getpid())
    deadline = time.monotonic() + limit
    while not stop:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        try:
            r, _, _ = select.select([sock], [], [], min(left, 0.2))
        except InterruptedError:
            continue
        if r:
            yield


def write_counts(path, counts):
    """Write counts as JSON to path, whole or not at all."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(counts, f)
    os.rename(tmp, path)


def serve_udp(addr, port, limit, ready, reply_to, bad=None):
    """Answer UDP datagrams on addr:port until readable() stops: each
    message goes to reply_to(msg), whose bytes (if any) go back; a message
    it cannot parse (ValueError, IndexError, struct.error) calls bad()."""
    import socket
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((addr, port))
    s.setblocking(False)
    for _ in readable(s, limit, ready):
        while True:
            try:
                msg, peer = s.recvfrom(4096)
            except BlockingIOError:
                break
            try:
                reply = reply_to(msg)
            except (ValueError, IndexError, struct.error):
                if bad:
                    bad()
                continue
            if reply:
                s.sendto(reply, peer)
