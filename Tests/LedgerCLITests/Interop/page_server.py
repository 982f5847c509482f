#!/usr/bin/env python3
"""A web server for `ledger track run` tests, on 127.0.0.1: serves the pages a tracking round
meets in the wild. Usage: page_server.py DIR — serves on a free port, prints it, then:

  /policy            DIR/policy.html (the test rewrites it between rounds), text/html; utf-8
  /moved             302 to /policy
  /loop              302 to /loop (for ever)
  /missing           404
  /broken            500
  /hang              accepts and never answers
  /huge              50 MB of text/html, sent as it is made (no Content-Length)
  /latin1            a page in ISO 8859-1, named in Content-Type
  /utf16             a page in UTF-16 with a byte-order mark
  /pdf               application/pdf
"""
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIR = sys.argv[1]
WORDS = "Données personnelles: nous ne communiquons vos données qu'aux autorités judiciaires."


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/policy":
            with open(os.path.join(DIR, "policy.html"), "rb") as f:
                self.send(200, f.read())
        elif self.path == "/moved":
            self.send(302, b"", headers=[("Location", "/policy")])
        elif self.path == "/loop":
            self.send(302, b"", headers=[("Location", "/loop")])
        elif self.path == "/missing":
            self.send(404, b"not here")
        elif self.path == "/broken":
            self.send(500, b"oops")
        elif self.path == "/hang":
            time.sleep(60)
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65530 + b"</p>"
            try:
                for _ in range(50 * 16):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif self.path == "/latin1":
            self.send(200, ("<html><body><main><p>" + WORDS + "</p></main></body></html>").encode("latin-1"), "text/html; charset=ISO-8859-1")
        elif self.path == "/utf16":
            self.send(200, ("<html><body><main><p>" + WORDS + "</p></main></body></html>").encode("utf-16"), "text/html")
        elif self.path == "/pdf":
            self.send(200, b"%PDF-1.4", "application/pdf")
        else:
            self.send(404, b"no such page")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
