#!/usr/bin/env python3
"""check_peers.py — runs `postino check` against real servers and compares
each verdict table with the committed expectation
conformance/expected/<server>-<suite>.txt (one "ID VERDICT" line per check),
so a change of verdict — in a server, a suite or the harness — is noticed.
The servers are started with conformance/peers/ (Postfix, Dovecot, Exim) or
as `postino serve`, on free loopback ports in a private directory, with
--allow-writes and the test accounts, and stopped by their recorded PID.

Usage: check_peers.py POSTINO SERVER [--update] [--markdown DIR]
  SERVER    postfix (smtp and message suites), exim (smtp, message),
            dovecot (pop3, imap), postino (all four: postino serve),
            dovecot-tls (Dovecot with a throwaway self-signed certificate:
            the pop3 and imap checks that differ inside TLS, with
            --tls required --cafile CERT)
  --update  rewrite the expectations from this run instead of comparing
  --markdown DIR  also keep each run's table as DIR/<server>-<suite>.md
Exit 0 when every table matches, 1 otherwise (the differences are printed
with the checks' reasons). Servers other than postino need root (SKIPPED).
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

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PEERS = os.path.join(ROOT, "conformance", "peers")
EXPECTED = os.path.join(ROOT, "conformance", "expected")
CHECK_TIMEOUT_S = 300    # one suite against one server (Exim's QUIT delay makes its run the longest)
REPLY_TIMEOUT = "5s"     # postino check --timeout: each reply
START_TIMEOUT_S = 10
STOP_TIMEOUT_S = 8
ACCOUNT = "alice:secret"
SUITE_TARGET = {"message": "smtp"}  # the message/DSN suite sends over SMTP, reads back over IMAP
# dovecot-tls: the items whose dialogue changes inside TLS (login, capabilities, STLS/STARTTLS themselves).
TLS_ONLY = {"pop3": ["P1", "P3", "P4", "P13", "P15"], "imap": ["I1", "I7", "I31"]}

SERVE_CONFIG = """\
name: mx.example.test
role: mta
domains: [example.test]
mailboxes:
  - {name: alice, password: secret}
  - {name: bob, password: secret}
  - {name: postmaster, password: secret}
"""


class Failure(Exception):
    pass


class Peer:
    """A server started by conformance/peers/NAME.sh START DIR ARGS."""

    def __init__(self, name, directory, *args):
        self.name, self.dir, self.script = name, directory, os.path.join(PEERS, name + ".sh")
        r = subprocess.run([self.script, "start", directory, *args], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise Failure("%s did not start:\n%s%s" % (name, r.stdout, r.stderr))
        self.env = dict(line.strip().split("=", 1) for line in open(os.path.join(directory, "peer.env")) if "=" in line)

    def stop(self):
        r = subprocess.run([self.script, "stop", self.dir], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise Failure("%s stop: %s" % (self.name, r.stderr))


class Serve:
    """postino serve on free ports (port 0; the startup lines name them)."""

    def __init__(self, postino, directory):
        os.makedirs(directory)
        cfg = os.path.join(directory, "serve.yaml")
        with open(cfg, "w") as f:
            f.write(SERVE_CONFIG)
        self.log = open(os.path.join(directory, "serve.log"), "w+")
        self.proc = subprocess.Popen([postino, "serve", "--smtp", "0", "--pop3", "0", "--imap", "0",
                                      "--data", os.path.join(directory, "data"), "--config", cfg],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.pid = self.proc.pid
        deadline = time.monotonic() + START_TIMEOUT_S
        text = ""
        while time.monotonic() < deadline and "ready" not in text and self.proc.poll() is None:
            time.sleep(0.02)
            self.log.seek(0)
            text = self.log.read()
        if "ready" not in text:
            self.stop()
            raise Failure("postino serve did not start:\n" + text)
        self.env = {k.upper() + "_PORT": re.search(k.upper() + r" on 127\.0\.0\.1:(\d+)", text).group(1)
                    for k in ("smtp", "pop3", "imap")}

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def urls(smtp=None, pop3=None, imap=None):
    u = {}
    if smtp:
        u["smtp"] = "smtp://127.0.0.1:%s" % smtp
    if pop3:
        u["pop3"] = "pop3://%s@127.0.0.1:%s" % (ACCOUNT, pop3)
    if imap:
        u["imap"] = "imap://%s@127.0.0.1:%s" % (ACCOUNT, imap)
    return u


def make_certificate(directory):
    """A throwaway self-signed certificate for IP:127.0.0.1 (cert.pem, key.pem), readable by the server."""
    os.makedirs(directory, exist_ok=True)
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                        "-subj", "/CN=postino peers test", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2",
                        "-keyout", key, "-out", cert], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise Failure("openssl req: " + r.stderr)
    return cert, key


def run_suite(postino, suite, endpoints, work, markdown_dir, server, extra=()):
    """postino check on the suite's own endpoint, the others as --smtp/--pop3/--imap."""
    out_json = os.path.join(work, "%s-%s.json" % (server, suite))
    target = SUITE_TARGET.get(suite, suite)
    # --insecure: the test servers' certificates are self-signed (Exim makes its own); the
    # comparison is about the protocol, and verification has tests of its own
    # (tests/conformance/check_serve_tls.py).
    cmd = [postino, "check", endpoints[target], "--suite", suite, "--allow-writes",
           "--json", out_json, "--timeout", REPLY_TIMEOUT, "-q", *(extra or ["--insecure"])]
    for proto, url in endpoints.items():
        if proto != target:
            cmd += ["--" + proto, url]
    if markdown_dir:
        cmd += ["--markdown", os.path.join(markdown_dir, "%s-%s.md" % (server, suite))]
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=CHECK_TIMEOUT_S)
    print("%s suite against %s: %.1f s, exit %d: %s" % (suite, server, time.monotonic() - t0, r.returncode,
                                                       r.stdout.strip() or r.stderr.strip()))
    if r.returncode not in (0, 1) or not os.path.exists(out_json):
        raise Failure("postino check did not run (exit %d): %s" % (r.returncode, r.stderr))
    with open(out_json) as f:
        report = json.load(f)
    return [(c["id"], c["verdict"], c["reason"]) for run in report["runs"] for c in run["checks"]]


def compare(server, suite, got, update):
    path = os.path.join(EXPECTED, "%s-%s.txt" % (server, suite))
    lines = ["%s %s" % (i, v) for i, v, _ in got]
    if update:
        os.makedirs(EXPECTED, exist_ok=True)
        with open(path, "w") as f:
            f.write("# postino check --suite %s against %s (tests/peers/check_peers.py --update)\n" % (suite, server))
            f.write("\n".join(lines) + "\n")
        print("wrote %s (%d checks)" % (os.path.relpath(path, ROOT), len(lines)))
        return True
    if not os.path.exists(path):
        print("no expectation %s (run with --update to write it)" % os.path.relpath(path, ROOT))
        return False
    with open(path) as f:
        want = dict(l.split() for l in f if l.strip() and not l.startswith("#"))
    have = {i: v for i, v, _ in got}
    reasons = {i: r for i, _, r in got}
    diffs = []
    for i in want:
        if i not in have:
            diffs.append("  %s: expected %s, no such check any more" % (i, want[i]))
        elif have[i] != want[i]:
            diffs.append("  %s: expected %s, got %s (%s)" % (i, want[i], have[i], reasons[i]))
    for i, v, r in got:
        if i not in want:
            diffs.append("  %s: new check, %s (%s)" % (i, v, r))
    if diffs:
        print("%s-%s: %d verdicts differ from %s:" % (server, suite, len(diffs), os.path.relpath(path, ROOT)))
        print("\n".join(diffs))
        return False
    print("%s-%s: all %d verdicts as expected" % (server, suite, len(have)))
    return True


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    update = "--update" in sys.argv
    markdown_dir = None
    if "--markdown" in sys.argv:
        markdown_dir = os.path.abspath(sys.argv[sys.argv.index("--markdown") + 1])
        args.remove(sys.argv[sys.argv.index("--markdown") + 1])
        os.makedirs(markdown_dir, exist_ok=True)
    if len(args) != 2 or args[1] not in ("postfix", "exim", "dovecot", "postino", "dovecot-tls"):
        print(__doc__, file=sys.stderr)
        return 2
    postino, server = os.path.abspath(args[0]), args[1]
    if server != "postino" and os.geteuid() != 0:
        print("SKIPPED: the servers' masters start as root")
        return 0
    work = tempfile.mkdtemp(prefix="postino-check-peers-")
    os.chmod(work, 0o755)
    started, ok = [], False
    try:
        if server == "postino":
            s = Serve(postino, os.path.join(work, "serve"))
            started.append(s)
            ep = urls(s.env["SMTP_PORT"], s.env["POP3_PORT"], s.env["IMAP_PORT"])
            suites = ["smtp", "pop3", "imap", "message"]
        elif server == "dovecot-tls":
            cert, key = make_certificate(os.path.join(work, "tls"))
            d = Peer("dovecot", os.path.join(work, "dovecot"), "--tls", cert, key)
            started.append(d)
            ep = urls(None, d.env["POP3_PORT"], d.env["IMAP_PORT"])
            ok = True
            for suite in ("pop3", "imap"):
                extra = ["--tls", "required", "--cafile", cert, "--only", *TLS_ONLY[suite]]
                ok = compare(server, suite, run_suite(postino, suite, ep, work, markdown_dir, server, extra), update) and ok
            suites = []
        else:
            mta = "exim" if server == "exim" else "postfix"
            m = Peer(mta, os.path.join(work, mta))
            started.append(m)
            d = Peer("dovecot", os.path.join(work, "dovecot"), "--maildir-base", m.env["MAILDIR_BASE"])
            started.append(d)
            ep = urls(m.env["SMTP_PORT"], d.env["POP3_PORT"], d.env["IMAP_PORT"])
            suites = ["smtp", "message"] if server in ("postfix", "exim") else ["pop3", "imap"]
        if suites:
            ok = True
        for suite in suites:
            ok = compare(server, suite, run_suite(postino, suite, ep, work, markdown_dir, server), update) and ok
    except Failure as e:
        print("FAIL: %s" % e)
        ok = False
    finally:
        for s in reversed(started):
            try:
                s.stop()
            except Failure as e:
                print("FAIL: %s" % e)
                ok = False
    if ok:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print("(logs kept in %s)" % work)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
