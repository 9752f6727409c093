#!/usr/bin/env python3
"""check_serve.py — starts `postino serve` on free loopback ports and runs
`postino check` against it: the SMTP suite (reading mail back over POP3) and
the POP3 suite (sending mail over SMTP), with --allow-writes. Passes when no
check is FAIL or ERROR (every MUST of the suites holds for Postino's own
server). The server runs in a fresh data directory and is stopped by the PID
recorded at start (SIGTERM, then SIGKILL after a bound).

Usage: check_serve.py POSTINO [--bench]
  --bench: also serve IMAP and run the IMAP suite; print the timings only
  (the benchmark of docs/BENCHMARKS.md, "postino check").
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

START_TIMEOUT_S = 10
STOP_TIMEOUT_S = 8
CHECK_TIMEOUT_S = 120

CONFIG = """\
name: mx.example.test
role: mta
domains: [example.test]
mailboxes:
  - {name: alice, password: secret}
  - {name: postmaster, password: pm}
"""


def main():
    postino = sys.argv[1]
    bench = "--bench" in sys.argv[2:]
    tmp = tempfile.mkdtemp(prefix="postino-check-serve-")
    cfg = os.path.join(tmp, "serve.yaml")
    with open(cfg, "w") as f:
        f.write(CONFIG)
    log_path = os.path.join(tmp, "log")
    log = open(log_path, "w+")
    extra = ["--imap", "0"] if bench else []
    proc = subprocess.Popen([postino, "serve", "--smtp", "0", "--pop3", "0", *extra, "--data", os.path.join(tmp, "data"),
                             "--config", cfg], stdout=log, stderr=subprocess.STDOUT)
    pid = proc.pid
    ok = False
    try:
        smtp = pop3 = None
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            log.seek(0)
            text = log.read()
            if "ready" in text:
                smtp = int(re.search(r"SMTP on 127\.0\.0\.1:(\d+)", text).group(1))
                pop3 = int(re.search(r"POP3 on 127\.0\.0\.1:(\d+)", text).group(1))
                imap = re.search(r"IMAP on 127\.0\.0\.1:(\d+)", text)
                break
            if proc.poll() is not None:
                break
            time.sleep(0.02)
        if smtp is None:
            log.seek(0)
            print("postino serve did not start:\n" + log.read())
            return 1
        smtp_url = "smtp://127.0.0.1:%d" % smtp
        pop3_url = "pop3://alice:secret@127.0.0.1:%d" % pop3
        runs = [
            ("smtp", [smtp_url, "--pop3", pop3_url]),
            ("pop3", [pop3_url, "--smtp", smtp_url]),
        ]
        if bench:
            runs.append(("imap", ["imap://alice:secret@127.0.0.1:%s" % imap.group(1)]))
        failed = False
        total = 0.0
        for name, args in runs:
            out_json = os.path.join(tmp, name + ".json")
            t0 = time.monotonic()
            r = subprocess.run([postino, "check", *args, "--allow-writes", "--json", out_json, "--timeout", "5s",
                                "--delivery-wait", "50ms"],
                               capture_output=True, text=True, timeout=CHECK_TIMEOUT_S)
            took = time.monotonic() - t0
            total += took
            if not bench:
                print(r.stdout, end="")
            print("%s suite against postino serve: %.2f s (exit %d)" % (name, took, r.returncode))
            if r.stderr:
                print(r.stderr, end="")
            with open(out_json) as f:
                report = json.load(f)
            for run in report["runs"]:
                for c in run["checks"]:
                    if c["verdict"] in ("FAIL", "ERROR"):
                        print("  %s %s: %s (%s)" % (c["verdict"], c["id"], c["reason"], c["where"]))
                        failed = True
            if r.returncode not in (0, 1):
                failed = True
        print("all suites: %.2f s" % total)
        ok = not failed
    finally:
        if proc.poll() is None:
            os.kill(pid, signal.SIGTERM)
            try:
                proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.kill(pid, signal.SIGKILL)
                proc.wait()
        log.close()
        if ok:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("data and log kept in " + tmp)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
