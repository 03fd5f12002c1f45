#!/usr/bin/env python3
"""What the monitor's page shows, read from Chromium's --dump-dom: the
targets table, the open target's diagnosis, hops, flows and chart, the
event list, and every element of the body, so that tests can ask for
what they expect and find markup that data should never have made.

Usage: page_dom.py DOM.html EXPR   prints the Python value of EXPR over
                                   the summary "d" as JSON ("mock": the
                                   names tests/net/page_mock.py serves)
       page_dom.py DOM.html        prints the whole summary
"""
import json
import os
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text()
                       for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()

    def find(self, tag, **attrs):
        """Descendants with that tag and attribute values (id_ for id)."""
        want = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [n for n in self.walk() if n.tag == tag and
                all(n.attrs.get(k) == v for k, v in want.items())]

    def classes(self):
        return (self.attrs.get("class") or "").split()


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def one(nodes):
    return nodes[0] if nodes else None


def cells(tr):
    return [td.text() for td in tr.find("td")]


def summary(path):
    with open(path, encoding="utf-8") as f:
        t = Tree()
        t.feed(f.read())
    root = t.root
    body = one(root.find("body"))
    d = {"title": one(root.find("title")).text(),
         "status": one(root.find("span", id_="status")).text(),
         "status_error": "error" in one(root.find("span", id_="status")).classes()}

    targets = one(root.find("table", id_="targets"))
    d["targets"] = {tr.attrs["data-target"]: {
        "verdict": tr.attrs.get("data-verdict"), "cells": cells(tr)}
        for tr in targets.find("tr") if "data-target" in tr.attrs}

    detail = one(root.find("section", id_="detail"))
    d["detail"] = None if "hidden" in detail.attrs else \
        one(root.find("span", id_="target-name")).text()
    d["verdict"] = one(root.find("span", id_="verdict")).text()
    d["summary"] = one(root.find("span", id_="summary")).text()
    d["findings"] = [{"code": li.attrs.get("data-code"),
                      "hop": li.attrs.get("data-hop"), "text": li.text()}
                     for li in one(root.find("ul", id_="findings")).find("li")]
    d["advice"] = [li.text() for li in
                   one(root.find("ul", id_="advice")).find("li")]
    d["hops"] = {}
    d["responders"] = []
    for tr in one(root.find("table", id_="hops")).find("tr"):
        if "data-hop" not in tr.attrs:
            continue
        c = cells(tr)
        if "responder" in tr.classes():
            d["responders"].append({"hop": tr.attrs["data-hop"],
                                    "ip": tr.attrs.get("data-ip"), "cells": c})
            continue
        d["hops"][tr.attrs["data-hop"]] = {
            "host": c[1], "asn": c[2], "as_name": c[3], "loss": c[4],
            "snt": c[5], "last": c[6], "avg": c[7], "best": c[8],
            "wrst": c[9], "stdev": c[10], "silent": "silent" in tr.classes()}
    d["flows"] = {tr.attrs["data-flow"]: cells(tr) for tr in
                  one(root.find("table", id_="flows")).find("tr")
                  if "data-flow" in tr.attrs}

    chart = one(root.find("svg", id_="chart"))
    d["chart"] = {
        "lanes": len([r for r in chart.find("rect") if "lane" in r.classes()]),
        "silent_lanes": len([r for r in chart.find("rect")
                             if "silentlane" in r.classes()]),
        "loss_bars_y": sorted({float(r.attrs["y"]) for r in chart.find("rect")
                               if "loss" in r.classes()}),
        "lines": len(chart.find("polyline")),
        "events": [{"code": r.attrs.get("data-code"),
                    "y": float(r.attrs["y"]), "height": float(r.attrs["height"])}
                   for r in chart.find("rect") if "ev" in r.classes()],
        "labels": [x.text() for x in chart.find("text")]}

    d["events"] = [{"code": li.attrs.get("data-code"),
                    "hop": li.attrs.get("data-hop"),
                    "target": li.attrs.get("data-target"),
                    "start": li.attrs.get("data-start"),
                    "end": li.attrs.get("data-end"), "text": li.text()}
                   for li in one(root.find("ul", id_="events")).find("li")
                   if "data-code" in li.attrs]

    # Every element in the body by tag, and every attribute name used:
    # markup made from data would add tags or on* attributes.
    tags, attrs = {}, set()
    for n in body.walk():
        tags[n.tag] = tags.get(n.tag, 0) + 1
        attrs.update(n.attrs)
    d["tags"] = tags
    d["attrs"] = sorted(attrs)
    return d


def main():
    d = summary(sys.argv[1])
    # the stand-in's fixed names, for its test's expressions
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import page_mock
    value = eval(sys.argv[2], {"d": d, "mock": page_mock}) \
        if len(sys.argv) > 2 else d
    print(json.dumps(value, ensure_ascii=False))


if __name__ == "__main__":
    main()
