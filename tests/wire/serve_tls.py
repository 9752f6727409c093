#!/usr/bin/env python3
"""serve_tls.py — STARTTLS (RFC 3207), STLS (RFC 2595) and IMAP STARTTLS
(RFC 3501 §6.2.1) of `postino serve` with real clients: Python's
smtplib.starttls(), poplib.stls() and imaplib.starttls(), curl
--ssl-reqd, swaks -tls, and the STARTTLS command-injection attack
(CVE-2011-0411) over a real socket. Each case makes a self-signed certificate
with `openssl req -x509`, starts its own server on free loopback ports (the
helpers of wire_harness.py) and stops it by PID.

Usage: serve_tls.py POSTINO CASE   (CASE: see CASES at the bottom, or "all")
"""
import imaplib
import os
import poplib
import shutil
import smtplib
import socket
import ssl
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_harness import (CONFIG, IO_TIMEOUT_S, MESSAGE, Server, check, run_cases,  # noqa: E402
                          strip_trace_headers)

TLS_CONFIG = CONFIG + "tls: {certificate: cert.pem, key: key.pem}\n"
QUIET_S = 0.3  # how long a socket must stay silent to count as "nothing more was sent"


def make_certificate(srv):
    """A self-signed certificate for CN=localhost beside the config (relative paths are from there)."""
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                        "-days", "30", "-keyout", os.path.join(srv.dir, "key.pem"),
                        "-out", os.path.join(srv.dir, "cert.pem")], capture_output=True, timeout=60)
    check(r.returncode == 0, "openssl req: %r" % r.stderr)


def tls_server(postino, imap=False):
    return Server(postino, extra_args=("--imap", "0") if imap else (), config=TLS_CONFIG, prepare=make_certificate)


def client_context(srv):
    """Verifies the server's certificate against the self-signed one (the name is checked by curl below)."""
    ctx = ssl.create_default_context(cafile=os.path.join(srv.dir, "cert.pem"))
    ctx.check_hostname = False
    return ctx


def trace_of(srv):
    with open(srv.trace) as f:
        return f.read()


def recv_line(s):
    """One CRLF line read octet by octet, so nothing after it (TLS records) is consumed."""
    line = b""
    while not line.endswith(b"\r\n"):
        c = s.recv(1)
        check(c != b"", "connection closed while reading a line; got %r" % line)
        line += c
    return line


def check_quiet(s, what):
    s.settimeout(QUIET_S)
    try:
        extra = s.recv(4096)
    except socket.timeout:
        extra = None
    finally:
        s.settimeout(IO_TIMEOUT_S)
    check(extra is None, what + ": %r" % extra)


# --- cases -----------------------------------------------------------------

def case_smtplib_poplib_starttls(postino):
    srv = tls_server(postino)
    try:
        check("TLS: STARTTLS on SMTP, STLS on POP3" in srv.output(), "startup says TLS is on: " + srv.output())
        with smtplib.SMTP("127.0.0.1", srv.smtp, timeout=IO_TIMEOUT_S) as s:
            s.ehlo("client.example")
            check(s.has_extn("starttls"), "EHLO lists STARTTLS")
            code, _ = s.starttls(context=client_context(srv))
            check(code == 220, "STARTTLS 220")
            s.ehlo("client.example")
            check(not s.has_extn("starttls"), "EHLO inside TLS no longer lists STARTTLS (RFC 3207 §4.2)")
            check(isinstance(s.sock, ssl.SSLSocket) and s.sock.version() in ("TLSv1.3", "TLSv1.2"),
                  "the session runs in TLS")
            check(s.sendmail("x@y.example", ["alice@a.example"], MESSAGE) == {}, "sent inside TLS")
        p = poplib.POP3("127.0.0.1", srv.pop3, timeout=IO_TIMEOUT_S)
        check("STLS" in p.capa(), "CAPA lists STLS")
        p.stls(context=client_context(srv))
        check("STLS" not in p.capa(), "CAPA inside TLS no longer lists STLS (RFC 2595 §4)")
        p.user("alice")
        p.pass_("secret")
        _, lines, _ = p.retr(1)
        check(strip_trace_headers(b"\r\n".join(lines) + b"\r\n") == MESSAGE, "POP3 in TLS reads back the octets sent")
        p.quit()
        check(srv.stop() == 0, "exit code 0")
        r = subprocess.run([postino, "trace", srv.trace, "--quiet"], capture_output=True, text=True, timeout=30)
        check(r.returncode == 0, "postino trace accepts the live trace: " + r.stdout + r.stderr)
        trace = trace_of(srv)
        for needle in ('"kind":"tls","host":"mx.a.example"', '"ev":"established","proto":"smtp","version":"TLSv1.',
                       '"ev":"established","proto":"pop3"', '"verb":"STARTTLS"', '"verb":"STLS"',
                       '"verb":"MAIL","tls":true', '"proto":"pop3","dir":"recv","bytes":"PASS secret\\r\\n"'):
            check(needle in trace, "trace holds " + needle)
    finally:
        srv.stop()
        srv.cleanup()


def case_curl_ssl_reqd(postino):
    srv = tls_server(postino)
    try:
        msg_path = os.path.join(srv.dir, "msg.eml")
        with open(msg_path, "wb") as f:
            f.write(MESSAGE)
        cert = os.path.join(srv.dir, "cert.pem")
        # --resolve keeps the connection on 127.0.0.1 and lets curl check the name "localhost".
        common = ["curl", "-sS", "--max-time", "20", "--ssl-reqd", "--cacert", cert]
        r = subprocess.run(common + ["--resolve", "localhost:%d:127.0.0.1" % srv.smtp,
                                     "smtp://localhost:%d" % srv.smtp, "--mail-from", "x@y.example",
                                     "--mail-rcpt", "bob@a.example", "--upload-file", msg_path],
                           capture_output=True, timeout=30)
        check(r.returncode == 0, "curl SMTP with --ssl-reqd: %r" % r.stderr)
        r = subprocess.run(common + ["--resolve", "localhost:%d:127.0.0.1" % srv.pop3, "-u", "bob:pw2",
                                     "pop3://localhost:%d/1" % srv.pop3], capture_output=True, timeout=30)
        check(r.returncode == 0, "curl POP3 with --ssl-reqd: %r" % r.stderr)
        check(strip_trace_headers(r.stdout) == MESSAGE, "curl reads back the octets sent, both ways in TLS")
        trace = trace_of(srv)
        check(trace.count('"kind":"tls"') >= 2 and '"ev":"failed"' not in trace, "two TLS sessions, none failed")
    finally:
        srv.stop()
        srv.cleanup()


def case_swaks_tls(postino):
    if shutil.which("swaks") is None:
        print("swaks is not installed: SKIPPED (scripts/install-deps.sh installs it)")
        return
    srv = tls_server(postino)
    try:
        r = subprocess.run(["swaks", "-tls", "--server", "127.0.0.1", "--port", str(srv.smtp), "--from",
                            "x@y.example", "--to", "alice@a.example", "--timeout", "20"],
                           capture_output=True, text=True, timeout=40)
        check(r.returncode == 0, "swaks -tls succeeds: " + r.stdout[-600:] + r.stderr[-300:])
        check("220 2.0.0 Ready to start TLS" in r.stdout and "TLS started" in r.stdout, "swaks saw the switch: " +
              r.stdout[-600:])
        check("250 2.0.0 Ok: queued as" in r.stdout, "the message was accepted inside TLS")
        check(len(srv.maildir("alice")) == 1, "one message stored")
    finally:
        srv.stop()
        srv.cleanup()


def case_starttls_injection(postino):
    """CVE-2011-0411: a command written in the same send as STARTTLS is discarded, answered neither in
    plaintext nor inside TLS; the same for POP3's STLS."""
    srv = tls_server(postino)
    try:
        ctx = client_context(srv)
        s = socket.create_connection(("127.0.0.1", srv.smtp), timeout=IO_TIMEOUT_S)
        check(recv_line(s).startswith(b"220 "), "greeting")
        s.sendall(b"EHLO client.example\r\n")
        while not recv_line(s).startswith(b"250 "):
            pass
        s.sendall(b"STARTTLS\r\nRSET\r\n")  # one send: the injected RSET rides behind STARTTLS
        check(recv_line(s) == b"220 2.0.0 Ready to start TLS\r\n", "STARTTLS 220")
        check_quiet(s, "nothing after the 220 in plaintext (RSET not answered there)")
        t = ctx.wrap_socket(s, server_hostname="localhost")
        t.sendall(b"HELP\r\n")
        first = recv_line(t)
        check(first.startswith(b"214"), "the first reply inside TLS answers HELP, not the injected RSET: %r" % first)
        while not recv_line(t).startswith(b"214 "):
            pass
        t.sendall(b"QUIT\r\n")
        check(recv_line(t).startswith(b"221 "), "QUIT")
        t.close()

        p = socket.create_connection(("127.0.0.1", srv.pop3), timeout=IO_TIMEOUT_S)
        check(recv_line(p).startswith(b"+OK"), "POP3 greeting")
        p.sendall(b"STLS\r\nUSER alice\r\n")
        check(recv_line(p) == b"+OK Begin TLS negotiation\r\n", "STLS +OK")
        check_quiet(p, "nothing after the +OK in plaintext (USER not answered there)")
        pt = ctx.wrap_socket(p, server_hostname="localhost")
        pt.sendall(b"PASS secret\r\n")
        check(recv_line(pt).startswith(b"-ERR send USER first"), "the injected USER was never read inside TLS")
        pt.sendall(b"QUIT\r\n")
        check(recv_line(pt).startswith(b"+OK"), "POP3 QUIT")
        pt.close()
        check(srv.stop() == 0, "exit code 0")
        trace = trace_of(srv)
        check(trace.count("CVE-2011-0411") == 2, "both injections reported as violations in the trace")
        check('"detail":"6 octets sent after STARTTLS' in trace, "the SMTP one counts the 6 octets of RSET\\r\\n")
    finally:
        srv.stop()
        srv.cleanup()


def case_imaplib_starttls(postino):
    srv = tls_server(postino, imap=True)
    try:
        with smtplib.SMTP("127.0.0.1", srv.smtp, timeout=IO_TIMEOUT_S) as s:
            check(s.sendmail("x@y.example", ["alice@a.example"], MESSAGE) == {}, "sent")
        m = imaplib.IMAP4("127.0.0.1", srv.imap, timeout=IO_TIMEOUT_S)
        check("STARTTLS" in m.capabilities, "CAPABILITY lists STARTTLS: %r" % (m.capabilities,))
        typ, _ = m.starttls(ssl_context=client_context(srv))
        check(typ == "OK", "STARTTLS OK")
        check("STARTTLS" not in m.capabilities, "after TLS STARTTLS is no longer listed: %r" % (m.capabilities,))
        m.login("alice", "secret")
        m.select("INBOX")
        typ, data = m.fetch("1", "(BODY.PEEK[])")
        check(typ == "OK" and strip_trace_headers(data[0][1]) == MESSAGE, "FETCH inside TLS gives the octets sent")
        m.logout()
        # The injection over IMAP: a LOGIN behind STARTTLS is never read inside TLS.
        s = socket.create_connection(("127.0.0.1", srv.imap), timeout=IO_TIMEOUT_S)
        check(recv_line(s).startswith(b"* OK"), "IMAP greeting")
        s.sendall(b"a1 STARTTLS\r\nx LOGIN alice secret\r\n")
        check(recv_line(s) == b"a1 OK Begin TLS negotiation now\r\n", "STARTTLS OK line")
        check_quiet(s, "nothing after the OK in plaintext")
        t = client_context(srv).wrap_socket(s, server_hostname="localhost")
        t.sendall(b"a2 SELECT INBOX\r\n")
        check(recv_line(t).startswith(b"a2 BAD Please log in first"), "the injected LOGIN was discarded")
        t.sendall(b"a3 LOGOUT\r\n")
        t.close()
        check(srv.stop() == 0, "exit code 0")
        trace = trace_of(srv)
        check('"ev":"established","proto":"imap"' in trace and "CVE-2011-0411" in trace, "IMAP TLS in the trace")
    finally:
        srv.stop()
        srv.cleanup()


def case_tls_config_errors(postino):
    srv_dir = None
    try:
        import tempfile
        srv_dir = tempfile.mkdtemp(prefix="postino-serve-test-")
        cfg = os.path.join(srv_dir, "serve.yaml")
        with open(cfg, "w") as f:
            f.write(CONFIG + "tls: {certificate: missing.pem, key: missing.pem}\n")
        r = subprocess.run([postino, "serve", "--smtp", "0", "--data", os.path.join(srv_dir, "d"), "--config", cfg],
                           capture_output=True, text=True, timeout=30)
        check(r.returncode == 2 and "cannot use the TLS certificate" in r.stderr and "missing.pem" in r.stderr,
              "a missing certificate is a startup error naming the file: %r" % r.stderr)
        with open(cfg, "w") as f:
            f.write(CONFIG + "tls: {certificate: cert.pem}\n")
        r = subprocess.run([postino, "serve", "--smtp", "0", "--data", os.path.join(srv_dir, "d"), "--config", cfg],
                           capture_output=True, text=True, timeout=30)
        check(r.returncode == 2 and "serve.yaml:" in r.stderr and "'key'" in r.stderr,
              "tls without a key is a config error with file:line:col: %r" % r.stderr)
    finally:
        if srv_dir:
            shutil.rmtree(srv_dir, ignore_errors=True)


CASES = {
    "smtplib-poplib": case_smtplib_poplib_starttls,
    "curl": case_curl_ssl_reqd,
    "swaks": case_swaks_tls,
    "injection": case_starttls_injection,
    "imaplib": case_imaplib_starttls,
    "config-errors": case_tls_config_errors,
}


def main():
    if shutil.which("openssl") is None:
        print("openssl is not installed: SKIPPED (scripts/install-deps.sh installs it)")
        return 0
    return run_cases("serve_tls.py", CASES)


if __name__ == "__main__":
    sys.exit(main())
