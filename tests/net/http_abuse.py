"""http_abuse.py: hostile and heavy HTTP clients for test_serve_http.sh,
test_serve_abuse.sh and test_traceback.sh.

  python3 http_abuse.py HOST PORT CHECK [ARG]

Each CHECK prints "ok NAME" or "FAIL NAME: why" lines (tests/run.sh counts
them).  Raw sockets only, so that the requests can be as malformed as
needed; stdlib only.  Nothing here measures time except against generous
bounds."""
import socket
import sys
import time

HOST, PORT = sys.argv[1], int(sys.argv[2])
TOKEN = None
failed = []


def report(name, good, why="", show=False):
    """show: the figures go on the ok line too"""
    if good:
        print("ok %s" % name + (" (%s)" % (why,) if show else ""))
    else:
        print("FAIL %s: %s" % (name, why))
    sys.stdout.flush()
    if not good:
        failed.append(name)


def connect(src=None, timeout=10):
    fam = socket.AF_INET6 if ":" in HOST else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(timeout)
    if src:
        s.bind((src, 0))
    s.connect((HOST, PORT))
    return s


def read_reply(s, head=False):
    """(status, headers dict, body) of one reply; status 0 if the server
    closed the connection without one."""
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            chunk = b""
        if not chunk:
            return 0, {}, data
        data += chunk
    top, body = data.split(b"\r\n\r\n", 1)
    lines = top.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    want = 0 if head else int(headers.get("content-length", "0"))
    while len(body) < want:
        chunk = s.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body


def request(raw, src=None, head=False):
    s = connect(src)
    try:
        s.sendall(raw)
        return read_reply(s, head)
    finally:
        s.close()


def get(path, token=None, method="GET", extra=b""):
    auth = b"" if token is None else b"Authorization: Bearer " + token.encode() + b"\r\n"
    raw = (method.encode() + b" " + path.encode("latin-1") + b" HTTP/1.1\r\nHost: t\r\n"
           + auth + extra + b"Connection: close\r\n\r\n")
    return request(raw, head=(method == "HEAD"))


def check_basic(_):
    st, h, body = get("/", TOKEN)
    report("get_root_200", st == 200 and b"fixture" in body, st)
    report("security_headers",
           h.get("x-content-type-options") == "nosniff"
           and "default-src 'none'" in h.get("content-security-policy", "")
           and "frame-ancestors 'none'" in h.get("content-security-policy", "")
           and h.get("cache-control") == "no-store", h)
    st, h, _ = get("/strict", TOKEN)
    report("handler_csp_replaces_default",
           h.get("content-security-policy") == "default-src 'none'", h)
    st, h, body = get("/big", TOKEN, "HEAD")
    report("head_has_length_no_body",
           st == 200 and h.get("content-length") == str(1 << 20) and body == b"",
           (st, h.get("content-length"), len(body)))
    st, h, body = get("/big", TOKEN)
    report("big_reply_whole", st == 200 and len(body) == 1 << 20, (st, len(body)))
    st, _, body = get("/path/a%20b%25c?x=%3Cq%3E+1&y", TOKEN)
    report("path_decoded_query_raw", body == b"path=/path/a b%c x=<q> 1\n", body)
    st, _, _ = get("/nothing-here", TOKEN)
    report("unknown_path_404", st == 404, st)


def no_echo(body, marker):
    return marker not in body


def check_methods(_):
    for m in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT-ISH"):
        st, h, body = get("/", TOKEN, m)
        good = st == 405 and h.get("allow") == "GET, HEAD" if m != "CONNECT-ISH" \
            else 400 <= st < 500
        report("method_%s_refused" % m.lower().replace("-", "_"),
               good and no_echo(body, m.encode()), (st, h.get("allow")))
    marker = b"BODYMARKER"
    st, _, body = get("/", TOKEN, "POST",
                      b"Content-Length: %d\r\n" % len(marker))
    report("post_body_not_read", st == 405 and marker not in body, st)
    st, _, body = request(b"GET / HTTP/1.1\r\nHost: t\r\n"
                          + (b"" if TOKEN is None else
                             b"Authorization: Bearer " + TOKEN.encode() + b"\r\n")
                          + b"Content-Length: 10\r\nConnection: close\r\n\r\n" + marker)
    report("get_with_body_413", st == 413 and marker not in body, st)
    st, _, body = request(b"GET / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                          + b"Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
    report("get_chunked_body_refused", 400 <= st < 500, st)


def check_paths(_):
    cases = {
        "dotdot": "/../etc/passwd",
        "dotdot_inner": "/api/v1/targets/../../etc/passwd",
        "dotdot_encoded": "/%2e%2e/%2E%2E/etc/passwd",
        "dotdot_half": "/.%2e/x",
        "nul_encoded": "/a%00b",
        "bad_percent": "/a%zz",
        "absolute_form": "http://evil.example/",
        "asterisk": "*",
        "too_long": "/" + "a" * 600,
    }
    for name, path in cases.items():
        st, _, body = get(path, TOKEN)
        marker = path[1:12].encode("latin-1") if len(path) > 2 else b"\x00\x00"
        report("path_%s_refused" % name, 400 <= st < 500 and
               (name == "asterisk" or marker not in body), (st, body[:80]))
    st, _, body = request(b"GET /a\x00b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    report("path_raw_nul_refused", st == 0 or 400 <= st < 500, st)
    st, _, body = request(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03junk\r\n\r\n")
    report("garbage_request_refused", (st == 0 or 400 <= st < 500)
           and b"junk" not in body, st)


def check_tokens(good_token):
    st, h, body = get("/", None)
    report("token_missing_401", st == 401 and
           h.get("www-authenticate", "").startswith("Bearer"), (st, h))
    for name, tok in (("wrong", good_token + "x"), ("prefix", good_token[:-1]),
                      ("empty", ""), ("other", "A" * len(good_token))):
        st, _, body = get("/metrics", tok)
        report("token_%s_401" % name, st == 401 and
               (not tok or tok.encode() not in body), st)
    st, _, _ = request(b"GET / HTTP/1.1\r\nHost: t\r\nAuthorization: Basic "
                       + good_token.encode() + b"\r\nConnection: close\r\n\r\n")
    report("token_basic_scheme_401", st == 401, st)
    st, _, _ = get("/", good_token)
    report("token_right_200", st == 200, st)
    st, _, _ = request(b"GET / HTTP/1.1\r\nHost: t\r\nauthorization: bearer   "
                       + good_token.encode() + b"\r\nConnection: close\r\n\r\n")
    report("token_case_and_spaces_200", st == 200, st)


def check_headers(_):
    st, _, body = get("/", TOKEN, extra=b"X-Big: " + b"a" * 65536 + b"\r\n")
    report("oversized_header_4xx", st == 0 or 400 <= st < 500, st)
    report("oversized_header_answered", st in (413, 431), st)
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(3000))
    st, _, _ = get("/", TOKEN, extra=many)
    report("many_headers_4xx", st in (413, 431), st)
    st, _, _ = get("/" + "a" * 40000, TOKEN)
    report("huge_request_line_4xx", st == 0 or 400 <= st < 500, st)
    st, _, _ = get("/", TOKEN)
    report("served_after_oversized", st == 200, st)


def alive(s):
    """True while the server keeps the connection open."""
    s.setblocking(False)
    try:
        return s.recv(1) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        s.setblocking(True)


def slow_clients(timeout_s, sources, per_source, limit, name):
    """Slow clients (per_source from each address in sources) drip a
    request one byte every half second: at most limit are held, the server
    answers others meanwhile when it can, and the held ones are cut after
    the time limit although they never stop sending."""
    slow = []
    for src in sources:
        for _ in range(per_source):
            try:
                slow.append(connect(src))
            except OSError:
                pass
    drip = b"GET / HTTP/1.1\r\nHost: t\r\nX-Slow: " + b"z" * 1000
    start = time.monotonic()
    served = held_max = i = 0
    held = len(slow)
    while time.monotonic() - start < timeout_s + 20:
        for s in slow:
            try:
                s.send(drip[i % len(drip):i % len(drip) + 1])
            except OSError:
                pass
        i += 1
        time.sleep(0.5)
        held = sum(1 for s in slow if alive(s))
        if time.monotonic() - start > 1:
            held_max = max(held_max, held)
        try:
            st, _, _ = get("/", TOKEN)
        except OSError:
            st = 0
        served += st == 200
        if held == 0:
            break
    took = time.monotonic() - start
    report(name + "_bounded", 1 <= held_max <= limit,
           "held %d of %d" % (held_max, len(slow)), True)
    report(name + "_cut_after_limit", held == 0 and took >= timeout_s - 1,
           "%d still open after %.1f s" % (held, took), True)
    for s in slow:
        s.close()
    return served, i


def check_slowloris(timeout_s):
    """From one address: the per-address limit (16) holds them, and the
    others are served all along."""
    served, rounds = slow_clients(float(timeout_s), ["127.0.0.2"], 40, 16,
                                  "slowloris")
    report("slowloris_others_served", served == rounds,
           "%d of %d" % (served, rounds), True)


def check_slowloris_spread(timeout_s):
    """From ten addresses: the connection limit (64) holds them; once they
    are cut, others are served again."""
    slow_clients(float(timeout_s), ["127.0.0.%d" % k for k in range(3, 13)],
                 10, 64, "slowloris_spread")
    st, _, _ = get("/", TOKEN)
    report("slowloris_spread_served_after", st == 200, st)


def check_slow_body(timeout_s):
    """A POST to the signed path (no signature is checked before the
    body is whole) whose declared 1000-byte body trickles in one byte a
    second: each byte is progress, yet the body must be whole within the
    time limit of the headers, so the connection is cut after about that
    long, not after the 1000 s the trickle would take.  Bounds: held for
    at least a second (it was not refused at once: the cut is the time
    limit's), cut within four times the limit."""
    timeout_s = float(timeout_s)
    s = connect()
    s.sendall(b"POST /api/v1/traceback HTTP/1.1\r\nHost: t\r\n"
              b"Content-Type: application/json\r\n"
              b"Content-Length: 1000\r\n\r\n")
    start = time.monotonic()
    held_at_1s = None
    sent = 0
    while time.monotonic() - start < 4 * timeout_s:
        try:
            s.send(b"x")
            sent += 1
        except OSError:
            break
        time.sleep(1)
        if held_at_1s is None:
            held_at_1s = alive(s)
        if not alive(s):
            break
    took = time.monotonic() - start
    still = alive(s)
    s.close()
    report("slow_body_held_at_first", bool(held_at_1s))
    report("slow_body_cut_after_limit",
           not still and took >= timeout_s - 1,
           "%s after %.1f s, %d of 1000 bytes sent"
           % ("still open" if still else "cut", took, sent), True)


def check_many(count):
    """count requests, sequential and keeping the connection where the
    server allows, then in bursts of parallel connections."""
    count = int(count)
    ok = 0
    conns = 1
    s = connect()
    auth = b"" if TOKEN is None else b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
    for _ in range(count // 2):
        try:
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: t\r\n" + auth + b"\r\n")
            st, h, _ = read_reply(s)
        except OSError:
            st, h = 0, {}
        ok += st == 200
        if st == 0 or h.get("connection", "").lower() == "close":
            s.close()
            s = connect()
            conns += 1
    s.close()
    report("sequential_requests_all_served", ok == count // 2, "%d of %d, %d connections" % (ok, count // 2, conns), True)
    ok = 0
    for _ in range(count // 2 // 10):
        socks = [connect() for _ in range(10)]
        for c in socks:
            c.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n" + auth + b"Connection: close\r\n\r\n")
        for c in socks:
            st, _, _ = read_reply(c)
            ok += st == 200
            c.close()
    report("parallel_requests_all_served", ok == count // 2 // 10 * 10,
           "%d of %d" % (ok, count // 2 // 10 * 10), True)


CHECKS = {"basic": check_basic, "methods": check_methods, "paths": check_paths,
          "tokens": check_tokens, "headers": check_headers,
          "slowloris": check_slowloris,
          "slowloris_spread": check_slowloris_spread, "many": check_many,
          "slow_body": check_slow_body}

if __name__ == "__main__":
    args = sys.argv[3:]
    if args and args[0].startswith("--token="):
        TOKEN = args.pop(0)[len("--token="):]
    CHECKS[args[0]](args[1] if len(args) > 1 else None)
    sys.exit(1 if failed else 0)
