#!/usr/bin/env python3
"""A real RFC 3161 time-stamping authority for tests, on 127.0.0.1 only.

    tsa_server.py DIR [MODE]

Makes a throwaway CA and a TSA certificate (extendedKeyUsage critical timeStamping) in DIR with
the openssl CLI, then answers each HTTP POST of an application/timestamp-query with the reply of
`openssl ts -reply`. Prints the port on the first line of stdout once it listens. MODE:
  good        (default) answer the query as asked
  other-data  answer a query for other data (a token whose imprint is not the one asked for)
  refuse      answer with HTTP 500
It serves at most 50 requests and stops by itself after 120 seconds.
"""
import http.server
import os
import subprocess
import sys
import tempfile
import time

CONFIG = """[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = {dir}/serial
crypto_device = builtin
signer_cert = {dir}/tsa.crt
certs = {dir}/ca.crt
signer_key = {dir}/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
[ v3_tsa ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
"""


def run(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_authority(d):
    with open(os.path.join(d, "tsa.cnf"), "w") as f:
        f.write(CONFIG.format(dir=d))
    with open(os.path.join(d, "serial"), "w") as f:
        f.write("01\n")
    run("req", "-x509", "-newkey", "ed25519", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-nodes",
        "-subj", "/CN=Throwaway TSA CA", cwd=d)
    run("req", "-newkey", "rsa:2048", "-keyout", "tsa.key", "-out", "tsa.csr", "-nodes", "-subj", "/CN=Throwaway TSA", cwd=d)
    run("x509", "-req", "-in", "tsa.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "tsa.crt",
        "-days", "2", "-extfile", "tsa.cnf", "-extensions", "v3_tsa", cwd=d)


def main():
    d = os.path.abspath(sys.argv[1])
    mode = sys.argv[2] if len(sys.argv) > 2 else "good"
    os.makedirs(d, exist_ok=True)
    make_authority(d)

    class Handler(http.server.BaseHTTPRequestHandler):
        served = 0

        def do_POST(self):
            Handler.served += 1
            query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if mode == "refuse":
                self.send_error(500, "refusing on purpose")
                return
            with tempfile.TemporaryDirectory() as t:
                qpath = os.path.join(t, "q.tsq")
                if mode == "other-data":
                    with open(os.path.join(t, "other.txt"), "wb") as f:
                        f.write(b"some other data")
                    run("ts", "-query", "-data", "other.txt", "-sha256", "-cert", "-out", qpath, cwd=t)
                else:
                    with open(qpath, "wb") as f:
                        f.write(query)
                rpath = os.path.join(t, "r.tsr")
                run("ts", "-reply", "-queryfile", qpath, "-config", os.path.join(d, "tsa.cnf"), "-out", rpath, cwd=d)
                with open(rpath, "rb") as f:
                    reply = f.read()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 1  # handle_request returns each second, so the deadline is kept
    print(server.server_address[1], flush=True)
    deadline = time.monotonic() + 120
    while Handler.served < 50 and time.monotonic() < deadline:
        server.handle_request()


if __name__ == "__main__":
    main()
