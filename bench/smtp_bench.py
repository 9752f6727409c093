#!/usr/bin/env python3
"""smtp_bench.py — the SMTP load client of bench/bench_serve.sh: SESSIONS
concurrent sessions on loopback, each one connection sending MESSAGES
messages of SIZE octets (MAIL, RCPT, DATA, one command at a time, the same
dialogue for every server), then QUIT. Prints messages per second and the
latency of each message (from MAIL FROM sent to the 250 after the final
dot) at p50/p90/p99, as text or one JSON object. A message that gets any
other reply, or a session that breaks, counts as an error.

Usage: smtp_bench.py PORT SESSIONS MESSAGES [--size N] [--rcpt ADDR] [--json]
asyncio, one thread: the client's own ceiling shows against smtp-sink.
"""
import argparse
import asyncio
import json
import sys
import time

IO_TIMEOUT_S = 60  # one reply; an fsync-bound server under load answers well within this


async def reply(reader):
    """One SMTP reply (RFC 5321 §4.2: multiline with '-' after the code)."""
    while True:
        line = await asyncio.wait_for(reader.readline(), IO_TIMEOUT_S)
        if not line:
            raise ConnectionError("server closed the connection")
        if len(line) < 4 or line[3:4] != b"-":
            return int(line[:3])


async def session(port, count, body, rcpt, lat, errors):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        if await reply(reader) != 220:
            raise ConnectionError("no 220 greeting")
        writer.write(b"EHLO bench.client.test\r\n")
        if await reply(reader) != 250:
            raise ConnectionError("EHLO refused")
        for _ in range(count):
            t0 = time.perf_counter()
            ok = True
            for cmd, want in ((b"MAIL FROM:<bench@client.test>\r\n", 250),
                              (b"RCPT TO:<" + rcpt + b">\r\n", 250),
                              (b"DATA\r\n", 354)):
                writer.write(cmd)
                if await reply(reader) != want:
                    ok = False
                    break
            if ok:
                writer.write(body)
                ok = await reply(reader) == 250
            if ok:
                lat.append(time.perf_counter() - t0)
            else:
                errors.append("refused")
                writer.write(b"RSET\r\n")
                await reply(reader)
        writer.write(b"QUIT\r\n")
        await reply(reader)
    except (OSError, ConnectionError, asyncio.TimeoutError, ValueError) as e:
        errors.append(str(e) or type(e).__name__)
    finally:
        writer.close()


def message(size):
    head = b"From: bench@client.test\r\nTo: alice@example.test\r\nSubject: bench\r\n\r\n"
    fill = max(0, size - len(head) - 2)
    return head + (b"x" * 70 + b"\r\n") * (fill // 72) + b"y" * (fill % 72) + b"\r\n.\r\n"


async def run(args):
    lat, errors = [], []
    body = message(args.size)
    t0 = time.perf_counter()
    await asyncio.gather(*(session(args.port, args.messages, body, args.rcpt.encode(), lat, errors)
                           for _ in range(args.sessions)))
    return lat, errors, time.perf_counter() - t0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("port", type=int)
    p.add_argument("sessions", type=int)
    p.add_argument("messages", type=int, help="messages per session")
    p.add_argument("--size", type=int, default=512, help="octets per message (default 512)")
    p.add_argument("--rcpt", default="alice@example.test")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    lat, errors, elapsed = asyncio.run(run(args))
    lat.sort()

    def pct(q):
        return round(lat[min(len(lat) - 1, int(len(lat) * q))] * 1e3, 2) if lat else None

    res = {"sessions": args.sessions, "messages": len(lat), "seconds": round(elapsed, 3),
           "msg_per_s": round(len(lat) / elapsed, 1) if elapsed > 0 else 0.0,
           "p50_ms": pct(0.5), "p90_ms": pct(0.9), "p99_ms": pct(0.99), "errors": len(errors),
           "first_error": errors[0] if errors else None}
    if args.json:
        print(json.dumps(res))
    else:
        print("%d sessions: %d messages in %.2f s = %.0f msg/s; p50 %s ms, p90 %s ms, p99 %s ms; %d errors%s"
              % (args.sessions, res["messages"], elapsed, res["msg_per_s"], res["p50_ms"], res["p90_ms"],
                 res["p99_ms"], len(errors), " (first: %s)" % errors[0] if errors else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
