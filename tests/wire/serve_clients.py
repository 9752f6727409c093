#!/usr/bin/env python3
"""serve_clients.py — starts `postino serve` on free loopback ports
(wire_harness.Server) and talks to it with real clients: Python's smtplib and
poplib, curl (SMTP send, POP3 retrieve) and swaks; raw sockets for garbage and
overlong lines. Every case starts its own server in a fresh data directory and
stops it by the PID it recorded (SIGTERM, then SIGKILL after a bound). Traffic
goes to 127.0.0.1 only.

Usage: serve_clients.py POSTINO CASE   (CASE: see CASES at the bottom, or "all")
Exit 0 when the case passes; a failure prints what differed and exits 1.
"""
import os
import poplib
import re
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_harness import (IO_TIMEOUT_S, MESSAGE, STOP_TIMEOUT_S, Server, check, pop3_raw_retr,  # noqa: E402
                          run_cases, strip_trace_headers)


def smtp_raw(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT_S)
    f = s.makefile("rb")
    greeting = f.readline()
    check(greeting.startswith(b"220 "), "SMTP greeting %r" % greeting)
    return s, f


def read_reply(f):
    lines = []
    while True:
        line = f.readline()
        check(line != b"", "connection closed while waiting for a reply")
        lines.append(line)
        if line[3:4] != b"-":
            return b"".join(lines)


# --- cases -----------------------------------------------------------------

def case_smtplib_poplib_roundtrip(postino):
    srv = Server(postino)
    try:
        with smtplib.SMTP("127.0.0.1", srv.smtp, timeout=IO_TIMEOUT_S) as s:
            code, _ = s.ehlo("client.example")
            check(code == 250, "EHLO 250")
            check(s.has_extn("pipelining") and s.has_extn("size"), "EHLO lists PIPELINING and SIZE")
            refused = s.sendmail("x@y.example", ["alice@a.example"], MESSAGE)
            check(refused == {}, "no recipient refused: %r" % refused)
        p = poplib.POP3("127.0.0.1", srv.pop3, timeout=IO_TIMEOUT_S)
        p.user("alice")
        p.pass_("secret")
        count, _ = p.stat()
        check(count == 1, "one message in alice's maildrop, got %d" % count)
        _, lines, _ = p.retr(1)
        via_poplib = b"\r\n".join(lines) + b"\r\n"
        check(strip_trace_headers(via_poplib) == MESSAGE, "poplib reads back the octets sent:\n%r" % via_poplib)
        uidl = p.uidl(1).split()[2]
        p.dele(1)
        p.quit()
        check(srv.maildir("alice") == [], "DELE + QUIT removed the Maildir file")
        check(len(uidl) <= 70, "UIDL at most 70 octets (RFC 1939 §7)")
        check(srv.stop() == 0, "exit code 0 after SIGTERM")
        # The live trace is a valid trace of the session.
        r = subprocess.run([postino, "trace", srv.trace, "--quiet"], capture_output=True, text=True, timeout=30)
        check(r.returncode == 0, "postino trace accepts the live trace: " + r.stdout + r.stderr)
        trace = open(srv.trace).read()
        for needle in ('"verb":"EHLO"', '"code":250', '"kind":"spool","host":"mx.a.example","ev":"enqueued"',
                       '"kind":"mailbox","host":"mx.a.example","ev":"stored"', '"proto":"pop3"', '"ev":"deleted"'):
            check(needle in trace, "trace holds " + needle)
    finally:
        srv.stop()
        srv.cleanup()


def case_curl_send_and_retrieve(postino):
    srv = Server(postino)
    try:
        msg_path = os.path.join(srv.dir, "msg.eml")
        with open(msg_path, "wb") as f:
            f.write(MESSAGE)
        r = subprocess.run(["curl", "-sS", "--max-time", "20", "smtp://127.0.0.1:%d" % srv.smtp,
                            "--mail-from", "x@y.example", "--mail-rcpt", "team@a.example",
                            "--upload-file", msg_path], capture_output=True, timeout=30)
        check(r.returncode == 0, "curl SMTP send: %r" % r.stderr)
        # The alias team -> alice, bob delivered one copy each.
        check(len(srv.maildir("alice")) == 1 and len(srv.maildir("bob")) == 1, "alias expanded to two Maildirs")
        r = subprocess.run(["curl", "-sS", "--max-time", "20", "-u", "bob:pw2",
                            "pop3://127.0.0.1:%d/" % srv.pop3], capture_output=True, timeout=30)
        check(r.returncode == 0 and r.stdout.startswith(b"1 "), "curl POP3 LIST: %r %r" % (r.stdout, r.stderr))
        r = subprocess.run(["curl", "-sS", "--max-time", "20", "-u", "bob:pw2",
                            "pop3://127.0.0.1:%d/1" % srv.pop3], capture_output=True, timeout=30)
        check(r.returncode == 0, "curl POP3 RETR: %r" % r.stderr)
        check(strip_trace_headers(r.stdout) == MESSAGE, "curl reads back the octets sent:\n%r" % r.stdout)
        raw = pop3_raw_retr(srv.pop3, "alice", "secret")
        check(strip_trace_headers(raw) == MESSAGE, "raw RETR reads back the octets sent")
        stored = open(srv.maildir("alice")[0], "rb").read()
        check(stored == raw, "RETR gives the Maildir file's bytes exactly")
    finally:
        srv.stop()
        srv.cleanup()


def case_swaks_refusals(postino):
    if shutil.which("swaks") is None:
        print("swaks is not installed: SKIPPED (scripts/install-deps.sh installs it)")
        return
    srv = Server(postino)
    try:
        def swaks(to, *extra):
            return subprocess.run(["swaks", "--server", "127.0.0.1", "--port", str(srv.smtp), "--from", "x@y.example",
                                   "--to", to, "--timeout", "20", *extra], capture_output=True, text=True, timeout=40)
        r = swaks("alice@a.example", "--header", "Subject: via swaks")
        check(r.returncode == 0 and "250 2.0.0" in r.stdout, "swaks delivers: " + r.stdout[-400:])
        r = swaks("nobody@a.example")
        check("550 5.1.1" in r.stdout, "unknown user is 550 5.1.1: " + r.stdout[-400:])
        r = swaks("someone@elsewhere.example")
        check("554 5.7.1" in r.stdout, "no relay for other domains: " + r.stdout[-400:])
        # carol's quota is 300 octets: a bigger message is refused at the end of DATA.
        r = swaks("carol@a.example", "--body", "x" * 400)
        check("552 5.2.2" in r.stdout, "over quota is 552 5.2.2: " + r.stdout[-400:])
        check(len(srv.maildir("alice")) == 1 and srv.maildir("carol") == [], "only the accepted message was stored")
    finally:
        srv.stop()
        srv.cleanup()


def case_garbage_and_overlong_lines(postino):
    srv = Server(postino)
    try:
        s, f = smtp_raw(srv.smtp)
        s.sendall(b"\x00\xff\x1b[31mgarbage\r\n")
        r = read_reply(f)
        check(r.startswith(b"500 "), "garbage is answered 500: %r" % r)
        s.sendall(b"HELO " + b"A" * 2000 + b"\r\n")
        r = read_reply(f)
        check(r.startswith(b"500 "), "an overlong line (RFC 5321 §4.5.3.1.4) is answered 500: %r" % r)
        s.sendall(b"NOOP\r\n")
        r = read_reply(f)
        check(r.startswith(b"250 "), "the session goes on after bad input: %r" % r)
        # Meanwhile another client is served normally.
        with smtplib.SMTP("127.0.0.1", srv.smtp, timeout=IO_TIMEOUT_S) as c:
            check(c.sendmail("x@y.example", ["alice@a.example"], MESSAGE) == {}, "a second client sends")
        s.sendall(b"QUIT\r\n")
        check(read_reply(f).startswith(b"221 "), "QUIT 221")
        s.close()
        # POP3: garbage and an overlong line get -ERR; the session still logs in.
        p = socket.create_connection(("127.0.0.1", srv.pop3), timeout=IO_TIMEOUT_S)
        pf = p.makefile("rb")
        check(pf.readline().startswith(b"+OK"), "POP3 greeting")
        p.sendall(b"\xfe\xfd\x00\r\n")
        check(pf.readline().startswith(b"-ERR"), "POP3 garbage is -ERR")
        p.sendall(b"USER " + b"b" * 1000 + b"\r\n")
        check(pf.readline().startswith(b"-ERR"), "POP3 overlong line is -ERR")
        p.sendall(b"USER alice\r\nPASS secret\r\nSTAT\r\n")
        check(pf.readline().startswith(b"+OK"), "USER after bad input")
        check(pf.readline().startswith(b"+OK"), "PASS after bad input")
        check(pf.readline().startswith(b"+OK 1 "), "STAT sees the second client's message")
        p.sendall(b"QUIT\r\n")
        pf.readline()
        p.close()
        # Endless bytes without a line end: answered and cut off, the server stays up.
        s, f = smtp_raw(srv.smtp)
        try:
            s.sendall(b"X" * (2 * 1024 * 1024))
        except OSError:
            pass  # the server may close while we are still writing
        s.close()
        with smtplib.SMTP("127.0.0.1", srv.smtp, timeout=IO_TIMEOUT_S) as c:
            check(c.noop()[0] == 250, "the server still serves after a flood")
    finally:
        srv.stop()
        srv.cleanup()


def case_sigterm_sends_421(postino):
    srv = Server(postino)
    try:
        s, f = smtp_raw(srv.smtp)
        s.sendall(b"EHLO c.example\r\n")
        read_reply(f)
        t0 = time.monotonic()
        srv.proc.send_signal(signal.SIGTERM)
        r = read_reply(f)
        check(r.startswith(b"421 "), "SIGTERM: the client gets 421 (RFC 5321 §3.8): %r" % r)
        check(f.readline() == b"", "then the connection is closed")
        srv.proc.wait(STOP_TIMEOUT_S)
        check(srv.proc.returncode == 0, "exit code 0")
        check(time.monotonic() - t0 < STOP_TIMEOUT_S, "stopped in time")
        check("shutting down" in srv.output() and "stopped" in srv.output(), "says it stops: " + srv.output())
    finally:
        srv.stop()
        srv.cleanup()


def case_spool_recovered_on_start(postino):
    # A crash after the 250 and before delivery leaves a spool file: the next start delivers it.
    entry_id = "1700000000.M000001P1Q000001"
    content = b"Return-Path: <x@y.example>\r\nReceived: from a by b; Tue, 14 Nov 2023 22:13:20 +0000\r\n" + MESSAGE

    def prepare(srv):
        q = os.path.join(srv.data, "spool", "queue")
        os.makedirs(q)
        os.makedirs(os.path.join(srv.data, "spool", "tmp"))
        with open(os.path.join(q, entry_id), "wb") as f:
            f.write(b"postino-spool 1\nfrom x@y.example\nto alice\nto bob\n\n" + content)
        # A partial spool write (never acknowledged) must not be delivered.
        with open(os.path.join(srv.data, "spool", "tmp", "partial"), "wb") as f:
            f.write(b"postino-spool 1\nfrom x@y.example\nto alice\n\nhalf")
        # A delivery already done before the crash must not be repeated.
        new = os.path.join(srv.data, "mailboxes", "bob", "new")
        os.makedirs(new)
        with open(os.path.join(new, entry_id), "wb") as f:
            f.write(content)

    srv = Server(postino, prepare=prepare)
    try:
        check("recovered from the spool" in srv.output(), "says it recovered: " + srv.output())
        check(os.listdir(os.path.join(srv.data, "spool", "queue")) == [], "the spool is empty after recovery")
        check(os.listdir(os.path.join(srv.data, "spool", "tmp")) == [], "the partial spool write is gone")
        check(len(srv.maildir("alice")) == 1 and len(srv.maildir("bob")) == 1, "each recipient has it exactly once")
        check(pop3_raw_retr(srv.pop3, "alice", "secret") == content, "alice reads the recovered message")
    finally:
        srv.stop()
        srv.cleanup()


def case_startup_errors(postino):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    d = tempfile.mkdtemp(prefix="postino-serve-test-")
    try:
        r = subprocess.run([postino, "serve", "--smtp", str(port), "--data", os.path.join(d, "x")],
                           capture_output=True, text=True, timeout=30)
        check(r.returncode == 2 and "port is in use" in r.stderr, "port in use: %r" % r.stderr)
        bad = os.path.join(d, "bad.yaml")
        with open(bad, "w") as f:
            f.write("domains: [a.example]\nmailboxes:\n  - {name: alice, pasword: x}\n")
        r = subprocess.run([postino, "serve", "--smtp", "0", "--data", os.path.join(d, "x"), "--config", bad],
                           capture_output=True, text=True, timeout=30)
        check(r.returncode == 2 and "bad.yaml:3:19: unknown key 'pasword'" in r.stderr and "'password'" in r.stderr,
              "config error as file:line:col: %r" % r.stderr)
        blocker = os.path.join(d, "file")
        open(blocker, "w").close()
        r = subprocess.run([postino, "serve", "--smtp", "0", "--data", os.path.join(blocker, "data")],
                           capture_output=True, text=True, timeout=30)
        check(r.returncode == 2 and "cannot create directory" in r.stderr, "DIR not writable: %r" % r.stderr)
    finally:
        busy.close()
        shutil.rmtree(d, ignore_errors=True)


def case_sigkill_loses_nothing(postino):
    """Sends in a loop while the server is SIGKILLed at seeded random moments and
    restarted on the same DIR: every message that got a 250 is in the Maildir
    exactly once afterwards, nothing unacknowledged appears twice, and no file
    holds a partial message."""
    import random
    import threading
    rng = random.Random(20261203)
    rounds = 6
    keep = tempfile.mkdtemp(prefix="postino-serve-crash-")
    data = os.path.join(keep, "data")
    acked, tried = set(), set()
    body_tail = b"\r\nend of message\r\n"

    def message(n):
        # Large enough that a kill often lands in the middle of a write.
        return (b"Message-ID: <crash-%d@y.example>\r\nSubject: crash %d\r\n\r\n" % (n, n) +
                (b"%06d a line of padding in the body\r\n" % n) * 2000 + body_tail)

    counter = [0]
    try:
        for _ in range(rounds + 1):
            # One data directory across every restart (root=keep is never removed by the harness).
            srv = Server(postino, root=keep, trace=False)
            stop = threading.Event()

            def sender():
                while not stop.is_set():
                    counter[0] += 1
                    n = counter[0]
                    tried.add(n)
                    try:
                        with smtplib.SMTP("127.0.0.1", srv.smtp, timeout=IO_TIMEOUT_S) as c:
                            if c.sendmail("x@y.example", ["team@a.example"], message(n)) == {}:
                                acked.add(n)
                    except (OSError, smtplib.SMTPException):
                        pass

            threads = [threading.Thread(target=sender) for _ in range(3)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.15, 0.6))
            srv.proc.kill()  # SIGKILL by PID, at a random moment
            srv.proc.wait()
            stop.set()
            for t in threads:
                t.join(IO_TIMEOUT_S + 5)
            srv.cleanup()
        # A last clean start recovers the spool; then look at every mailbox.
        srv = Server(postino, config=None, listen=("--pop3", "0"), root=keep, trace=False)
        check(srv.stop() == 0, "clean stop")
        check(os.listdir(os.path.join(data, "spool", "queue")) == [], "spool empty after recovery")
        for account in ("alice", "bob"):
            seen = {}
            for path in srv.maildir(account):
                raw = open(path, "rb").read()
                m = re.search(rb"Message-ID: <crash-(\d+)@y\.example>", raw)
                check(m is not None, "a stored file without its header: " + path)
                n = int(m.group(1))
                check(strip_trace_headers(raw) == message(n), "a partial or altered message in " + path)
                seen[n] = seen.get(n, 0) + 1
            dup = [n for n, c in seen.items() if c > 1]
            check(not dup, "%s has duplicates: %r" % (account, dup))
            missing = sorted(acked - set(seen))
            check(not missing, "%s lost acknowledged messages: %r" % (account, missing))
        print("crash: %d rounds, %d messages tried, %d acknowledged, all delivered once" %
              (rounds, len(tried), len(acked)))
        check(len(acked) > 0, "some messages were acknowledged")
    finally:
        shutil.rmtree(keep, ignore_errors=True)


def case_thousand_connections(postino):
    """1,000 connections at once: at most kDefaultMaxConnections are served, the
    others get 421 and are closed; afterwards the server serves normally."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, 4096)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    srv = Server(postino)  # inherits the raised limit
    try:
        socks = []
        for _ in range(1000):
            socks.append(socket.create_connection(("127.0.0.1", srv.smtp), timeout=IO_TIMEOUT_S))
        served = refused = 0
        for s in socks:
            line = s.makefile("rb").readline()
            if line.startswith(b"220 "):
                served += 1
            elif line.startswith(b"421 "):
                refused += 1
        check(served + refused == 1000, "every connection got a greeting: %d + %d" % (served, refused))
        check(0 < served <= 256, "at most 256 served at once, got %d" % served)
        for s in socks:
            s.close()
        time.sleep(0.2)
        with smtplib.SMTP("127.0.0.1", srv.smtp, timeout=IO_TIMEOUT_S) as c:
            check(c.sendmail("x@y.example", ["alice@a.example"], MESSAGE) == {}, "serves after the storm")
        check(len(srv.maildir("alice")) == 1, "the message is stored")
        print("1000 connections: %d served, %d refused with 421" % (served, refused))
    finally:
        srv.stop()
        srv.cleanup()


CASES = {
    "smtplib-poplib": case_smtplib_poplib_roundtrip,
    "curl": case_curl_send_and_retrieve,
    "swaks": case_swaks_refusals,
    "bad-input": case_garbage_and_overlong_lines,
    "sigterm": case_sigterm_sends_421,
    "recovery": case_spool_recovered_on_start,
    "startup-errors": case_startup_errors,
    "crash": case_sigkill_loses_nothing,
    "connections": case_thousand_connections,
}


def main():
    return run_cases("serve_clients.py", CASES)


if __name__ == "__main__":
    sys.exit(main())
