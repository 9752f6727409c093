#!/usr/bin/env python3
"""serve_relay.py — two `postino serve` instances on loopback, A relaying to B
through a static route (`routes:`), with a fast custom retry profile:
A's submitter sends to bob@b.example and B stores it; with B down the
message waits in A's outbound queue and is delivered once B is started; B
answering 550 makes A put a DSN (RFC 3464) into the sender's Maildir.
Starts its servers itself and stops them by PID; 127.0.0.1 only.

Usage: serve_relay.py POSTINO CASE   (CASE: see CASES, or "all")
"""
import contextlib
import os
import shutil
import smtplib
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_harness import IO_TIMEOUT_S, Failure, Server, check, free_port, run_cases, wait_for  # noqa: E402

MESSAGE = b"From: alice@a.example\r\nTo: bob@b.example\r\nSubject: relayed\r\nMessage-ID: <r1@a.example>\r\n\r\nCiao Bob\r\n"


def relay_server(postino, root, config, listen):
    """One server of the relay world in its own directory `root` (removed with the world)."""
    return Server(postino, config=config, listen=listen, root=root)


@contextlib.contextmanager
def relay_world():
    """A scratch directory and the servers started in it; all stopped and removed at the end."""
    root = tempfile.mkdtemp(prefix="postino-relay-test-")
    servers = []
    try:
        yield root, servers
    finally:
        for s in servers:
            try:
                s.stop()
            finally:
                s.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def config_a(b_port):
    return ("name: mx.a.example\ndomains: [a.example]\nmailboxes:\n  - {name: alice, password: secret}\n"
            "routes: {b.example: \"127.0.0.1:%d\"}\nprofile: \"F,6s,1s\"\n" % b_port)


CONFIG_B = "name: mx.b.example\ndomains: [b.example]\nmailboxes:\n  - {name: bob, password: pw}\n"


def submit(a, to="bob@b.example"):
    with smtplib.SMTP("127.0.0.1", a.submission, timeout=IO_TIMEOUT_S) as s:
        s.login("alice", "secret")
        refused = s.sendmail("alice@a.example", [to], MESSAGE)
        check(refused == {}, "the relay recipient is accepted: %r" % refused)


def outbound(a):
    d = os.path.join(a.data, "spool", "outbound")
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def case_relay(postino):
    with relay_world() as (root, servers):
        b_port = free_port()
        b = relay_server(postino, os.path.join(root, "b"), CONFIG_B, ["--smtp", str(b_port)])
        servers.append(b)
        a = relay_server(postino, os.path.join(root, "a"), config_a(b_port), ["--submission", "0"])
        servers.append(a)
        # The plain SMTP port of A never relays; unauthenticated submission neither.
        with smtplib.SMTP("127.0.0.1", a.submission, timeout=IO_TIMEOUT_S) as s:
            s.login("alice", "secret")
            try:
                s.sendmail("alice@a.example", ["carol@c.example"], MESSAGE)
                raise Failure("a domain without a route must be refused")
            except smtplib.SMTPRecipientsRefused as e:
                check(list(e.recipients.values())[0][0] == 550, "550 for a domain without a route: %r" % e.recipients)
        submit(a)
        wait_for("the message in bob's Maildir on B", lambda: len(b.maildir("bob")) == 1, 10)
        stored = open(b.maildir("bob")[0], "rb").read()
        check(stored.endswith(MESSAGE), "B stores the message sent to A: %r" % stored[-200:])
        check(stored.count(b"Received: from") == 2, "two Received: fields (A and B): %r" % stored[:600])
        wait_for("A's outbound queue to empty", lambda: outbound(a) == [], 5)
        check(a.stop() == 0 and b.stop() == 0, "exit codes 0")
        trace = open(a.trace).read()
        for needle in ('"ev":"enqueued"', '"ev":"attempt"', '"ev":"sent"', '"ev":"removed"', '"verb":"MAIL"'):
            check(needle in trace, "A's trace holds " + needle)


def case_retry(postino):
    """B is down when A gets the message; A retries (profile F,6s,1s) and delivers once B is up."""
    with relay_world() as (root, servers):
        b_port = free_port()
        a = relay_server(postino, os.path.join(root, "a"), config_a(b_port), ["--submission", "0"])
        servers.append(a)
        submit(a)
        check(len(outbound(a)) == 1, "the message waits in A's outbound queue")
        time.sleep(1.5)  # at least one failed attempt
        trace = open(a.trace).read()
        check('"ev":"deferred"' in trace, "A deferred the message after a failed attempt")
        b = relay_server(postino, os.path.join(root, "b"), CONFIG_B, ["--smtp", str(b_port)])
        servers.append(b)
        wait_for("delivery on retry", lambda: len(b.maildir("bob")) == 1, 5)
        wait_for("A's outbound queue to empty", lambda: outbound(a) == [], 5)
        check(a.maildir("alice") == [], "no bounce for alice")


def case_bounce(postino):
    """B answers 550 (no such user): the sender gets a DSN in her Maildir on A."""
    with relay_world() as (root, servers):
        b_port = free_port()
        b = relay_server(postino, os.path.join(root, "b"), CONFIG_B, ["--smtp", str(b_port)])
        servers.append(b)
        a = relay_server(postino, os.path.join(root, "a"), config_a(b_port), ["--submission", "0"])
        servers.append(a)
        submit(a, "nobody@b.example")
        wait_for("a DSN in alice's Maildir", lambda: len(a.maildir("alice")) == 1, 10)
        dsn = open(a.maildir("alice")[0], "rb").read()
        check(dsn.startswith(b"Return-Path: <>\r\n"), "the DSN has a null Return-Path")
        for needle in (b"multipart/report", b"report-type=delivery-status", b"Final-Recipient: rfc822; nobody@b.example",
                       b"Action: failed", b"Status: 5.1.1", b"Subject: relayed"):
            check(needle in dsn, "the DSN holds %r:\n%r" % (needle, dsn[:1500]))
        wait_for("A's outbound queue to empty", lambda: outbound(a) == [], 5)
        check(b.maildir("bob") == [], "nothing reached bob")


def case_batch(postino):
    """Three messages wait while B is down; once B is up they go in ONE session (RFC 5321 §3.3)."""
    with relay_world() as (root, servers):
        b_port = free_port()
        a = relay_server(postino, os.path.join(root, "a"), config_a(b_port), ["--submission", "0"])
        servers.append(a)
        for _ in range(3):
            submit(a)
        check(len(outbound(a)) == 3, "three messages wait in A's outbound queue: %r" % outbound(a))
        time.sleep(1.5)  # each has failed at least once
        b = relay_server(postino, os.path.join(root, "b"), CONFIG_B, ["--smtp", str(b_port)])
        servers.append(b)
        wait_for("three deliveries", lambda: len(b.maildir("bob")) == 3, 8)
        wait_for("A's outbound queue to empty", lambda: outbound(a) == [], 5)
        check(a.stop() == 0 and b.stop() == 0, "exit codes 0")
        # B's trace: how many sessions greeted A, and how many messages they accepted.
        greetings = accepted = 0
        for line in open(b.trace):
            if '"kind":"line"' in line and '"dir":"send"' in line:
                if '"code":220' in line and "ESMTP" in line:
                    greetings += 1
                if "queued as" in line:
                    accepted += 1
        check(accepted == 3, "B accepted three messages: %d" % accepted)
        check(greetings == 1, "the three messages shared one session: %d greetings" % greetings)
        joined = open(a.trace).read().count('"joined":')
        check(joined >= 2, "A's trace marks the attempts that joined another's session: %d" % joined)


CASES = {"relay": case_relay, "retry": case_retry, "bounce": case_bounce, "batch": case_batch}


def main():
    return run_cases("serve_relay.py", CASES)


if __name__ == "__main__":
    sys.exit(main())
