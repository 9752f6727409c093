"""wire_harness.py — the shared plumbing of the tests/wire scripts (and
tests/conformance/check_serve_tls.py): starting `postino serve` on free
loopback ports in a scratch directory, reading the ports it printed, stopping
it by the PID it was started with (SIGTERM, then SIGKILL after a bound), the
account configuration and test message most cases use, and the case runner
behind every script's main(). Each script keeps its own test logic; this file
holds only what they share. Traffic goes to 127.0.0.1 only.

Import it after putting the script's own directory on sys.path:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from wire_harness import Server, check, ...
"""
import os
import re
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time

START_TIMEOUT_S = 10   # the server prints "ready" well within this
STOP_TIMEOUT_S = 8     # kShutdownGrace (5 s) plus a margin
IO_TIMEOUT_S = 10      # any single client read
POLL_S = 0.02          # how often the start-up log is read

CONFIG = """\
name: mx.a.example
role: mta
domains: [a.example]
mailboxes:
  - {name: alice, password: secret}
  - {name: bob, password: pw2}
  - {name: carol, password: pw3, quota: 300}
aliases:
  team: [alice, bob]
"""

# Dot-stuffing, a header, 8-bit-free body, a line that is exactly ".", trailing spaces.
MESSAGE = (b"From: Sender <x@y.example>\r\nTo: alice@a.example\r\nSubject: wire test\r\n"
           b"Message-ID: <t1@y.example>\r\n\r\nHello Alice,\r\n.leading dot\r\n..two dots\r\n"
           b"trailing spaces   \r\n\r\nlast line\r\n")

# `listen` of a Server that also serves IMAP.
LISTEN_WITH_IMAP = ("--smtp", "0", "--pop3", "0", "--imap", "0")

# The listening lines `postino serve` prints before "ready": attribute name -> pattern.
PORT_LINES = (
    ("smtp", r"SMTP on 127\.0\.0\.1:(\d+)"),
    ("submission", r"submission on 127\.0\.0\.1:(\d+)"),
    ("pop3", r"POP3 on 127\.0\.0\.1:(\d+)"),
    ("imap", r"IMAP on 127\.0\.0\.1:(\d+)"),
    ("http", r"webmail \(HTTP\) on http://127\.0\.0\.1:(\d+)/"),
)


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def free_port():
    """A loopback port nobody listens on right now (for a server started later on a fixed port)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(what, cond, seconds, every=0.05):
    """Polls cond() until it is true; a Failure naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(every)
    raise Failure("timed out waiting for " + what)


class Server:
    """`postino serve` with the services in `listen` (flags such as "--smtp", "0") plus
    `extra_args`, on `root`/data with `config` in `root`/serve.yaml. root=None makes a fresh
    scratch directory that cleanup() removes; a given root is kept (restarts on the same DIR).
    `prepare(server)` runs before the start (server.dir and server.data are set). After the
    start every port printed is an attribute (smtp, submission, pop3, imap, http; None when
    not served)."""

    def __init__(self, postino, extra_args=(), config=CONFIG, prepare=None, listen=("--smtp", "0", "--pop3", "0"),
                 root=None, trace=True, prefix="postino-serve-test-"):
        self.owns_dir = root is None
        self.dir = root or tempfile.mkdtemp(prefix=prefix)
        os.makedirs(self.dir, exist_ok=True)
        self.data = os.path.join(self.dir, "data")
        self.trace = os.path.join(self.dir, "trace.jsonl") if trace else None
        cfg = os.path.join(self.dir, "serve.yaml")
        if config is not None:
            with open(cfg, "w") as f:
                f.write(config)
        if prepare:
            prepare(self)
        self.log_path = os.path.join(self.dir, "log")
        self.log = open(self.log_path, "w+")  # truncated, so a restart's "ready" is the new one
        args = [postino, "serve", *listen, "--data", self.data, "--config", cfg]
        if trace:
            args += ["--trace", self.trace]
        self.proc = subprocess.Popen(args + list(extra_args), stdout=self.log, stderr=subprocess.STDOUT)
        for name, _ in PORT_LINES:
            setattr(self, name, None)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            text = self.output()
            if "ready" in text:
                for name, pattern in PORT_LINES:
                    m = re.search(pattern, text)
                    setattr(self, name, int(m.group(1)) if m else None)
                return
            if self.proc.poll() is not None:
                break
            time.sleep(POLL_S)
        self.stop()
        raise Failure("server did not start: " + self.output())

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        """SIGTERM by PID, wait, SIGKILL if it is still there. Returns the exit code; safe to repeat."""
        try:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
                    raise Failure("server did not stop within %d s of SIGTERM" % STOP_TIMEOUT_S)
        finally:
            if self.proc.poll() is not None:
                self.log.close()
        return self.proc.returncode

    def maildir(self, account, folder=None):
        """The message files of an account's INBOX (or of a Maildir++ folder), new/ then cur/, sorted."""
        base = os.path.join(self.data, "mailboxes", account)
        if folder:
            base = os.path.join(base, "." + folder)
        out = []
        for sub in ("new", "cur"):
            d = os.path.join(base, sub)
            if os.path.isdir(d):
                out += [os.path.join(d, n) for n in sorted(os.listdir(d))]
        return out

    def send(self, to, message=MESSAGE, sender="x@y.example"):
        """One message over SMTP; every recipient must be accepted."""
        with smtplib.SMTP("127.0.0.1", self.smtp, timeout=IO_TIMEOUT_S) as s:
            refused = s.sendmail(sender, [to], message)
            check(refused == {}, "no recipient refused: %r" % refused)

    def cleanup(self):
        self.log.close()
        if self.owns_dir:
            shutil.rmtree(self.dir, ignore_errors=True)


def strip_trace_headers(stored):
    """The server prepends Return-Path: and Received: (RFC 5321 §4.4); what follows is the client's octets."""
    check(stored.startswith(b"Return-Path: <"), "stored message starts with Return-Path: %r" % stored[:60])
    i = stored.index(b"\r\nReceived: ") + 2
    # The Received: field ends at the first line that does not start with whitespace.
    j = stored.index(b"\r\n", i)
    while stored[j + 2:j + 3] in (b"\t", b" "):
        j = stored.index(b"\r\n", j + 2)
    return stored[j + 2:]


def pop3_raw_retr(port, user, password, n=1):
    """RETR over a raw socket: the exact octets, unstuffed here by RFC 1939 §3."""
    s = socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT_S)
    f = s.makefile("rb")
    check(f.readline().startswith(b"+OK"), "POP3 greeting")
    for cmd in (b"USER " + user.encode(), b"PASS " + password.encode()):
        s.sendall(cmd + b"\r\n")
        line = f.readline()
        check(line.startswith(b"+OK"), "POP3 %r -> %r" % (cmd.split()[0], line))
    s.sendall(b"RETR %d\r\n" % n)
    check(f.readline().startswith(b"+OK"), "RETR status")
    body = b""
    while True:
        line = f.readline()
        check(line != b"", "RETR body ended early")
        if line == b".\r\n":
            break
        body += line[1:] if line.startswith(b".") else line
    s.sendall(b"QUIT\r\n")
    f.readline()
    s.close()
    return body


def run_cases(script, cases, argv=None):
    """main() of a case script: `SCRIPT POSTINO CASE` (a name in `cases`, or "all"). Prints
    "ok CASE (seconds)" per passing case; the first Failure prints "FAILED CASE: why" and exits 1;
    bad usage exits 2."""
    argv = sys.argv if argv is None else argv
    if len(argv) != 3 or (argv[2] not in cases and argv[2] != "all"):
        print("usage: %s POSTINO CASE  (CASE: %s, all)" % (script, ", ".join(cases)))
        return 2
    names = list(cases) if argv[2] == "all" else [argv[2]]
    for name in names:
        t0 = time.monotonic()
        try:
            cases[name](argv[1])
        except Failure as e:
            print("FAILED %s: %s" % (name, e))
            return 1
        print("ok %s (%.1f s)" % (name, time.monotonic() - t0))
    return 0
