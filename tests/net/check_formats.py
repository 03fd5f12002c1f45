#!/usr/bin/env python3
"""check_formats.py DIR HOPS: parse each format a run wrote into DIR with a
standard parser; check hops, addresses, counts and escaping."""
import csv
import json
import sys
import xml.etree.ElementTree as ET

d, hops = sys.argv[1], int(sys.argv[2])
ips = [f"198.18.{k}.2" for k in range(1, hops + 1)]
hostile = 'q"uo,te<&>.example'

rep = json.load(open(f"{d}/json"))["report"]
assert [h["ip"] for h in rep["hubs"]] == ips, rep["hubs"]
assert all(h["Snt"] == 3 and h["Loss%"] == 0 for h in rep["hubs"])
assert rep["hubs"][1]["name"] == hostile, rep["hubs"][1]
# 3 cycles are too few for a verdict (docs/DIAGNOSIS.md rule 1b)
assert rep["diagnosis"]["verdict"] == "inconclusive", rep["diagnosis"]
assert rep["diagnosis"]["settled"] is False

rows = list(csv.reader(open(f"{d}/csv", newline="")))
assert all(len(r) == len(rows[0]) for r in rows)
assert [r[5] for r in rows[1:]][1] == hostile, rows

root = ET.parse(f"{d}/xml").getroot()
assert [h.get("IP") for h in root.findall("HUB")] == ips
assert root.findall("HUB")[1].get("HOST") == hostile

text = open(f"{d}/html").read()
assert "q&quot;uo,te&lt;&amp;&gt;.example" in text and hostile not in text

raw = open(f"{d}/raw").read().split("\n")
assert f"h 1 198.18.2.2" in raw and f"d 1 {hostile}" in raw, raw
assert sum(1 for l in raw if l.startswith("p ")) == 3 * hops

win = open(f"{d}/winmtr").read()
assert hostile in win and win.count("|    3 |    3 |") == hops, win
