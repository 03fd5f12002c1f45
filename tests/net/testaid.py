"""testaid.py: what the test network's helper programs (forge.py,
evil_dns.py) share: run until stopped or out of time, and hand the counts
over whole.  Stdlib only."""
import json
import os
import select
import signal
import time


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
