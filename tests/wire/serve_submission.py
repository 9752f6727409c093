#!/usr/bin/env python3
"""serve_submission.py — `postino serve --submission` (RFC 6409) on a free
loopback port, checked with Python's smtplib and swaks: AUTH PLAIN
(RFC 4954) is required before MAIL, wrong credentials are refused, the port
25 service does not offer AUTH, and an authenticated user's mail is
delivered. Starts its own server and stops it by PID; 127.0.0.1 only.

Usage: serve_submission.py POSTINO CASE   (CASE: see CASES, or "all")
"""
import os
import re
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_clients import (CONFIG, IO_TIMEOUT_S, MESSAGE, START_TIMEOUT_S, STOP_TIMEOUT_S, Failure,  # noqa: E402
                           check, strip_trace_headers)


class Server:
    def __init__(self, postino, config=CONFIG, extra=()):
        self.dir = tempfile.mkdtemp(prefix="postino-submission-test-")
        self.data = os.path.join(self.dir, "data")
        cfg = os.path.join(self.dir, "serve.yaml")
        with open(cfg, "w") as f:
            f.write(config)
        self.log_path = os.path.join(self.dir, "log")
        self.log = open(self.log_path, "w+")
        self.trace = os.path.join(self.dir, "trace.jsonl")
        self.proc = subprocess.Popen([postino, "serve", "--smtp", "0", "--submission", "0", "--data", self.data,
                                      "--config", cfg, "--trace", self.trace, *extra],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            text = self.output()
            if "ready" in text:
                self.smtp = int(re.search(r"SMTP on 127\.0\.0\.1:(\d+)", text).group(1))
                self.submission = int(re.search(r"submission on 127\.0\.0\.1:(\d+)", text).group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise Failure("server did not start: " + self.output())

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise Failure("server did not stop within %d s of SIGTERM" % STOP_TIMEOUT_S)
        return self.proc.returncode

    def maildir(self, account):
        out = []
        for sub in ("new", "cur"):
            d = os.path.join(self.data, "mailboxes", account, sub)
            out += [os.path.join(d, n) for n in sorted(os.listdir(d))]
        return out

    def cleanup(self):
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def case_auth_required(postino):
    srv = Server(postino)
    try:
        with smtplib.SMTP("127.0.0.1", srv.smtp, timeout=IO_TIMEOUT_S) as s:
            s.ehlo("client.example")
            check(not s.has_extn("auth"), "port 25 does not offer AUTH")
        with smtplib.SMTP("127.0.0.1", srv.submission, timeout=IO_TIMEOUT_S) as s:
            s.ehlo("client.example")
            check(s.esmtp_features.get("auth", "").strip().upper() == "PLAIN", "submission offers AUTH PLAIN: %r"
                  % s.esmtp_features)
            try:
                s.sendmail("alice@a.example", ["bob@a.example"], MESSAGE)
                raise Failure("MAIL before AUTH must be refused")
            except smtplib.SMTPSenderRefused as e:
                check(e.smtp_code == 530, "530 before AUTH, got %d" % e.smtp_code)
            try:
                s.login("alice", "wrong")
                raise Failure("a wrong password must be refused")
            except smtplib.SMTPAuthenticationError as e:
                check(e.smtp_code == 535, "535 for a wrong password, got %d" % e.smtp_code)
            code, _ = s.login("alice", "secret")
            check(code == 235, "235 after AUTH PLAIN, got %d" % code)
            refused = s.sendmail("alice@a.example", ["bob@a.example"], MESSAGE)
            check(refused == {}, "bob accepted: %r" % refused)
        files = srv.maildir("bob")
        check(len(files) == 1, "one message for bob")
        check(strip_trace_headers(open(files[0], "rb").read()) == MESSAGE, "delivered unchanged")
        # swaks with AUTH PLAIN too.
        if shutil.which("swaks"):
            r = subprocess.run(["swaks", "--server", "127.0.0.1", "--port", str(srv.submission), "--from",
                                "bob@a.example", "--to", "alice@a.example", "--auth", "PLAIN", "--auth-user", "bob",
                                "--auth-password", "pw2", "--timeout", "10"], capture_output=True, text=True,
                               timeout=30)
            check(r.returncode == 0 and "235 2.7.0" in r.stdout, "swaks AUTH PLAIN: " + r.stdout[-400:])
            check(len(srv.maildir("alice")) == 1, "swaks' message reached alice")
        check(srv.stop() == 0, "exit code 0")
        trace = open(srv.trace).read()
        check("(authentication data)" in trace and "AGFsaWNlAHNlY3JldA" not in trace,
              "the trace never holds the credentials")
    finally:
        srv.stop()
        srv.cleanup()


CASES = {"auth-required": case_auth_required}


def main():
    if len(sys.argv) != 3 or (sys.argv[2] not in CASES and sys.argv[2] != "all"):
        print("usage: serve_submission.py POSTINO CASE  (CASE: %s, all)" % ", ".join(CASES))
        return 2
    names = list(CASES) if sys.argv[2] == "all" else [sys.argv[2]]
    for name in names:
        try:
            CASES[name](sys.argv[1])
        except Failure as e:
            print("FAILED %s: %s" % (name, e))
            return 1
        print("ok %s" % name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
