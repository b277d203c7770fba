#!/usr/bin/env python3
"""Raw-HTTP cases schemathesis does not generate: bytes sent as they are over a socket.

Every case must get application/problem+json with the expected 4xx within the time bound; anything else is a
failure. Usage: raw_cases.py PORT TOKEN. Prints one line per case and a summary; exit status 1 on any failure.
"""
import json
import socket
import sys
import time

BOUND_SECONDS = 5.0


def send(port, data):
    start = time.monotonic()
    chunks = []
    with socket.create_connection(("127.0.0.1", port), timeout=BOUND_SECONDS + 5) as sock:
        sock.sendall(data)
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except (ConnectionResetError, socket.timeout):
            pass
    elapsed = time.monotonic() - start
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    status = int(lines[0].split(" ")[1]) if lines and lines[0].startswith("HTTP/") else -1
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        out, rest = b"", body
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.strip() or b"0", 16)
            if size == 0:
                break
            out, rest = out + rest[:size], rest[size + 2:]
        body = out
    return status, headers, body, elapsed


def request(line, token, *headers, body=b""):
    text = line + "\r\nHost: 127.0.0.1\r\n"
    if token:
        text += "Authorization: Bearer " + token + "\r\n"
    for header in headers:
        text += header + "\r\n"
    text += "Connection: close\r\n\r\n"
    return text.encode("iso-8859-1") + body


def cases(token):
    many = "&".join("p%d=1" % i for i in range(1001))
    emoji = "X-Request-ID: abc".encode() + "\U0001F600".encode("utf-8")
    yield "bad percent-encoding", 400, request("GET /api/v1/employees?cursor=%%% HTTP/1.1", token)
    yield "truncated UTF-8", 400, request("GET /api/v1/employees?title=%e2%82 HTTP/1.1", token)
    yield "surrogate in UTF-8", 400, request("GET /api/v1/employees?size=%ED%A0%80 HTTP/1.1", token)
    yield "over 1,000 parameters", 400, request("GET /api/v1/employees?" + many + " HTTP/1.1", token)
    yield "control character in a name", 400, request("GET /api/v1/salaries?%1A=1 HTTP/1.1", token)
    yield "bracket parameter", 400, request("GET /api/v1/employees?page[a]=1 HTTP/1.1", token)
    yield "emoji header", 400, request("GET /api/v1/employees HTTP/1.1", token).replace(
        b"Connection: close", emoji + b"\r\nConnection: close")
    yield "oversized header", 400, request("GET /api/v1/employees HTTP/1.1", token, "X-Big: " + "a" * 20000)
    yield "oversized query string", 400, request("GET /api/v1/employees?q=" + "a" * 20000 + " HTTP/1.1", token)
    yield "malformed Accept", 406, request("GET /api/v1/employees HTTP/1.1", token, "Accept: ;;;")
    yield "wildcard Content-Type", 415, request(
        "POST /api/v1/departments HTTP/1.1", token, "Content-Type: */*", "Content-Length: 2", body=b"{}")
    yield "extreme year", 400, request("GET /api/v1/analytics/employee-trends?to=-999999999-01-01 HTTP/1.1", token)
    yield "hex id", 400, request("GET /api/v1/salaries/0x10 HTTP/1.1", token)
    yield "signed id", 400, request("GET /api/v1/salaries/+16 HTTP/1.1", token)
    yield "full-width id", 400, request("GET /api/v1/salaries/%EF%BC%91%EF%BC%96 HTTP/1.1", token)
    yield "enum with trailing NUL", 400, request("GET /api/v1/employees?status=ACTIVE%00 HTTP/1.1", token)
    yield "double slash", 400, request("GET //api/v1/employees HTTP/1.1", token)
    yield "dot-dot", 400, request("GET /api/v1/../api/v1/employees HTTP/1.1", token)
    yield "semicolon", 400, request("GET /api/v1/employees;a=b HTTP/1.1", token)
    yield "double-encoded dot", 400, request("GET /api/v1/%252e%252e/employees HTTP/1.1", token)
    yield "encoded slash", 400, request("GET /api/v1/employees%2F1 HTTP/1.1", token)
    yield "encoded backslash", 400, request("GET /api/v1/employees%5C1 HTTP/1.1", token)
    yield "encoded NUL", 400, request("GET /api/v1/employees%00 HTTP/1.1", token)
    yield "raw backslash", 400, request("GET /api/v1\\employees HTTP/1.1", token)
    yield "TRACE", 405, request("TRACE /api/v1/employees HTTP/1.1", token)
    yield "PROPFIND", 405, request("PROPFIND /api/v1/employees HTTP/1.1", token)
    yield "FOO", 405, request("FOO /api/v1/employees HTTP/1.1", token)
    yield "unknown transfer encoding", 501, request(
        "POST /api/v1/departments HTTP/1.1", token, "Transfer-Encoding: gzip", body=b"{}")
    yield "enum from a number", 400, request(
        "PUT /api/v1/users/00000000-0000-0000-0000-000000000001/roles HTTP/1.1", token,
        "Content-Type: application/json", "Content-Length: 13", body=b'{"roles":[0]}')
    yield "PATCH without If-Match", 428, request(
        "PATCH /api/v1/employees/10001 HTTP/1.1", token,
        "Content-Type: application/merge-patch+json", "Content-Length: 2", body=b"{}")
    yield "no token", 401, request("GET /api/v1/employees HTTP/1.1", None)
    yield "bad token", 401, request("GET /api/v1/employees HTTP/1.1", "not-a-token")


def main():
    port, token = int(sys.argv[1]), sys.argv[2]
    failures = 0
    total = 0
    for name, expected, data in cases(token):
        total += 1
        status, headers, body, elapsed = send(port, data)
        problems = []
        if status != expected:
            problems.append("status %s, expected %s" % (status, expected))
        if not headers.get("content-type", "").startswith("application/problem+json"):
            problems.append("content type %r" % headers.get("content-type"))
        else:
            try:
                document = json.loads(body)
                if document.get("status") != status or not document.get("detail"):
                    problems.append("problem body lacks status/detail")
            except ValueError:
                problems.append("body is not JSON")
        if elapsed > BOUND_SECONDS:
            problems.append("took %.1f s" % elapsed)
        if b"Exception" in body or b"\tat " in body:
            problems.append("internals in the body")
        failures += bool(problems)
        print("%-28s %s %5.0f ms %s" % (name, status, elapsed * 1000, "; ".join(problems) or "ok"))
    print("raw cases: %d sent, %d failed" % (total, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
