#!/usr/bin/env python3
"""Parse every golden output with a standard parser and check that all
formats carry the same figures as the text report.  Prints ok/FAIL lines
for tests/run.sh."""
import csv
import html.parser
import json
import re
import xml.etree.ElementTree as ET

from cases import case, done

G = "tests/golden/"


def report_rows():
    rows = {}
    for line in open(G + "report.txt", encoding="utf-8"):
        m = re.match(r"^ *(\d+)\.\|-- (.{25})(.*)$", line.rstrip("\n"))
        if m:
            f = m.group(3).split()
            rows[int(m.group(1))] = {
                "host": m.group(2).rstrip(), "Loss%": float(f[0].rstrip("%")),
                "Snt": int(f[1]), "Last": float(f[2]), "Avg": float(f[3]),
                "Best": float(f[4]), "Wrst": float(f[5]), "StDev": float(f[6])}
    assert len(rows) == 5, rows
    return rows


def same(rows, hop, values, tol=0.051):
    r = rows[hop]
    for k in ("Loss%", "Snt", "Last", "Avg", "Best", "Wrst", "StDev"):
        assert abs(float(values[k]) - r[k]) <= tol, (hop, k, values[k], r[k])
    assert values["host"].startswith(r["host"]), (values["host"], r["host"])


def check_json():
    rows = report_rows()
    rep = json.load(open(G + "report.json", encoding="utf-8"))["report"]
    assert rep["schema_version"] == 1
    assert rep["mtr"]["dst"] == "dest.example"
    for hub in rep["hubs"]:
        same(rows, hub["count"], hub)
        assert isinstance(hub["Snt"], int) and isinstance(hub["Avg"], float)
    assert rep["hubs"][1]["ip"] == "198.18.2.2"
    assert len(rep["hubs"][1]["responders"]) == 2
    assert rep["hubs"][2]["host"] == "???" and rep["hubs"][2]["ip"] is None
    d = rep["diagnosis"]
    assert d["verdict"] == "destination-loss" and d["first_loss_hop"] == 5
    assert {f["code"] for f in d["findings"]} >= {"silent-hop", "latency-step"}


def check_csv():
    rows = report_rows()
    data = list(csv.reader(open(G + "report.csv", newline="", encoding="utf-8")))
    header, body = data[0], data[1:]
    assert all(len(r) == len(header) for r in body), "row widths differ"
    assert header[:6] == ["Mtr_Version", "Start_Time", "Status", "Host", "Hop", "Ip"]
    for r in body:
        v = dict(zip(header, r))
        v["host"] = v["Ip"]
        same(rows, int(v["Hop"]), v, tol=0.051)
    assert '"quote",comma<tag>' in body[3][5]
    wide = list(csv.reader(open(G + "report-wide.csv", newline="", encoding="utf-8")))
    assert [r[4] for r in wide[1:]] == ["1", "2", "2", "3", "4", "5"]


def check_xml():
    rows = report_rows()
    root = ET.parse(G + "report.xml").getroot()
    assert root.tag == "MTR" and root.get("DST") == "dest.example"
    for hub in root.findall("HUB"):
        # mtr's element text: "  0.0%", "    10", "  19.0"
        v = {e.tag: e.text.strip().rstrip("%") for e in hub
             if e.tag != "RESPONDER"}
        v["Loss%"] = v.pop("Loss")
        v["host"] = hub.get("HOST")
        same(rows, int(hub.get("COUNT")), v)
    assert root.find("DIAGNOSIS").get("VERDICT") == "destination-loss"
    assert '"quote",comma<tag>&amp;' in root.findall("HUB")[3].get("HOST")


def json_labels():
    """Hop 4's labels as JSON gives them: (label, tc, s, ttl), top first."""
    rep = json.load(open(G + "report.json", encoding="utf-8"))["report"]
    mpls = rep["hubs"][3]["responders"][0]["mpls"]
    assert len(mpls) == 2, mpls
    return [(m["label"], m["tc"], m["s"], m["ttl"]) for m in mpls]


def check_mpls():
    """-C -e's last column and XML's MPLS elements carry JSON's labels."""
    want = json_labels()
    plain = list(csv.reader(open(G + "report.csv", newline="", encoding="utf-8")))
    data = list(csv.reader(open(G + "report-mpls.csv", newline="", encoding="utf-8")))
    header, body = data[0], data[1:]
    assert header == plain[0] + ["Mpls"], header
    assert all(len(r) == len(header) for r in body), "row widths differ"
    assert [r[:-1] for r in body] == plain[1:], "mtr's columns changed"
    got = {int(r[4]): [tuple(int(x) for x in e.split(":"))
                       for e in r[-1].split()] for r in body}
    assert got == {1: [], 2: [], 3: [], 4: want, 5: []}, got
    root = ET.parse(G + "report.xml").getroot()
    hub4 = root.findall("HUB")[3]
    assert hub4.find("MPLS") is None  # inside RESPONDER, not the hub
    got = [tuple(int(e.get(k)) for k in ("LABEL", "TC", "S", "TTL"))
           for e in hub4.find("RESPONDER").findall("MPLS")]
    assert got == want, got
    assert len(root.findall(".//MPLS")) == 2


def check_winmtr():
    rows = report_rows()
    lines = [l for l in open(G + "winmtr.txt", encoding="utf-8")
             if re.search(r" - +\d+ \|", l)]
    assert len(lines) == 5
    for hop, line in enumerate(lines, 1):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        loss = int(cells[0].rsplit(" - ", 1)[1])
        assert abs(loss - rows[hop]["Loss%"]) <= 0.5
        assert int(cells[1]) == rows[hop]["Snt"]
        assert abs(int(cells[4]) - rows[hop]["Avg"]) <= 0.5
    assert "No response from host" in lines[2]


def check_html():
    text = open(G + "report.html", encoding="utf-8").read()

    class P(html.parser.HTMLParser):
        tags = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            for k, v in attrs:
                assert k not in ("src",) and not (k == "href"), (tag, k, v)

    p = P()
    p.feed(text)
    assert "script" not in p.tags and "link" not in p.tags
    assert "svg" in p.tags and p.tags.count("tr") == 6
    assert "&lt;tag&gt;&amp;amp;" in text
    assert "destination-loss" in text


for name, fn in [("roundtrip_json", check_json), ("roundtrip_csv", check_csv),
                 ("roundtrip_xml", check_xml), ("roundtrip_mpls", check_mpls),
                 ("roundtrip_winmtr", check_winmtr),
                 ("html_self_contained_and_escaped", check_html)]:
    case(name, fn)
done()
