#!/usr/bin/env python3
"""serve_check_imap.py — `postino check` runs the IMAP suite
(conformance/suites/imap.yaml) against `postino serve --imap` on free
loopback ports, with --allow-writes: every check must PASS or be SKIP (no
FAIL, WARN, POLICY or ERROR), the JSON report must agree with the exit code,
and the server must still answer afterwards. The server is started in a fresh
data directory and stopped by the PID it recorded. Traffic goes to 127.0.0.1
only.

Usage: serve_check_imap.py POSTINO
"""
import imaplib
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_harness import IO_TIMEOUT_S, LISTEN_WITH_IMAP, Failure, Server, check  # noqa: E402

CHECK_TIMEOUT_S = 120  # the whole suite; it takes about 15 s here


def main():
    postino = os.path.abspath(sys.argv[1])
    srv = Server(postino, listen=LISTEN_WITH_IMAP, prefix="postino-imap-test-")
    out = tempfile.mkdtemp(prefix="postino-check-imap-")
    report = os.path.join(out, "imap.json")
    try:
        url = "imap://alice:secret@127.0.0.1:%d" % srv.imap
        r = subprocess.run([postino, "check", url, "--allow-writes", "--timeout", "5s", "--json", report, "-q"],
                           capture_output=True, text=True, timeout=CHECK_TIMEOUT_S)
        print(r.stdout.strip())
        with open(report) as f:
            run = json.load(f)["runs"][0]
        bad = [c for c in run["checks"] if c["verdict"] not in ("PASS", "SKIP")]
        for c in bad:
            print("%s %s: %s (%s)" % (c["verdict"], c["id"], c["reason"], c["where"]))
        check(not bad, "every check PASS or SKIP against postino serve")
        check(r.returncode == 0, "exit code 0, got %d: %s" % (r.returncode, r.stderr.strip()))
        passed = sum(1 for c in run["checks"] if c["verdict"] == "PASS")
        check(passed >= 100, "at least 100 checks PASS, got %d" % passed)
        skipped = sorted(c["id"] for c in run["checks"] if c["verdict"] == "SKIP")
        # Not offered by serve (plaintext LOGIN allowed, no STARTTLS) or slow (29 minutes of waiting).
        check(skipped == ["I1.logindisabled", "I31.starttls", "I31.starttls-after-login", "I31.starttls-injection",
                          "I32.autologout"],
              "skipped only what serve does not offer: %s" % skipped)
        # The scratch mailboxes did not break the account.
        m = imaplib.IMAP4("127.0.0.1", srv.imap, timeout=IO_TIMEOUT_S)
        m.login("alice", "secret")
        typ, _ = m.select("INBOX")
        check(typ == "OK", "INBOX still selectable")
        m.logout()
    except Failure as e:
        print("FAIL: %s" % e)
        print(srv.output()[-2000:])
        return 1
    finally:
        srv.stop()
        srv.cleanup()
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
