#!/usr/bin/env python3
"""smtp_load.py — a small SMTP load generator for `postino serve` (or any
SMTP server on loopback): N concurrent sessions each send M messages of
512 octets; prints messages per second and latency percentiles. Not a CTest
test; docs/serve.md records its figures.

Usage: smtp_load.py PORT SESSIONS MESSAGES_PER_SESSION [new] [RCPT]
  new   open a new connection per message (default: one connection per session)
"""
import smtplib
import sys
import threading
import time


def main():
    port, sessions, per = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    new_conn = len(sys.argv) > 4 and sys.argv[4] == "new"
    rcpt = sys.argv[5] if len(sys.argv) > 5 else "alice@a.example"
    msg = b"Subject: load\r\n\r\n" + b"x" * 493 + b"\r\n"  # 512 octets
    lat, errors, lock = [], [0], threading.Lock()

    def run():
        c = None if new_conn else smtplib.SMTP("127.0.0.1", port, timeout=60)
        for _ in range(per):
            t0 = time.perf_counter()
            try:
                if new_conn:
                    with smtplib.SMTP("127.0.0.1", port, timeout=60) as cc:
                        cc.sendmail("x@y.example", [rcpt], msg)
                else:
                    c.sendmail("x@y.example", [rcpt], msg)
            except (OSError, smtplib.SMTPException):
                with lock:
                    errors[0] += 1
                continue
            with lock:
                lat.append(time.perf_counter() - t0)
        if c:
            c.quit()

    threads = [threading.Thread(target=run) for _ in range(sessions)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))] * 1e3 if lat else float("nan")
    print("%d sessions x %d (%s): %d sent in %.2f s = %.0f msg/s; latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms; %d errors"
          % (sessions, per, "new connection each" if new_conn else "one connection each", len(lat), elapsed,
             len(lat) / elapsed, pct(0.5), pct(0.9), pct(0.99), errors[0]))
    return 1 if errors[0] else 0


if __name__ == "__main__":
    sys.exit(main())
