#!/usr/bin/env python3
"""check_serve_tls.py — `postino check` over TLS against `postino serve`
with `tls: {certificate, key}`: STARTTLS (RFC 3207), STLS (RFC 2595 §4) and
IMAP STARTTLS (RFC 3501 §6.2.1) through Boost.Asio SSL, with certificate
verification (RFC 6125 names). Each case makes a throwaway self-signed
certificate for IP:127.0.0.1 with `openssl req -x509`, starts its own server
on free loopback ports (the helpers of tests/wire/wire_harness.py) and stops
it by PID.

Usage: check_serve_tls.py POSTINO CASE   (CASE: see CASES at the bottom, or "all")
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "wire"))
from wire_harness import CONFIG, Failure, Server, check  # noqa: E402

TLS_CONFIG = CONFIG + "tls: {certificate: cert.pem, key: key.pem}\n"
CHECK_TIMEOUT_S = 120
DOMAIN = "a.example"  # the domain of wire_harness.CONFIG


def make_certificate(srv):
    """A self-signed P-256 certificate naming only the address 127.0.0.1 (not "localhost")."""
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-subj", "/CN=postino check test", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-days", "2", "-keyout", os.path.join(srv.dir, "key.pem"),
                        "-out", os.path.join(srv.dir, "cert.pem")], capture_output=True, timeout=60)
    check(r.returncode == 0, "openssl req: %r" % r.stderr)


def tls_server(postino, tls=True):
    return Server(postino, extra_args=("--imap", "0"), config=TLS_CONFIG if tls else CONFIG,
                  prepare=make_certificate if tls else None)


def run_check(postino, srv, *args):
    r = subprocess.run([postino, "check", *args, "--domain", DOMAIN], capture_output=True, text=True,
                       timeout=CHECK_TIMEOUT_S)
    return r.returncode, r.stdout + r.stderr


def urls(srv, host="127.0.0.1"):
    return ("smtp://%s:%d" % (host, srv.smtp), "pop3://alice:secret@%s:%d" % (host, srv.pop3),
            "imap://alice:secret@%s:%d" % (host, srv.imap))


def verdict(out, check_id):
    for line in out.splitlines():
        words = line.split()
        if len(words) >= 2 and words[1] == check_id:
            return words[0]
    raise Failure("no verdict for %s in:\n%s" % (check_id, out))


# --- cases -----------------------------------------------------------------

def case_verify(postino):
    """Verification is on by default: a self-signed certificate is an ERROR naming the reason."""
    srv = tls_server(postino)
    try:
        smtp, _, _ = urls(srv)
        cafile = os.path.join(srv.dir, "cert.pem")
        code, out = run_check(postino, srv, smtp, "--only", "S26.starttls-220")
        check(code == 1, "exit 1 without --insecure:\n" + out)
        check(verdict(out, "S26.starttls-220") == "ERROR", "ERROR without --insecure:\n" + out)
        check("does not verify: self-signed certificate" in out and "--insecure" in out,
              "the reason and what to do:\n" + out)
        code, out = run_check(postino, srv, smtp, "--only", "S26.starttls-220", "--insecure")
        check(code == 0 and verdict(out, "S26.starttls-220") == "PASS", "--insecure accepts it:\n" + out)
        code, out = run_check(postino, srv, smtp, "--only", "S26.starttls-220", "--cafile", cafile)
        check(code == 0 and verdict(out, "S26.starttls-220") == "PASS", "--cafile trusts it:\n" + out)
        # The certificate names 127.0.0.1 only: "localhost" is another name (RFC 6125 §6).
        local, _, _ = urls(srv, "localhost")
        code, out = run_check(postino, srv, local, "--only", "S26.starttls-220", "--cafile", cafile)
        check(code == 1 and "does not name localhost" in out, "a name the certificate lacks is an ERROR:\n" + out)
        # --tls required: every session switches, and so fails to verify; no crash, every check reported.
        code, out = run_check(postino, srv, smtp, "--tls", "required", "-q")
        check(code == 1 and " 0 FAIL" in out and re.search(r" [1-9]\d* ERROR", out), "--tls required without trust: ERROR, not FAIL:\n" + out)
        code, out = run_check(postino, srv, smtp, "--cafile", os.path.join(srv.dir, "missing.pem"))
        check(code == 2 and "--cafile" in out and "missing.pem" in out, "an unreadable --cafile is bad usage:\n" + out)
        check(srv.stop() == 0, "server exit code 0")
    finally:
        srv.stop()
        srv.cleanup()


def case_suites(postino):
    """Every suite with --tls required and --allow-writes: no FAIL, no ERROR, and the TLS checks ran."""
    srv = tls_server(postino)
    try:
        smtp, pop3, imap = urls(srv)
        cafile = os.path.join(srv.dir, "cert.pem")
        runs = [("smtp", [smtp, "--pop3", pop3]), ("pop3", [pop3, "--smtp", smtp]), ("imap", [imap, "--smtp", smtp])]
        tls_checks = {"smtp": ["S26.starttls-with-argument", "S26.starttls-220", "S26.no-starttls-inside-tls",
                               "S26.session-reset", "S27.starttls-injection"],
                      "pop3": ["P15.stls", "P15.no-stls-inside-tls", "P15.stls-injection"],
                      "imap": ["I31.starttls-after-login", "I31.starttls", "I31.starttls-injection"]}
        for name, args in runs:
            out_json = os.path.join(srv.dir, name + ".json")
            code, out = run_check(postino, srv, *args, "--tls", "required", "--cafile", cafile, "--allow-writes",
                                  "--json", out_json)
            with open(out_json) as f:
                report = json.load(f)
            checks = {c["id"]: c for c in report["runs"][0]["checks"]}
            bad = ["%s %s: %s" % (c["verdict"], i, c["reason"]) for i, c in checks.items()
                   if c["verdict"] in ("FAIL", "ERROR")]
            check(code == 0 and not bad, "%s suite over TLS:\n%s\n%s" % (name, "\n".join(bad), out))
            for i in tls_checks[name]:
                check(checks[i]["verdict"] == "PASS", "%s is PASS: %s" % (i, checks[i]))
        check(srv.stop() == 0, "server exit code 0")
    finally:
        srv.stop()
        srv.cleanup()


def case_trace(postino):
    """The check's trace records the switch (tls established) and marks the lines inside TLS."""
    srv = tls_server(postino)
    try:
        smtp, pop3, imap = urls(srv)
        trace = os.path.join(srv.dir, "check.jsonl")
        code, out = run_check(postino, srv, smtp, "--only", "S27", "--insecure", "--trace", trace)
        check(code == 0 and verdict(out, "S27.starttls-injection") == "PASS", out)
        r = subprocess.run([postino, "trace", trace, "--quiet"], capture_output=True, text=True, timeout=30)
        check(r.returncode == 0, "postino trace accepts the check's trace: " + r.stdout + r.stderr)
        with open(trace) as f:
            text = f.read()
        for needle in ('"kind":"tls","host":"postino-check"', '"ev":"established","proto":"smtp","version":"TLSv1.3"',
                       '"dir":"send","bytes":"EHLO check.postino.test\\r\\n","tls":true',
                       '"dir":"send","bytes":"NOOP\\r\\n"}'):
            check(needle in text, "the trace holds " + needle + ":\n" + text[:3000])
        # The server's own trace: it discarded the injected NOOP and said so.
        code, out = run_check(postino, srv, pop3, "--only", "P15", "--insecure", "-q")
        check(code == 0 and "3 PASS" in out, out)
        code, out = run_check(postino, srv, imap, "--only", "I31", "--insecure", "-q")
        check(code == 0 and "3 PASS" in out, out)
        check(srv.stop() == 0, "server exit code 0")
        with open(srv.trace) as f:
            server_trace = f.read()
        check(server_trace.count("CVE-2011-0411") >= 3, "the server reports the three injections it discarded")
    finally:
        srv.stop()
        srv.cleanup()


def case_not_offered(postino):
    """A server without TLS: --tls required is an ERROR saying so, --tls if-offered runs in plaintext."""
    srv = tls_server(postino, tls=False)
    try:
        smtp, pop3, _ = urls(srv)
        code, out = run_check(postino, srv, smtp, "--only", "S2", "--tls", "required")
        check(code == 1 and "does not advertise STARTTLS" in out, "--tls required, no STARTTLS:\n" + out)
        code, out = run_check(postino, srv, smtp, "--only", "S2", "--tls", "if-offered", "-q")
        check(code == 0 and " 0 ERROR" in out and " 0 PASS" not in out, "--tls if-offered, plaintext:\n" + out)
        code, out = run_check(postino, srv, pop3, "--only", "P15", "--tls", "required", "-q")
        check(code == 0 and "SKIP" in out, "the STLS checks are SKIP:\n" + out)
        check(srv.stop() == 0, "server exit code 0")
    finally:
        srv.stop()
        srv.cleanup()


CASES = {"verify": case_verify, "suites": case_suites, "trace": case_trace, "not-offered": case_not_offered}


def main():
    postino, which = sys.argv[1], sys.argv[2]
    if subprocess.run(["sh", "-c", "command -v openssl"], capture_output=True).returncode != 0:
        print("SKIPPED: no openssl command (scripts/install-deps.sh installs it)")
        return 0
    for name, fn in CASES.items():
        if which in (name, "all"):
            fn(postino)
            print("ok:", name)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print("FAIL:", e)
        sys.exit(1)
