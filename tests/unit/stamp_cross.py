#!/usr/bin/env python3
"""hopscope's STAMP codec (C, through BUILD/tests/unit/stamp_codec) against
the Python sender and reflector of tests/net/, written apart from it from
RFC 8762's figures: each packet kind, in both modes and several sizes,
packed by one side and read by the other, byte for byte the same when both
pack it; the C reflector answering the Python sender; a wrong key refused
both ways.  Prints ok/FAIL lines for tests/run.sh.
Usage: stamp_cross.py [BUILD]"""
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "net"))
import stamp_reflector  # noqa: E402
import stamp_sender  # noqa: E402
from cases import case, done  # noqa: E402

BUILD = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BUILD",
                                                              "build")
CODEC = os.path.join(BUILD, "tests", "unit", "stamp_codec")
KEY = b"cross-check key, 32 octets long!"
OTHER = b"cross-check key, 32 octets long?"
rng = random.Random(8762)


def codec(args, data, key):
    cmd = [CODEC] + args + ([key.hex()] if key else [])
    return subprocess.run(cmd, input=data, capture_output=True, timeout=10)


def c_parse(kind, pkt, key):
    r = codec(["parse", kind], pkt, key)
    return json.loads(r.stdout)


def c_pack(kind, fields, key):
    r = codec(["pack", kind], json.dumps(fields).encode(), key)
    assert r.returncode == 0, r.stdout
    return r.stdout


def u32():
    return rng.getrandbits(32)


def sender_fields():
    return {"seq": u32(), "sec": u32(), "frac": u32(),
            "err": rng.getrandbits(16)}


def reflector_fields():
    f = {"seq": u32(), "sec": u32(), "frac": u32(),
         "err": rng.getrandbits(16), "rx_sec": u32(), "rx_frac": u32(),
         "sender_seq": u32(), "sender_sec": u32(), "sender_frac": u32(),
         "sender_err": rng.getrandbits(16),
         "sender_ttl": rng.getrandbits(8)}
    return f


def sizes(key):
    base = 112 if key else 44
    return (base, base + 1, 200, 1400)


def py_sender(f, key, size):
    return stamp_sender.pack_sender(f["seq"], (f["sec"], f["frac"]),
                                    f["err"], key, size)


def py_reflector(f, key, size):
    return stamp_reflector.pack_reflector(
        f["seq"], (f["sec"], f["frac"]), f["err"],
        (f["rx_sec"], f["rx_frac"]),
        (f["sender_seq"], f["sender_sec"], f["sender_frac"],
         f["sender_err"]), f["sender_ttl"], key, size)


def both_ways(kind, fields, py_pack, py_parse):
    """Python packs, C reads; C packs the same bytes; Python reads them."""
    for key in (None, KEY):
        for size in sizes(key):
            f = fields()
            pkt = py_pack(f, key, size)
            got = c_parse(kind, pkt, key)
            assert got == dict(f, len=size), (got, f)
            c_pkt = c_pack(kind, dict(f, len=size), key)
            assert c_pkt == pkt, (kind, key, size)
            assert py_parse(c_pkt, key) == f, (kind, key, size)


def sender_both_ways():
    both_ways("sender", sender_fields, py_sender,
              lambda pkt, key: dict(zip(
                  ("seq", "sec", "frac", "err"),
                  stamp_reflector.parse_sender(pkt, key))))


def reflector_both_ways():
    both_ways("reflector", reflector_fields, py_reflector,
              stamp_sender.parse_reflector)


def c_reflects_python_sender():
    for key in (None, KEY):
        for size in sizes(key):
            f = sender_fields()
            r = codec(["reflect", "41"], py_sender(f, key, size), key)
            assert r.returncode == 0 and len(r.stdout) == size, r.stdout
            got = stamp_sender.parse_reflector(r.stdout, key)
            assert got["seq"] == 41 and got["sender_ttl"] == 64, got
            assert (got["sender_seq"], got["sender_sec"],
                    got["sender_frac"], got["sender_err"]) == (
                f["seq"], f["sec"], f["frac"], f["err"]), (got, f)


def wrong_key_and_short_refused():
    f = sender_fields()
    pkt = py_sender(f, KEY, 0)
    assert "HMAC" in c_parse("sender", pkt, OTHER)["error"]
    r = codec(["reflect", "0"], pkt, OTHER)
    assert r.returncode == 1 and b"HMAC" in r.stdout, r.stdout
    c_pkt = c_pack("reflector", dict(reflector_fields(), len=112), KEY)
    assert stamp_sender.parse_reflector(c_pkt, OTHER) is None
    assert stamp_reflector.parse_sender(
        c_pack("sender", dict(f, len=112), KEY), OTHER) is None
    for key in (None, KEY):
        short = py_sender(f, key, 0)[:-1]
        assert "shorter" in c_parse("sender", short, key)["error"]


if not os.access(CODEC, os.X_OK):
    print(f"FAIL stamp_cross: {CODEC} not built")
    sys.exit(1)
case("stamp_cross_sender", sender_both_ways)
case("stamp_cross_reflector", reflector_both_ways)
case("stamp_cross_c_reflects_python", c_reflects_python_sender)
case("stamp_cross_refusals", wrong_key_and_short_refused)
done()
