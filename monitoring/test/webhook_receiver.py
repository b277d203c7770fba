#!/usr/bin/python3
"""Tiny local stand-in for Slack incoming webhooks, used by the end-to-end check only.

Listens on 127.0.0.1:PORT. Accepts POST /<receiver>?token=<TOKEN> where TOKEN is the secret the check wrote into the
webhook-URL files Alertmanager reads (api_url_file): a request without it gets 403 and is not recorded, so a delivery
proves the injected secret reached Alertmanager. Each accepted message is appended to OUT_FILE as one JSON line:
{"receiver": ..., "received_at": unix seconds, "title": ..., "text": ...}.

Usage: webhook_receiver.py PORT TOKEN OUT_FILE
"""
import json
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    token = ""
    out = ""

    def do_POST(self):  # noqa: N802 (http.server API)
        url = urllib.parse.urlsplit(self.path)
        supplied = urllib.parse.parse_qs(url.query).get("token", [""])[0]
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if supplied != self.token:
            self.send_response(403)
            self.end_headers()
            return
        payload = json.loads(body)
        with open(self.out, "a", encoding="utf-8") as f:
            for attachment in payload.get("attachments", []):
                f.write(json.dumps({"receiver": url.path.strip("/"), "received_at": time.time(),
                                    "channel": payload.get("channel"), "title": attachment.get("title", ""),
                                    "text": attachment.get("text", "")}) + "\n")
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    Handler.token, Handler.out = sys.argv[2], sys.argv[3]
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
