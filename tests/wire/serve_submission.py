#!/usr/bin/env python3
"""serve_submission.py — `postino serve --submission` (RFC 6409) on a free
loopback port, checked with Python's smtplib and swaks: AUTH PLAIN
(RFC 4954) is required before MAIL, wrong credentials are refused, the port
25 service does not offer AUTH, and an authenticated user's mail is
delivered. Starts its own server and stops it by PID; 127.0.0.1 only.

Usage: serve_submission.py POSTINO CASE   (CASE: see CASES, or "all")
"""
import os
import shutil
import smtplib
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_harness import (IO_TIMEOUT_S, MESSAGE, Failure, Server, check, run_cases,  # noqa: E402
                          strip_trace_headers)


def submission_server(postino):
    return Server(postino, listen=("--smtp", "0", "--submission", "0"), prefix="postino-submission-test-")


def case_auth_required(postino):
    srv = submission_server(postino)
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
    return run_cases("serve_submission.py", CASES)


if __name__ == "__main__":
    sys.exit(main())
