#!/usr/bin/env python3
"""serve_webmail.py — `postino serve --http` (docs/webmail.md) end to end.
Each case starts its own server on free loopback ports (wire_harness.Server:
a fresh data directory, stopped by its recorded PID) and drives it:

  http-clients  Python's urllib/http.client and raw sockets: login with the
                account's password (session cookie), the inbox lists a message
                sent by smtplib, the message page shows its MIME parts, a part
                downloads with its own type, POST /send delivers into a Maildir,
                a cross-site POST, a wrong password and malformed HTTP are refused.
  chromium      headless Chromium (Debian's `chromium`), driven over the
                DevTools protocol on a pipe (--remote-debugging-pipe, standard
                library only): logs in through the form, sees the message in the
                inbox, opens it, posts the reply form, and the reply arrives in the
                recipient's Maildir; screenshots of the inbox and the message
                (into $POSTINO_WEBMAIL_SHOTS, or the temporary directory).

Usage: serve_webmail.py POSTINO CASE.  Traffic goes to 127.0.0.1 only.
"""
import base64
import email.message
import email.utils
import http.client
import json
import os
import re
import shutil
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_harness import IO_TIMEOUT_S, Failure, Server, check, run_cases  # noqa: E402

CDP_TIMEOUT_S = 15  # any one DevTools step (page load, evaluation)


def start(postino):
    srv = Server(postino, extra_args=("--http", "0"))
    check(srv.http is not None, "no webmail line in: " + srv.output())
    return srv


def smtp_send(srv, subject, text, attachment=None):
    msg = email.message.EmailMessage()
    msg["From"] = "Bob <bob@a.example>"
    msg["To"] = "alice@a.example"
    msg["Subject"] = subject
    msg["Date"] = email.utils.formatdate(localtime=False)
    msg.set_content(text)
    if attachment:
        msg.add_attachment(attachment, maintype="image", subtype="png", filename="stamp.png")
    with smtplib.SMTP("127.0.0.1", srv.smtp, timeout=IO_TIMEOUT_S) as s:
        s.send_message(msg)


def request(srv, method, path, body=None, cookie=None, origin=None):
    c = http.client.HTTPConnection("127.0.0.1", srv.http, timeout=IO_TIMEOUT_S)
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if origin:
        headers["Origin"] = origin
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode(body)
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r, data


def raw(srv, octets):
    s = socket.create_connection(("127.0.0.1", srv.http), timeout=IO_TIMEOUT_S)
    s.sendall(octets)
    out = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        out += chunk
    s.close()
    return out


def wait_for_file(srv, account, needle, what):
    deadline = time.monotonic() + IO_TIMEOUT_S
    while time.monotonic() < deadline:
        for p in srv.maildir(account):
            with open(p, "rb") as f:
                if needle in f.read():
                    return p
        time.sleep(0.05)
    raise Failure(what)


PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


def stamp_picture(w=120, h=84):
    """A small postage-stamp picture as a PNG (RFC 2083: IHDR, one IDAT, IEND), made here."""
    import struct
    import zlib

    def pixel(x, y):
        if (x < 6 or y < 6 or x >= w - 6 or y >= h - 6):
            edge = (x % 8 < 4) if (y < 6 or y >= h - 6) else (y % 8 < 4)
            return (255, 255, 255) if edge else (200, 40, 50)
        if 16 <= x < w - 16 and 14 <= y < h - 14:
            return (40, 80, 160) if (x + y) % 24 < 20 else (250, 210, 60)
        return (200, 40, 50)

    rows = b"".join(b"\0" + b"".join(bytes(pixel(x, y)) for x in range(w)) for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def case_http_clients(postino):
    srv = start(postino)
    try:
        smtp_send(srv, "Il francobollo", "Ciao Alice, è piccolo ma è bello.", PNG)
        r, _ = request(srv, "GET", "/")
        check(r.status == 303 and r.getheader("Location") == "/login", "no session: 303 to /login, got %d" % r.status)
        r, page = request(srv, "POST", "/login", {"user": "alice", "password": "wrong"})
        check(r.status == 401 and b"wrong user name or password" in page, "wrong password: 401, got %d" % r.status)
        r, _ = request(srv, "POST", "/login", {"user": "alice@a.example", "password": "secret"})
        check(r.status == 303, "login: 303, got %d" % r.status)
        cookie = r.getheader("Set-Cookie").split(";")[0]
        check(cookie.startswith("postino_session=") and len(cookie) == len("postino_session=") + 32, "cookie " + cookie)
        check("HttpOnly" in r.getheader("Set-Cookie"), "HttpOnly cookie")
        r, page = request(srv, "GET", "/", cookie=cookie)
        check(r.status == 200 and b"Il francobollo" in page and b"Inbox (1 message)" in page, "inbox lists the message")
        uid = re.search(rb'href="/message/([A-Za-z0-9._-]+)"', page).group(1).decode()
        r, page = request(srv, "GET", "/message/" + uid, cookie=cookie)
        text = page.decode()
        check(r.status == 200, "message page: %d" % r.status)
        check("Ciao Alice, è piccolo ma è bello." in text, "the text part, decoded: " + text[-800:])
        check('href="/message/%s/part/2"' % uid in text and "stamp.png" in text, "the attachment as a link")
        r, data = request(srv, "GET", "/message/%s/part/2" % uid, cookie=cookie)
        check(r.status == 200 and data == PNG and r.getheader("Content-Type") == "image/png", "the part downloads")
        origin = "http://127.0.0.1:%d" % srv.http
        r, page = request(srv, "POST", "/send", {"to": "bob@a.example", "subject": "Re: Il francobollo",
                                                 "body": "Grazie Bob!", "in-reply-to": "<x@y>"}, cookie, origin)
        check(r.status == 200 and b"Message sent" in page, "send: %d %r" % (r.status, page[-300:]))
        p = wait_for_file(srv, "bob", b"Grazie Bob!", "the reply is in bob's Maildir")
        with open(p, "rb") as f:
            stored = f.read()
        check(b"\r\nFrom: alice@a.example\r\n" in stored and b"\r\nIn-Reply-To: <x@y>\r\n" in stored, "reply headers: %r" % stored[:600])
        r, _ = request(srv, "POST", "/send", {"to": "bob@a.example", "body": "x"}, cookie, "http://evil.example")
        check(r.status == 403, "cross-site POST refused: %d" % r.status)
        r, page = request(srv, "POST", "/send", {"to": "eve@elsewhere.example", "body": "x"}, cookie, origin)
        check(r.status == 502 and b"Relay access denied" in page, "relay refused as at RCPT: %d" % r.status)
        out = raw(srv, b"GET / HTTP/1.1\nHost: x\n\n")
        check(out.startswith(b"HTTP/1.1 400 Bad Request\r\n") and b"RFC 9112" in out, "bare LF: %r" % out[:200])
        out = raw(srv, b"GET / HTTP/2.0\r\nHost: x\r\n\r\n")
        check(out.startswith(b"HTTP/1.1 505 "), "HTTP/2.0 in a request line: %r" % out[:80])
        r, _ = request(srv, "POST", "/logout", {}, cookie, origin)
        r, _ = request(srv, "GET", "/", cookie=cookie)
        check(r.status == 303, "after logout the cookie is no longer a session")
        with open(srv.trace) as f:
            trace = f.read()
        check('"proto":"http"' in trace and '"verb":"POST"' in trace, "HTTP lines in the serve trace")
        check(srv.stop() == 0, "clean exit")
    finally:
        srv.stop()
        srv.cleanup()


class Chromium:
    """Headless Chromium over the DevTools protocol on fds 3/4 (messages end with NUL)."""

    def __init__(self, workdir, size="1100,860"):
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if exe is None:
            raise FileNotFoundError("chromium")
        r_cmd, self.w_cmd = os.pipe()     # we write commands, it reads fd 3
        self.r_evt, w_evt = os.pipe()     # it writes fd 4, we read events
        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
             "--window-size=" + size, "--user-data-dir=" + os.path.join(workdir, "profile"), "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(os.path.join(workdir, "chromium.log"), "w"),
            pass_fds=(3, 4), preexec_fn=lambda: (os.dup2(r_cmd, 3), os.dup2(w_evt, 4)))
        os.close(r_cmd)
        os.close(w_evt)
        self.buf = b""
        self.next_id = 1
        self.events = []
        targets = self.call("Target.getTargets")["targetInfos"]
        page = [t for t in targets if t["type"] == "page"][0]
        self.session = self.call("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})["sessionId"]
        self.call("Page.enable", session=True)

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            if time.monotonic() > deadline:
                raise Failure("Chromium did not answer within %d s" % CDP_TIMEOUT_S)
            import select
            ready, _, _ = select.select([self.r_evt], [], [], 0.2)
            if ready:
                chunk = os.read(self.r_evt, 65536)
                if not chunk:
                    raise Failure("Chromium closed its DevTools pipe")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=False):
        i = self.next_id
        self.next_id += 1
        msg = {"id": i, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self.w_cmd, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + CDP_TIMEOUT_S
        while True:
            m = self._read_message(deadline)
            if m.get("id") == i:
                if "error" in m:
                    raise Failure("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_load(self):
        deadline = time.monotonic() + CDP_TIMEOUT_S
        while True:
            for k, e in enumerate(self.events):
                if e.get("method") == "Page.loadEventFired":
                    del self.events[:k + 1]
                    return
            self.events.append(self._read_message(deadline))

    def navigate(self, url):
        self.events.clear()
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_load()

    def js(self, expr):
        r = self.call("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session=True)
        if "exceptionDetails" in r:
            raise Failure("page script failed: %s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")

    def act_and_wait(self, expr):
        self.events.clear()
        self.js(expr)
        self.wait_load()

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return path

    def close(self):
        try:
            os.write(self.w_cmd, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
            self.proc.wait(5)
        except Exception:  # noqa: BLE001 — a browser that will not close is killed below
            pass
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.w_cmd, self.r_evt):
            try:
                os.close(fd)
            except OSError:
                pass


def case_chromium(postino):
    if shutil.which("chromium") is None and shutil.which("chromium-browser") is None:
        print("chromium is not installed (scripts/install-deps.sh installs it): SKIPPED")
        return
    srv = start(postino)
    work = tempfile.mkdtemp(prefix="postino-chromium-")
    shots = os.environ.get("POSTINO_WEBMAIL_SHOTS") or work
    browser = None
    t0 = time.monotonic()
    try:
        stamp_png = stamp_picture()
        smtp_send(srv, "Il francobollo", "Ciao Alice,\n\necco il francobollo che ti dicevo: è piccolo ma è bello.\n\nBob", stamp_png)
        smtp_send(srv, "Orario delle lezioni", "Lunedì alle 9, aula B.")
        browser = Chromium(work)
        base = "http://127.0.0.1:%d" % srv.http
        browser.navigate(base + "/")
        check(browser.js("document.title") == "Log in — Postino webmail", "redirected to the login page: " + str(browser.js("document.title")))
        browser.act_and_wait("document.getElementById('user').value='alice';"
                             "document.getElementById('password').value='secret';"
                             "document.querySelector('form.compose').submit()")
        inbox = browser.js("document.getElementById('inbox') ? document.getElementById('inbox').innerText : document.body.innerText")
        check("Il francobollo" in inbox and "Orario delle lezioni" in inbox and "Bob <bob@a.example>" in inbox,
              "the inbox lists the SMTP messages: " + inbox)
        inbox_png = browser.screenshot(os.path.join(shots, "webmail-inbox.png"))
        browser.act_and_wait("[...document.querySelectorAll('#inbox a')].find(a => a.textContent == 'Il francobollo').click()")
        check(browser.js("document.title") == "Il francobollo — Postino webmail", "the message page: " + str(browser.js("document.title")))
        text = browser.js("document.querySelector('pre.text').innerText")
        check("è piccolo ma è bello" in text, "the text part: " + text)
        check(browser.js("document.querySelector('.part a').textContent") == "stamp.png", "the attachment link")
        check(browser.js("document.querySelector('img.preview').naturalWidth") > 0, "the picture part loads as an image")
        check(browser.js("document.getElementById('to').value") == "bob@a.example", "reply goes to the sender")
        browser.js("document.getElementById('body').value='Grazie Bob, bellissimo!'")
        message_png = browser.screenshot(os.path.join(shots, "webmail-message.png"))
        browser.act_and_wait("document.querySelector('form.compose[action=\"/send\"]').submit()")
        check(browser.js("document.title") == "Message sent — Postino webmail", "sent page: " + str(browser.js("document.body.innerText")))
        p = wait_for_file(srv, "bob", b"Grazie Bob, bellissimo!", "the reply posted by Chromium is in bob's Maildir")
        with open(p, "rb") as f:
            stored = f.read()
        check(b"Subject: Re: Il francobollo\r\n" in stored, "the reply's subject: %r" % stored[:500])
        for png in (inbox_png, message_png):
            with open(png, "rb") as f:
                head = f.read(24)
            check(head.startswith(b"\x89PNG\r\n\x1a\n") and int.from_bytes(head[16:20], "big") == 1100, "screenshot " + png)
        print("chromium: inbox, message, reply delivered in %.1f s; screenshots %s, %s" % (time.monotonic() - t0, inbox_png, message_png))
        check(srv.stop() == 0, "clean exit")
    finally:
        if browser:
            browser.close()
        srv.stop()
        srv.cleanup()
        if not os.environ.get("POSTINO_WEBMAIL_SHOTS"):
            shutil.rmtree(work, ignore_errors=True)


CASES = {"http-clients": case_http_clients, "chromium": case_chromium}


def main():
    return run_cases("serve_webmail.py", CASES)


if __name__ == "__main__":
    sys.exit(main())
