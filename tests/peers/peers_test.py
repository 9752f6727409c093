#!/usr/bin/env python3
"""peers_test.py — CTest cases for the real servers of conformance/peers/:
each case starts its servers with the scripts there (free loopback ports, a
private directory), checks that they greet on SMTP/POP3/IMAP, delivers one
message end to end, stops them by their recorded PID and checks that no
process of theirs is left. The message travels Postfix → Maildir → Dovecot
POP3 and IMAP (and Exim → Maildir), and what comes back must be the bytes
that were sent (after the trace headers the servers prepend).

Usage: peers_test.py CASE   (postfix, dovecot, exim, postfix-dovecot)
Exit 0 when the case passes; a failure says what differed and exits 1. The
servers start as root (their masters drop privileges themselves); run as
another user, a case prints SKIPPED.
"""
import imaplib
import os
import poplib
import shutil
import smtplib
import socket
import subprocess
import sys
import tempfile
import time

PEERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "conformance", "peers")
DOMAIN = "example.test"
PASSWORD = "secret"
IO_TIMEOUT_S = 10        # any single client read
DELIVERY_TIMEOUT_S = 10  # a queued message reaches the Maildir well within this

# Dot-stuffing both ways (SMTP DATA and POP3 RETR), a line that is only a
# dot after unstuffing, trailing spaces, an empty line in the body.
MESSAGE = (b"From: Sender <sender@client.test>\r\nTo: alice@example.test\r\n"
           b"Subject: peers test\r\nDate: Thu, 03 Dec 2026 12:00:00 +0000\r\n"
           b"Message-ID: <peers-1@client.test>\r\n\r\n"
           b"Hello Alice,\r\n.leading dot\r\n..two dots\r\n.\r\ntrailing spaces   \r\n\r\nlast line\r\n")


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


class Peer:
    """One server started by conformance/peers/NAME.sh in DIR."""

    def __init__(self, name, directory, *args):
        self.name, self.dir = name, directory
        self.script = os.path.join(PEERS, name + ".sh")
        r = subprocess.run([self.script, "start", directory, *args], capture_output=True, text=True, timeout=60)
        check(r.returncode == 0, "%s start failed (%d):\n%s%s" % (name, r.returncode, r.stdout, r.stderr))
        sys.stdout.write(r.stdout)
        self.env = {}
        with open(os.path.join(directory, "peer.env")) as f:
            for line in f:
                k, _, v = line.strip().partition("=")
                self.env[k] = v
        self.pid = int(self.env["PID"])
        self.stopped = False

    def port(self, key):
        return int(self.env[key])

    def session_pids(self):
        out = subprocess.run(["ps", "-e", "-o", "pid=", "-o", "sid="], capture_output=True, text=True).stdout
        return [int(p) for p, s in (line.split() for line in out.splitlines()) if int(s) == self.pid]

    def stop(self):
        if self.stopped:
            return
        self.stopped = True
        check(len(self.session_pids()) >= 1, "%s: pid %d is not running before stop" % (self.name, self.pid))
        r = subprocess.run([self.script, "stop", self.dir], capture_output=True, text=True, timeout=60)
        sys.stdout.write(r.stdout)
        check(r.returncode == 0, "%s stop failed (%d): %s" % (self.name, r.returncode, r.stderr))
        left = self.session_pids()
        check(not left, "%s: processes left after stop: %s" % (self.name, left))


def read_line(host_port, expect_prefix):
    with socket.create_connection(host_port, timeout=IO_TIMEOUT_S) as s:
        data = b""
        while not data.endswith(b"\r\n"):
            chunk = s.recv(1024)
            check(chunk, "%s: closed before a greeting" % (host_port,))
            data += chunk
    check(data.startswith(expect_prefix), "greeting on %s: %r (expected %r...)" % (host_port, data, expect_prefix))
    print("greeting on %d: %s" % (host_port[1], data.decode("ascii", "replace").strip()))
    return data


def smtp_send(port, rcpt="alice@" + DOMAIN):
    read_line(("127.0.0.1", port), b"220 ")
    with smtplib.SMTP("127.0.0.1", port, timeout=IO_TIMEOUT_S) as c:
        code, _ = c.ehlo("client.test")
        check(code == 250, "EHLO: %d" % code)
        refused = c.sendmail("sender@client.test", [rcpt], MESSAGE)
        check(not refused, "refused: %r" % refused)
        try:
            c.sendmail("sender@client.test", ["nobody-here@" + DOMAIN], MESSAGE)
            raise Failure("an unknown user was accepted")
        except smtplib.SMTPRecipientsRefused as e:
            code = e.recipients["nobody-here@" + DOMAIN][0]
            check(550 <= code <= 559, "unknown user: %d" % code)


def wait_maildir(base, user="alice"):
    new = os.path.join(base, DOMAIN, user, "Maildir", "new")
    deadline = time.monotonic() + DELIVERY_TIMEOUT_S
    while time.monotonic() < deadline:
        files = sorted(os.listdir(new)) if os.path.isdir(new) else []
        if files:
            check(len(files) == 1, "%s: %d messages, expected 1" % (new, len(files)))
            with open(os.path.join(new, files[0]), "rb") as f:
                return f.read()
        time.sleep(0.05)
    raise Failure("nothing in %s after %d s" % (new, DELIVERY_TIMEOUT_S))


def check_stored(stored, eol):
    """The stored message: the server's trace headers, then exactly the
    octets that were sent (with the server's line ending)."""
    sent = MESSAGE.replace(b"\r\n", eol)
    check(stored.endswith(sent), "stored message does not end with the sent one:\n%r" % stored)
    head = stored[:-len(sent)]
    check(b"Received: " in head, "no Received: field before the message: %r" % head)
    return stored


def pop3_read(port, expected):
    read_line(("127.0.0.1", port), b"+OK")
    p = poplib.POP3("127.0.0.1", port, timeout=IO_TIMEOUT_S)
    try:
        try:
            p.user("alice")
            p.pass_("wrong")
            raise Failure("POP3 accepted a wrong password")
        except poplib.error_proto:
            pass
        p = poplib.POP3("127.0.0.1", port, timeout=IO_TIMEOUT_S)
        p.user("alice")
        p.pass_(PASSWORD)
        count, size = p.stat()
        check(count == 1, "POP3 STAT: %d messages" % count)
        _, lines, _ = p.retr(1)  # poplib undoes the dot-stuffing
        got = b"\r\n".join(lines) + b"\r\n"
        check(got == expected, "POP3 RETR differs from the Maildir file:\n%r\n%r" % (got, expected))
        check(size == len(expected), "POP3 STAT size %d, message has %d octets" % (size, len(expected)))
        print("POP3 RETR 1: %d octets, identical" % len(got))
    finally:
        p.quit()


def imap_read(port, expected):
    read_line(("127.0.0.1", port), b"* OK")
    m = imaplib.IMAP4("127.0.0.1", port, timeout=IO_TIMEOUT_S)
    try:
        try:
            m.login("alice", "wrong")
            raise Failure("IMAP accepted a wrong password")
        except imaplib.IMAP4.error:
            pass
        m.login("alice", PASSWORD)
        typ, data = m.select("INBOX")
        check(typ == "OK" and data[0] == b"1", "SELECT INBOX: %s %r" % (typ, data))
        typ, data = m.uid("FETCH", "1:*", "(BODY.PEEK[] RFC822.SIZE)")
        check(typ == "OK" and isinstance(data[0], tuple), "FETCH: %s %r" % (typ, data))
        got = data[0][1]
        check(got == expected, "IMAP BODY[] differs from the Maildir file:\n%r\n%r" % (got, expected))
        check(b"RFC822.SIZE %d" % len(expected) in data[0][0], "RFC822.SIZE in %r" % data[0][0])
        print("IMAP UID FETCH BODY[]: %d octets, identical" % len(got))
        m.logout()
    except BaseException:
        m.shutdown()
        raise


def plant_message(base, user="alice"):
    """Writes the message into the user's Maildir as a delivery agent would."""
    md = os.path.join(base, DOMAIN, user, "Maildir")
    for sub in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(md, sub), exist_ok=True)
    stored = b"Return-Path: <sender@client.test>\r\nReceived: from client.test by hand\r\n" + MESSAGE
    name = "1700000000.M1P1.peers"
    with open(os.path.join(md, "tmp", name), "wb") as f:
        f.write(stored.replace(b"\r\n", b"\n"))
    os.rename(os.path.join(md, "tmp", name), os.path.join(md, "new", name))
    uid = gid = 65534
    for root, dirs, files in os.walk(os.path.join(base, DOMAIN)):
        for n in dirs + files:
            os.chown(os.path.join(root, n), uid, gid)
    return stored


def case_postfix(work):
    pf = Peer("postfix", os.path.join(work, "postfix"))
    try:
        smtp_send(pf.port("SMTP_PORT"))
        check_stored(wait_maildir(pf.env["MAILDIR_BASE"]), b"\n")
        print("Maildir: the message as sent, after Postfix's headers")
    finally:
        pf.stop()


def case_exim(work):
    ex = Peer("exim", os.path.join(work, "exim"))
    try:
        smtp_send(ex.port("SMTP_PORT"))
        check_stored(wait_maildir(ex.env["MAILDIR_BASE"]), b"\n")
        print("Maildir: the message as sent, after Exim's headers")
    finally:
        ex.stop()


def case_dovecot(work):
    base = os.path.join(work, "mail")
    dc = Peer("dovecot", os.path.join(work, "dovecot"), "--maildir-base", base)
    try:
        stored = plant_message(base)
        pop3_read(dc.port("POP3_PORT"), stored)
        imap_read(dc.port("IMAP_PORT"), stored)
    finally:
        dc.stop()


def case_postfix_dovecot(work):
    pf = Peer("postfix", os.path.join(work, "postfix"))
    dc = None
    try:
        dc = Peer("dovecot", os.path.join(work, "dovecot"), "--maildir-base", pf.env["MAILDIR_BASE"])
        smtp_send(pf.port("SMTP_PORT"))
        stored = check_stored(wait_maildir(pf.env["MAILDIR_BASE"]), b"\n").replace(b"\n", b"\r\n")
        pop3_read(dc.port("POP3_PORT"), stored)
        imap_read(dc.port("IMAP_PORT"), stored)
    finally:
        try:
            if dc:
                dc.stop()
        finally:
            pf.stop()


CASES = {"postfix": case_postfix, "dovecot": case_dovecot, "exim": case_exim,
         "postfix-dovecot": case_postfix_dovecot}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        print("usage: peers_test.py {%s}" % "|".join(CASES), file=sys.stderr)
        return 2
    if os.geteuid() != 0:
        print("SKIPPED: the servers' masters start as root")
        return 0
    # The servers' own users must reach the private directory (0755 inside
    # a searchable /tmp; mktemp makes 0700).
    work = tempfile.mkdtemp(prefix="postino-peers-")
    os.chmod(work, 0o755)
    t0 = time.monotonic()
    try:
        CASES[sys.argv[1]](work)
    except Failure as e:
        print("FAIL: %s" % e)
        print("(logs kept in %s)" % work)
        return 1
    print("PASS %s in %.1f s" % (sys.argv[1], time.monotonic() - t0))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
