#!/usr/bin/env python3
"""A signed client of the traceback protocol, written from its text in
docs/MONITORING.md (not from hopscope's code), for test_traceback.sh.

  tb_client.py URL KEYFILE start [--body JSON] [--date-offset S]
                                 [--replay-of FILE] [--save FILE]
  tb_client.py URL KEYFILE get ID [--wait S]
  tb_client.py URL KEYFILE sget PATH      (a signed GET)
  tb_client.py URL KEYFILE plain PATH     (an unsigned GET)

Prints one line: STATUS BODY (the body on one line).  The reply's
signature is checked: a wrong one prints "BADSIG STATUS BODY".
--save writes the exact request (headers and body) to FILE, --replay-of
sends the one saved there again, byte for byte.
"""
import hashlib
import hmac
import http.client
import json
import os
import secrets
import ssl
import sys
import time
import urllib.parse


def http_key(path):
    raw = open(path, "rb").read().rstrip(b" \t\r\n")
    return hmac.new(raw, b"hopscope traceback v1", hashlib.sha256).digest()


def sign(key, method, path, date, nonce, body):
    msg = b"\n".join([method.encode(), path.encode(), date.encode(),
                      nonce.encode(), body])
    return hmac.new(key, msg, hashlib.sha256).hexdigest()


def send(url, key, method, path, body, headers, cafile=None):
    u = urllib.parse.urlsplit(url)
    if u.scheme == "https":
        ctx = ssl.create_default_context(cafile=cafile)
        conn = http.client.HTTPSConnection(u.hostname, u.port, context=ctx,
                                           timeout=10)
    else:
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    sig = r.getheader("X-Hopscope-Signature")
    conn.close()
    want = sign_reply(key, r.status, headers.get("X-Hopscope-Nonce", ""),
                      data)
    good = sig is not None and hmac.compare_digest(sig, want)
    return r.status, data, good


def sign_reply(key, status, nonce, body):
    msg = b"\n".join([str(status).encode(), nonce.encode(), body])
    return hmac.new(key, msg, hashlib.sha256).hexdigest()


def request(url, key, method, path, body=b"", offset=0, save=None):
    date = str(int(time.time()) + offset)
    nonce = secrets.token_hex(16)
    h = {"X-Hopscope-Date": date, "X-Hopscope-Nonce": nonce,
         "X-Hopscope-Signature": sign(key, method, path, date, nonce, body)}
    if method == "POST":
        h["Content-Type"] = "application/json"
    if save:
        json.dump({"method": method, "path": path, "headers": h,
                   "body": body.decode()}, open(save, "w"))
    return send(url, key, method, path, body if method == "POST" else None,
                h)


def show(status, data, good):
    text = data.decode(errors="replace").replace("\n", " ").strip()
    print(("" if good else "BADSIG ") + "%d %s" % (status, text))


def main():
    url, keyfile, cmd = sys.argv[1:4]
    args = sys.argv[4:]
    key = http_key(keyfile)
    opt = {}
    pos = []
    i = 0
    while i < len(args):
        if args[i].startswith("--"):
            opt[args[i][2:]] = args[i + 1]
            i += 2
        else:
            pos.append(args[i])
            i += 1
    if cmd == "start" and "replay-of" in opt:
        r = json.load(open(opt["replay-of"]))
        show(*send(url, key, r["method"], r["path"], r["body"].encode(),
                   r["headers"]))
    elif cmd == "start":
        body = opt.get("body", "{}").encode()
        show(*request(url, key, "POST", "/api/v1/traceback", body,
                      int(opt.get("date-offset", 0)), opt.get("save")))
    elif cmd == "get":
        end = time.time() + float(opt.get("wait", 0))
        while True:
            status, data, good = request(url, key, "GET",
                                         "/api/v1/traceback/" + pos[0])
            if (status != 200 or b'"running"' not in data
                    or time.time() >= end):
                break
            time.sleep(0.5)
        show(status, data, good)
    elif cmd == "sget":
        show(*request(url, key, "GET", pos[0]))
    elif cmd == "plain":
        show(*send(url, key, "GET", pos[0], None, {}))
    else:
        sys.exit("unknown command")


main()
