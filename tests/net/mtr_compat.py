#!/usr/bin/env python3
"""Compare what mtr 0.95 and hopscope wrote for the same path.

  mtr_compat.py layout FORMAT MTR_FILE OTHER_FILE [exact]
      the parsed structure is mtr's: keys and their order, columns,
      element names; with "exact", the bytes are mtr's once the figures
      (which differ from run to run) are masked.
  mtr_compat.py figures MTR.json HS.json HOPS LOSS_FROM LOSS_PCT DELAY_FROM MS
      both runs' loss within binomial bounds of the injected loss, round
      trips within slack of the injected delay and of each other.

Exits 0 when all holds, else prints why and exits 1.
"""
import csv
import io
import json
import math
import re
import sys
import xml.etree.ElementTree as ET


def fail(why):
    print(why)
    sys.exit(1)


def mask_text(text):
    """Figures become '#' at their right edge: columns stay where they are."""
    text = re.sub(r"^Start: .*$", "Start: #", text, flags=re.M)
    return re.sub(r" +[0-9][0-9.]*%?",
                  lambda m: " " * (len(m.group()) - 1) + "#", text)


def mask_json(text):
    return re.sub(r"-?[0-9][0-9.eE+-]*", "#", text)


def mask_csv(text):
    lines = text.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        line = re.sub(r"^[^,]*,", "VERSION,", line)  # MTR.0.95 / HOPSCOPE.x
        out.append(re.sub(r"(?<=,)[0-9][0-9.]*(?=,|$)", "#", line))
    return "\n".join(out)


def mask_xml(text):
    text = re.sub(r'TESTS="[0-9]+"', 'TESTS="#"', text)
    return re.sub(r">[ 0-9.%]+<", ">#<", text)


def report_layout(m, o, exact):
    if exact:
        if mask_text(m) != mask_text(o):
            fail("masked text differs:\n" + mask_text(m) + "---\n" +
                 mask_text(o))
        return
    ml, ol = m.splitlines(), o.splitlines()
    if len(ml) != len(ol):
        fail(f"{len(ml)} lines from mtr, {len(ol)} from hopscope:\n{o}")
    if ml[1].split() != ol[1].split():
        fail(f"headers differ: {ml[1]!r} / {ol[1]!r}")
    for a, b in zip(ml[2:], ol[2:]):
        if mask_text(a) != mask_text(b):
            fail(f"row layout differs:\n{a}\n{b}")


def keys(o):
    return list(o.keys())


def json_layout(m, o, exact):
    if exact and mask_json(m) != mask_json(o):
        fail("masked JSON differs:\n" + mask_json(m) + "---\n" + mask_json(o))
    mr, orr = json.loads(m)["report"], json.loads(o)["report"]
    for a, b, what in ((mr, orr, "report"), (mr["mtr"], orr["mtr"], "mtr")):
        if keys(b)[:len(keys(a))] != keys(a):
            fail(f"{what} keys: mtr {keys(a)}, hopscope {keys(b)}")
    if len(mr["hubs"]) != len(orr["hubs"]):
        fail("hub counts differ")
    for a, b in zip(mr["hubs"], orr["hubs"]):
        if keys(b)[:len(keys(a))] != keys(a):
            fail(f"hub keys: mtr {keys(a)}, hopscope {keys(b)}")
        for k in keys(a):
            if type(a[k]) is not type(b[k]):
                fail(f"hub key {k}: mtr {a[k]!r}, hopscope {b[k]!r}")
            if isinstance(a[k], float) and round(b[k], 3) != b[k]:
                fail(f"hub key {k}: {b[k]} is finer than mtr's microsecond")
        if a["count"] != b["count"] or a["host"] != b["host"]:
            fail(f"hubs differ: {a} / {b}")


def csv_layout(m, o, exact):
    if "\r" in o:
        fail("CR in CSV")
    if exact and mask_csv(m) != mask_csv(o):
        fail("masked CSV differs:\n" + mask_csv(m) + "---\n" + mask_csv(o))
    mr = list(csv.reader(io.StringIO(m)))
    orr = list(csv.reader(io.StringIO(o)))
    head = mr[0][:-1] if mr[0][-1] == "" else mr[0]  # mtr's extra comma
    if orr[0][:len(head)] != head:
        fail(f"headers: mtr {mr[0]}, hopscope {orr[0]}")
    if len(mr) != len(orr):
        fail("row counts differ")
    for a, b in zip(mr[1:], orr[1:]):
        if len(a) != len(b) or a[2:6] != b[2:6]:
            fail(f"rows differ: {a} / {b}")


def xml_layout(m, o, exact):
    if exact and mask_xml(m) != mask_xml(o):
        fail("masked XML differs:\n" + mask_xml(m) + "---\n" + mask_xml(o))
    mr, orr = ET.fromstring(m), ET.fromstring(o)
    for k, v in mr.attrib.items():
        if k != "TESTS" and orr.get(k) != v:
            fail(f"MTR {k}: mtr {v!r}, hopscope {orr.get(k)!r}")
    mh, oh = mr.findall("HUB"), orr.findall("HUB")
    if len(mh) != len(oh):
        fail("hub counts differ")
    for a, b in zip(mh, oh):
        at = [(e.tag, re.sub(r"[0-9]", "#", e.text)) for e in a]
        bt = [(e.tag, re.sub(r"[0-9]", "#", e.text)) for e in b
              if e.tag != "RESPONDER"]
        if [t for t, _ in at] != [t for t, _ in bt]:
            fail(f"elements: mtr {at}, hopscope {bt}")
        for (t, x), (_, y) in zip(at, bt):
            # "  #.#%" and " ##.#%" are the same text at different figures
            if len(x) != len(y) or x.strip("# ") != y.strip("# "):
                fail(f"<{t}> text: mtr {x!r}, hopscope {y!r}")
        if a.get("COUNT") != b.get("COUNT") or a.get("HOST") != b.get("HOST"):
            fail(f"hubs differ: {a.attrib} / {b.attrib}")


def loss_ok(loss, p, n):
    sd = 100 * math.sqrt((p / 100) * (1 - p / 100) / n)
    return p - 4.5 * sd - 0.01 <= loss <= p + 4.5 * sd + 0.01


def figures(mfile, ofile, hops, loss_from, pct, delay_from, ms):
    runs = [json.load(open(f))["report"]["hubs"] for f in (mfile, ofile)]
    for hubs in runs:
        if [h["count"] for h in hubs] != list(range(1, hops + 1)):
            fail(f"hops {[h['count'] for h in hubs]}")
        for h in hubs:
            want = pct if h["count"] >= loss_from else 0
            if not loss_ok(h["Loss%"], want, h["Snt"]):
                fail(f"hop {h['count']}: Loss% {h['Loss%']} of {h['Snt']},"
                     f" injected {want}%")
            want = ms if h["count"] >= delay_from else 0
            if not want - 0.5 <= h["Avg"] <= want + 25:
                fail(f"hop {h['count']}: Avg {h['Avg']}, injected {want}")
    for a, b in zip(*runs):
        if abs(a["Avg"] - b["Avg"]) > 20:
            fail(f"hop {a['count']}: Avg {a['Avg']} (mtr), {b['Avg']}")


def main():
    if sys.argv[1] == "figures":
        a = sys.argv[2:]
        figures(a[0], a[1], int(a[2]), int(a[3]), float(a[4]), int(a[5]),
                float(a[6]))
        return
    fmt, mfile, ofile = sys.argv[2:5]
    exact = len(sys.argv) > 5 and sys.argv[5] == "exact"
    # newline="": a CR must reach the checks, not be read as a line end
    m, o = (open(f, newline="").read() for f in (mfile, ofile))
    {"r": report_layout, "w": report_layout, "j": json_layout,
     "C": csv_layout, "x": xml_layout}[fmt](m, o, exact)


main()
