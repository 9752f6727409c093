#!/usr/bin/env python3
"""serve_imap.py — `postino serve --imap` on free loopback ports, checked with
real clients: Python's imaplib, curl's IMAP, and raw sockets for IDLE, BYE at
shutdown and bad input. Every case starts its own server in a fresh data
directory (a restart reuses it) and stops it by the PID it recorded.
Traffic goes to 127.0.0.1 only.

Usage: serve_imap.py POSTINO CASE   (CASE: see CASES at the bottom, or "all")
Exit 0 when the case passes; a failure prints what differed and exits 1.
"""
import imaplib
import json
import os
import poplib
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_harness import (IO_TIMEOUT_S, LISTEN_WITH_IMAP, MESSAGE, STOP_TIMEOUT_S, Failure, Server,  # noqa: E402
                          check, pop3_raw_retr, run_cases, strip_trace_headers)


def imap_server(postino, root=None):
    """postino serve with SMTP, POP3 and IMAP on free ports, in `root` (a fresh directory when None)."""
    return Server(postino, listen=LISTEN_WITH_IMAP, root=root, prefix="postino-imap-test-")


def login(srv, user="alice", password="secret"):
    m = imaplib.IMAP4("127.0.0.1", srv.imap, timeout=IO_TIMEOUT_S)
    typ, _ = m.login(user, password)
    check(typ == "OK", "LOGIN %s" % user)
    return m


def uids_and_flags(m):
    typ, data = m.uid("FETCH", "1:*", "(UID FLAGS)")
    check(typ == "OK", "UID FETCH 1:* (UID FLAGS)")
    out = {}
    for item in data:
        if item is None:
            continue
        text = item.decode() if isinstance(item, bytes) else item[0].decode()
        mo = re.search(r"UID (\d+) FLAGS \(([^)]*)\)", text) or re.search(r"FLAGS \(([^)]*)\) UID (\d+)", text)
        check(mo is not None, "FETCH response has UID and FLAGS: %r" % text)
        if mo.re.pattern.startswith("UID"):
            out[int(mo.group(1))] = set(mo.group(2).split())
        else:
            out[int(mo.group(2))] = set(mo.group(1).split())
    return out


def uidvalidity(m):
    typ, data = m.status("INBOX", "(UIDVALIDITY UIDNEXT)")
    check(typ == "OK", "STATUS INBOX")
    mo = re.search(rb"UIDVALIDITY (\d+) UIDNEXT (\d+)", data[0])
    check(mo is not None, "STATUS answers UIDVALIDITY and UIDNEXT: %r" % data)
    return int(mo.group(1)), int(mo.group(2))


class Raw:
    """An IMAP connection over a raw socket, for IDLE, BYE and bad input."""

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT_S)
        self.f = self.s.makefile("rb")
        self.greeting = self.f.readline()

    def send(self, data):
        self.s.sendall(data)

    def until(self, prefix):
        """Lines up to and including the first that starts with `prefix`."""
        lines = []
        while True:
            line = self.f.readline()
            check(line != b"", "connection closed while waiting for %r; got %r" % (prefix, lines))
            lines.append(line)
            if line.startswith(prefix):
                return lines

    def close(self):
        self.s.close()


# --- cases -----------------------------------------------------------------

def case_imaplib(postino):
    """LOGIN, SELECT, FETCH, STORE flags, EXPUNGE; a restart keeps UIDs, flags and UIDVALIDITY."""
    srv = imap_server(postino)
    root = srv.dir
    try:
        for _ in range(3):
            srv.send("alice@a.example")
        m = login(srv)
        typ, data = m.select("INBOX")
        check(typ == "OK" and data == [b"3"], "SELECT INBOX: 3 messages, got %r" % data)
        check(sorted(uids_and_flags(m)) == [1, 2, 3], "UIDs 1 2 3")
        typ, data = m.uid("FETCH", "1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        check(typ == "OK" and b"Subject: wire test" in data[0][1], "FETCH a header field: %r" % data)
        typ, _ = m.uid("STORE", "1", "+FLAGS", r"(\Flagged $Work)")
        check(typ == "OK", "STORE +FLAGS")
        typ, _ = m.uid("STORE", "2:3", "+FLAGS.SILENT", r"(\Deleted)")
        check(typ == "OK", "STORE +FLAGS.SILENT")
        typ, data = m.expunge()
        check(typ == "OK" and data == [b"2", b"2"], "EXPUNGE reports 2 then 2 again: %r" % data)
        flags = uids_and_flags(m)
        check(list(flags) == [1] and {r"\Flagged", "$Work"} <= flags[1], "UID 1 flagged after EXPUNGE: %r" % flags)
        validity, uidnext = uidvalidity(m)
        check(uidnext == 4, "UIDNEXT 4 after expunging UIDs 2 and 3, got %d" % uidnext)
        m.logout()
        files = os.listdir(os.path.join(srv.data, "mailboxes", "alice", "cur"))
        check(len(files) == 1 and files[0].endswith(":2,Fa"), "flags in the Maildir info: %r" % files)
        check(srv.stop() == 0, "exit code 0")

        srv = imap_server(postino, root)  # restart on the same DIR
        srv.send("alice@a.example")
        m = login(srv)
        m.select("INBOX")
        flags = uids_and_flags(m)
        check(sorted(flags) == [1, 4], "after a restart UID 1 stays and the new message is UID 4: %r" % flags)
        check({r"\Flagged", "$Work"} <= flags[1], "flags kept across the restart: %r" % flags)
        check(uidvalidity(m)[0] == validity, "UIDVALIDITY kept across the restart")
        m.logout()
    finally:
        srv.stop()
        shutil.rmtree(root, ignore_errors=True)


def case_curl_fetch(postino):
    srv = imap_server(postino)
    try:
        srv.send("alice@a.example")
        new = os.path.join(srv.data, "mailboxes", "alice", "new")
        stored = open(os.path.join(new, os.listdir(new)[0]), "rb").read()
        url = "imap://127.0.0.1:%d/INBOX;UID=1" % srv.imap
        r = subprocess.run(["curl", "-sS", "--max-time", "20", "-u", "alice:secret", url], capture_output=True,
                           timeout=30)
        check(r.returncode == 0, "curl IMAP fetch: %r" % r.stderr)
        check(r.stdout == stored, "curl's octets are the Maildir file's: %r" % r.stdout)
        check(strip_trace_headers(r.stdout) == MESSAGE, "curl reads back the message sent")
        cur = os.listdir(os.path.join(srv.data, "mailboxes", "alice", "cur"))
        check(len(cur) == 1 and cur[0].endswith(":2,S"), "the fetch set \\Seen in the Maildir info: %r" % cur)
        r = subprocess.run(["curl", "-sS", "--max-time", "20", "-u", "alice:wrong", url], capture_output=True,
                           timeout=30)
        check(r.returncode != 0, "curl with a wrong password fails")
        r = subprocess.run(["curl", "-sS", "--max-time", "20", "-u", "alice:secret",
                            "imap://127.0.0.1:%d/" % srv.imap], capture_output=True, timeout=30)
        check(r.returncode == 0 and b'"/" INBOX' in r.stdout, "curl LIST: %r" % r.stdout)
    finally:
        srv.stop()
        srv.cleanup()


def case_byte_identical(postino):
    """A message sent by SMTP is read back byte-identical by POP3 and by IMAP."""
    srv = imap_server(postino)
    try:
        srv.send("alice@a.example")
        new = os.path.join(srv.data, "mailboxes", "alice", "new")
        stored = open(os.path.join(new, os.listdir(new)[0]), "rb").read()
        check(strip_trace_headers(stored) == MESSAGE, "the Maildir file holds the client's octets")
        via_pop3 = pop3_raw_retr(srv.pop3, "alice", "secret")
        m = login(srv)
        m.select("INBOX", readonly=True)
        typ, data = m.uid("FETCH", "1", "(RFC822.SIZE BODY.PEEK[])")
        check(typ == "OK", "UID FETCH BODY.PEEK[]")
        via_imap = data[0][1]
        size = int(re.search(rb"RFC822.SIZE (\d+)", data[0][0]).group(1))
        m.logout()
        check(via_pop3 == stored, "POP3 RETR is byte-identical to the stored message")
        check(via_imap == stored, "IMAP BODY[] is byte-identical to the stored message")
        check(size == len(stored), "RFC822.SIZE is the octet count (%d vs %d)" % (size, len(stored)))
        check(strip_trace_headers(via_imap) == MESSAGE and strip_trace_headers(via_pop3) == MESSAGE,
              "both read back exactly what SMTP sent")
        check(srv.stop() == 0, "exit code 0")
        r = subprocess.run([postino, "trace", srv.trace, "--quiet"], capture_output=True, text=True, timeout=30)
        check(r.returncode == 0, "postino trace accepts the live trace: " + r.stdout + r.stderr)
        trace = open(srv.trace).read()
        for needle in ('"proto":"imap"', '"verb":"UID FETCH"', '"ev":"login"', '"proto":"pop3"', '"verb":"EHLO"'):
            check(needle in trace, "trace holds " + needle)
    finally:
        srv.stop()
        srv.cleanup()


def case_idle(postino):
    """IDLE hears a delivery made by SMTP at once (RFC 2177)."""
    srv = imap_server(postino)
    try:
        srv.send("alice@a.example")
        c = Raw(srv.imap)
        c.send(b"a LOGIN alice secret\r\nb SELECT INBOX\r\n")
        c.until(b"b OK")
        c.send(b"c IDLE\r\n")
        check(c.until(b"+")[-1].startswith(b"+ "), "IDLE continuation")
        t0 = time.monotonic()
        srv.send("team@a.example")  # the alias reaches alice too
        lines = c.until(b"* 2 EXISTS")
        waited = time.monotonic() - t0
        check(waited < 3, "EXISTS came %.2f s after the delivery" % waited)
        c.send(b"DONE\r\n")
        c.until(b"c OK")
        c.send(b"d LOGOUT\r\n")
        c.until(b"d OK")
        c.close()
        check(any(b"EXISTS" in line for line in lines), "EXISTS while idling")
    finally:
        srv.stop()
        srv.cleanup()


def case_isolation(postino):
    """One user never sees another's mail; logins outside the local domains fail."""
    srv = imap_server(postino)
    try:
        srv.send("alice@a.example")
        m = login(srv, "bob", "pw2")
        typ, data = m.select("INBOX")
        check(typ == "OK" and data == [b"0"], "bob's INBOX is empty: %r" % data)
        for name in ("../alice", "alice/INBOX", "../../mailboxes/alice", "a.b"):
            typ, _ = m.select('"%s"' % name)
            check(typ == "NO", "SELECT %s is NO" % name)
        typ, _ = m.create('"x.y"')
        check(typ == "NO", "a folder name with '.' is refused (Maildir++ uses it on disk)")
        m.logout()
        for user, password in (("alice", "pw2"), ("alice@b.example", "secret"), ("nobody", "secret")):
            m = imaplib.IMAP4("127.0.0.1", srv.imap, timeout=IO_TIMEOUT_S)
            try:
                m.login(user, password)
                raise Failure("LOGIN %s/%s should fail" % (user, password))
            except imaplib.IMAP4.error:
                pass
            m.shutdown()
        m = login(srv, "alice@a.example", "secret")
        typ, data = m.select("INBOX")
        check(data == [b"1"], "alice@a.example is alice: %r" % data)
        m.logout()
    finally:
        srv.stop()
        srv.cleanup()


def case_bad_input_and_bye(postino):
    """Overlong lines and huge literals are refused, others are still served; SIGTERM says * BYE."""
    srv = imap_server(postino)
    try:
        c = Raw(srv.imap)
        c.send(b"a " + b"x" * 10000 + b"\r\n")
        check(c.until(b"* BYE")[-1].startswith(b"* BYE"), "a line over 8192 octets gets BYE")
        c.close()
        c = Raw(srv.imap)
        c.send(b"a LOGIN alice secret\r\nb APPEND INBOX {70000000}\r\n")
        lines = c.until(b"b ")
        check(b"[TOOBIG]" in lines[-1], "a 70 MB literal is refused before '+': %r" % lines[-1])
        c.send(b"c APPEND INBOX {14}\r\n")
        c.until(b"+")
        c.send(b"Subject: x\r\n\r\n\r\n")  # the literal, then the end of the command
        lines = c.until(b"c ")
        check(lines[-1].startswith(b"c OK"), "a small APPEND works after it: %r" % lines)
        c.send(b"d SELECT INBOX\r\n")
        c.until(b"d OK")
        srv.proc.send_signal(signal.SIGTERM)
        lines = c.until(b"* BYE")
        check(b"shutting down" in lines[-1], "SIGTERM gives * BYE: %r" % lines[-1])
        check(c.f.readline() == b"", "then the server closes the connection")
        srv.proc.wait(STOP_TIMEOUT_S)
        check(srv.proc.returncode == 0, "exit code 0 after SIGTERM")
    finally:
        srv.stop()
        srv.cleanup()


def mailbox_events(trace_path):
    """The `mailbox` events IMAP wrote, as "ev folder uid extra" strings, and every event in order."""
    events = [json.loads(line) for line in open(trace_path)][1:]  # the first line is the header
    out = []
    for e in events:
        if e.get("kind") != "mailbox" or e.get("by") != "imap":
            continue
        check(e["host"] == "mx.a.example" and e["address"] == "alice@a.example", "host and address: %r" % e)
        s = "%s %s %d" % (e["ev"], e["folder"], e["uid"])
        if e["ev"] in ("flags", "appended", "copied"):
            s += " [%s]" % e["flags"]
        if e["ev"] == "copied":
            s += " from %s %d" % (e["from_folder"], e["from_uid"])
        if e["ev"] == "folder-renamed":
            s += " from %s" % e["from_folder"]
        if e["ev"] in ("folder-renamed", "folder-deleted"):
            s += " messages %d" % e["messages"]
        if e["ev"] == "folder-deleted" and e["noselect"]:
            s += " noselect"
        if e["ev"] == "folder-created":
            check(e["uid_validity"] > 0, "a folder's UIDVALIDITY: %r" % e)
        out.append(s)
    return out, events


def case_mailbox_events(postino):
    """STORE, EXPUNGE, COPY, MOVE, APPEND, CREATE, RENAME and DELETE against serve's Maildir store each write the
    simulator's `mailbox` event (docs/trace-format.md), with the same fields, before the command's reply."""
    srv = imap_server(postino)
    try:
        srv.send("alice@a.example")
        srv.send("alice@a.example")
        m = login(srv)
        check(m.select("INBOX")[0] == "OK", "SELECT INBOX")
        for what, (typ, data) in (
                ("STORE", m.uid("STORE", "1", "+FLAGS", r"(\Flagged)")),
                ("CREATE", m.create("Work/2026")),
                ("COPY", m.uid("COPY", "1:2", "Work/2026")),
                ("APPEND", m.append("Work", r"(\Seen)", None, b"Subject: three\r\n\r\nz\r\n")),
                ("STORE", m.uid("STORE", "2", "+FLAGS.SILENT", r"(\Deleted)")),
                ("EXPUNGE", m.expunge()),
                ("MOVE", m.uid("MOVE", "1", "Work")),
                ("RENAME", m.rename("Work", "Jobs")),
                ("DELETE", m.delete("Jobs")),              # has Jobs/2026: emptied, \Noselect (RFC 3501 §6.3.4)
                ("RENAME", m.rename("Jobs/2026", "Old/2026")),
                ("DELETE", m.delete("Old/2026")),
                ("RENAME", m.rename("INBOX", "Saved"))):  # INBOX is empty by now: nothing moves
            check(typ == "OK", "%s: %s %r" % (what, typ, data))
        m.logout()
        check(srv.stop() == 0, "exit code 0")
        r = subprocess.run([postino, "trace", srv.trace, "--quiet"], capture_output=True, text=True, timeout=30)
        check(r.returncode == 0, "postino trace accepts the live trace: " + r.stdout + r.stderr)
        seen, events = mailbox_events(srv.trace)
        want = [
            r"flags INBOX 1 [\Flagged]",
            "folder-created Work 0",
            "folder-created Work/2026 0",
            r"copied Work/2026 1 [\Flagged] from INBOX 1",
            "copied Work/2026 2 [] from INBOX 2",
            r"appended Work 1 [\Seen]",
            r"flags INBOX 2 [\Deleted]",
            "expunged INBOX 2",
            r"copied Work 2 [\Flagged] from INBOX 1",
            "expunged INBOX 1",
            "folder-renamed Jobs 0 from Work messages 2",
            "folder-renamed Jobs/2026 0 from Work/2026 messages 2",
            "folder-deleted Jobs 0 messages 2 noselect",
            "folder-created Old 0",
            "folder-renamed Old/2026 0 from Jobs/2026 messages 2",
            "folder-deleted Old/2026 0 messages 2",
            "folder-renamed Saved 0 from INBOX messages 0",
        ]
        check(seen == want, "the mailbox events:\n  %s\nwanted:\n  %s" % ("\n  ".join(seen), "\n  ".join(want)))
        sizes = [e["size"] for e in events if e.get("kind") == "mailbox" and e.get("ev") == "expunged"]
        check(len(sizes) == 2 and all(z > 0 for z in sizes), "expunged events carry the size: %r" % sizes)
        # Each change comes before its command's tagged reply: the RENAME's event before "RENAME completed".
        ev_i = next(i for i, e in enumerate(events) if e.get("ev") == "folder-renamed" and e.get("folder") == "Jobs")
        reply_i = next(i for i, e in enumerate(events) if e.get("kind") == "line" and e.get("dir") == "send" and
                       e.get("proto") == "imap" and "RENAME" in e.get("bytes", "").upper() and " OK " in e.get("bytes", ""))
        check(ev_i < reply_i, "the event (#%d) precedes the RENAME's reply (#%d)" % (ev_i, reply_i))
        # The store agrees with the events.
        box = os.path.join(srv.data, "mailboxes", "alice")
        check(os.path.isdir(os.path.join(box, ".Saved", "cur")) and not os.path.exists(os.path.join(box, ".Work")),
              "Saved made, Work gone: %r" % sorted(os.listdir(box)))
        check(os.path.exists(os.path.join(box, ".Jobs", "postino-noselect")), "Jobs stays \\Noselect")
    finally:
        srv.stop()
        srv.cleanup()


def delivery_uids(trace_path):
    """(ev, uid, by) of the trace's `mailbox` events for INBOX, in order."""
    out = []
    for line in list(open(trace_path))[1:]:
        e = json.loads(line)
        if e.get("kind") == "mailbox" and e.get("folder", "INBOX") == "INBOX":
            out.append((e["ev"], e["uid"], e.get("by", "smtp")))
    return out


def case_delivery_uids(postino):
    """With --imap, an SMTP delivery's `stored` event and a POP3 `deleted` event carry the message's IMAP UID, so
    the visualizer shows one row per message: after an APPEND, and after a restart (a delivery count would say 1)."""
    srv = imap_server(postino)
    root = srv.dir
    try:
        m = login(srv)
        typ, data = m.append("INBOX", None, None, b"Subject: appended\r\n\r\nfirst\r\n")
        check(typ == "OK", "APPEND to INBOX: %s %r" % (typ, data))
        m.logout()
        srv.send("alice@a.example")
        check(srv.stop() == 0, "exit code 0")
        got = delivery_uids(srv.trace)
        check(got == [("appended", 1, "imap"), ("stored", 2, "smtp")],
              "APPEND is UID 1, the delivery after it UID 2: %r" % got)

        srv = imap_server(postino, root)  # restart on the same DIR: a fresh process, the same UID list
        srv.send("alice@a.example")
        pop = poplib.POP3("127.0.0.1", srv.pop3, timeout=IO_TIMEOUT_S)
        pop.user("alice")
        pop.pass_("secret")
        count, _ = pop.stat()
        check(count == 3, "POP3 sees the three messages, got %d" % count)
        for n in range(1, count + 1):
            pop.dele(n)
        pop.quit()
        m = login(srv)
        typ, data = m.select("INBOX")
        check(typ == "OK" and data == [b"0"], "INBOX is empty after POP3's update: %r" % data)
        m.logout()
        check(srv.stop() == 0, "exit code 0")
        got = delivery_uids(srv.trace)
        check(got[0] == ("stored", 3, "smtp"), "the first delivery after the restart is UID 3: %r" % got)
        deleted = sorted(uid for ev, uid, _ in got if ev == "deleted")
        check(deleted == [1, 2, 3], "POP3's deletions name UIDs 1, 2, 3: %r" % got)
    finally:
        srv.stop()
        shutil.rmtree(root, ignore_errors=True)


CASES = {
    "imaplib": case_imaplib,
    "curl-imap": case_curl_fetch,
    "byte-identical": case_byte_identical,
    "idle": case_idle,
    "isolation": case_isolation,
    "bad-input-bye": case_bad_input_and_bye,
    "mailbox-events": case_mailbox_events,
    "delivery-uids": case_delivery_uids,
}


def main():
    return run_cases("serve_imap.py", CASES)


if __name__ == "__main__":
    sys.exit(main())
