// gen_trace.cpp — writes a large, valid, synthetic mail trace for the
// visualizer's benchmark (docs/bench-notes/viz.md): many hosts, SMTP sessions
// over TCP with their segments and ACKs, DNS lookups as datagrams, spool
// entries, some losses with retransmissions and some deferrals. It uses the
// real trace writer, so `postino trace` accepts the result. Deterministic.
//
//   postino-viz-gentrace OUT.jsonl [EVENTS]      (default 1000000)
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "core/trace.hpp"
#include "core/trace_json.hpp"

using namespace postino;
using trace::Event;

namespace {

struct Pending {
    std::int64_t t;
    std::uint64_t order;
    Event e;
};

class Session {
public:
    Session(std::vector<Pending>& out, std::uint64_t& order, std::int64_t t0) : out_(out), order_(order), t_(t0) {}

    void add(std::int64_t t, Event e) { out_.push_back(Pending{t, order_++, std::move(e)}); }

    // A segment from a to b: send now, recv (or lost) after `lat`.
    void segment(const std::string& a, const std::string& b, std::uint64_t conn, const char* flags, std::int64_t seq,
                 std::int64_t ack, std::int64_t len, std::int64_t at, std::int64_t lat, bool lost = false, bool retr = false) {
        const std::int64_t id = next_id_++;
        const auto seg = [&](const std::string& h, const std::string& p, const char* ev) {
            Event e("segment", h, p, conn);
            e.set("ev", ev).set("id", id).set("flags", flags).set("seqno", seq).set("ackno", ack).set("len", len)
                .set("sport", 40000 + static_cast<std::int64_t>(conn % 20000)).set("dport", 25);
            if (retr) e.set("retransmit", true);
            if (lost) e.set("reason", std::string("link of ") + b + " is down");
            return e;
        };
        add(at, seg(a, b, "send"));
        if (lost) add(at + lat / 2, seg(a, b, "lost"));
        else add(at + lat, seg(b, a, "recv"));
    }

    static std::int64_t next_id_;

private:
    std::vector<Pending>& out_;
    std::uint64_t& order_;
    std::int64_t t_;
};
std::int64_t Session::next_id_ = 1;

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: postino-viz-gentrace OUT.jsonl [EVENTS]\n");
        return 2;
    }
    const std::uint64_t want = argc > 2 ? std::stoull(argv[2]) : 1'000'000;
    std::ofstream file(argv[1], std::ios::binary | std::ios::trunc);
    if (!file) {
        std::fprintf(stderr, "postino-viz-gentrace: cannot write %s\n", argv[1]);
        return 2;
    }
    trace::JsonlWriter w(file, trace::Header{trace::kFormatVersion, 7, "viz-bench", "postino-viz-gentrace"});
    Rng rng(7);
    constexpr int kClients = 12, kMtas = 6;
    std::uint64_t written = 0, order = 0;
    std::uint64_t conn = 0;
    std::int64_t base = 0;
    std::vector<Pending> buf;
    for (std::uint64_t n = 0; written < want; ++n) {
        buf.clear();
        Session s(buf, order, base);
        const std::string client = "pc" + std::to_string(n % kClients) + ".a.example";
        const std::string mta = "mx" + std::to_string(n % kMtas) + ".b.example";
        const std::string ns = "ns.example";
        const std::int64_t lat = 2'000'000 + static_cast<std::int64_t>(rng.next_u64() % 3'000'000);
        std::int64_t t = base;
        ++conn;
        // DNS: query and answer.
        {
            Event q("dns", client, ns);
            q.set("ev", "query").set("name", "b.example").set("type", "MX").set("id", static_cast<std::int64_t>(n % 65536));
            s.add(t, q);
            for (int k = 0; k < 2; ++k) {
                const auto id = Session::next_id_++;
                const std::string& from = k == 0 ? client : ns;
                const std::string& to = k == 0 ? ns : client;
                Event d("datagram", from, to);
                d.set("ev", "send").set("id", id).set("sport", k == 0 ? 50000 : 53).set("dport", k == 0 ? 53 : 50000).set("len", 0).set_bytes("bytes", "");
                s.add(t, d);
                Event r("datagram", to, from);
                r.set("ev", "recv").set("id", id).set("sport", k == 0 ? 50000 : 53).set("dport", k == 0 ? 53 : 50000).set("len", 0).set_bytes("bytes", "");
                t += lat;
                s.add(t, r);
            }
            Event a("dns", client, ns);
            a.set("ev", "answer").set("name", "b.example").set("type", "MX").set("answer", "10 " + mta);
            s.add(t, a);
        }
        // TCP handshake.
        Event c("tcp", client, mta, conn);
        c.set("ev", "connect").set("sport", 40000).set("dport", 25);
        s.add(t, c);
        s.segment(client, mta, conn, "SYN", 0, 0, 0, t, lat);
        t += lat;
        s.segment(mta, client, conn, "SYN,ACK", 0, 1, 0, t, lat);
        t += lat;
        s.segment(client, mta, conn, "ACK", 1, 1, 0, t, lat);
        s.add(t, Event("tcp", client, mta, conn).set("ev", "established"));
        s.add(t + lat, Event("tcp", mta, client, conn).set("ev", "established"));
        // SMTP dialogue.
        const char* lines[] = {"220 mx ESMTP\r\n", "EHLO pc\r\n", "250 mx\r\n", "MAIL FROM:<a@a.example>\r\n", "250 2.1.0 Ok\r\n",
                               "RCPT TO:<b@b.example>\r\n", "250 2.1.5 Ok\r\n", "DATA\r\n", "354 go on\r\n",
                               "Subject: hi\r\n\r\nhello\r\n.\r\n", "250 2.0.0 queued\r\n", "QUIT\r\n", "221 bye\r\n"};
        std::int64_t cseq = 1, sseq = 1;
        t += lat;
        for (int i = 0; i < 13; ++i) {
            const bool from_server = i % 2 == 0;
            const std::string& a = from_server ? mta : client;
            const std::string& b = from_server ? client : mta;
            const std::string text = lines[i];
            const auto len = static_cast<std::int64_t>(text.size());
            std::int64_t& seq = from_server ? sseq : cseq;
            const std::int64_t ack = from_server ? cseq : sseq;
            s.add(t, Event("line", a, b, conn).set("proto", "smtp").set("dir", "send").set_bytes("bytes", text));
            const bool lose = n % 50 == 7 && i == 3;
            std::int64_t arrive = t + lat;
            if (lose) {
                s.segment(a, b, conn, "PSH,ACK", seq, ack, len, t, lat, true);
                arrive = t + 200'000'000 + lat;
                s.segment(a, b, conn, "PSH,ACK", seq, ack, len, t + 200'000'000, lat, false, true);
            } else {
                s.segment(a, b, conn, "PSH,ACK", seq, ack, len, t, lat);
            }
            s.add(arrive, Event("line", b, a, conn).set("proto", "smtp").set("dir", "recv").set_bytes("bytes", text));
            seq += len;
            s.segment(b, a, conn, "ACK", ack, seq, 0, arrive, lat);
            if (i == 9) {
                Event q("spool", mta);
                q.set("ev", "enqueued").set("queue_id", "Q" + std::to_string(n)).set("from", "a@a.example").set("to", "b@b.example")
                    .set("dest", "b.example").set("deposit", arrive);
                s.add(arrive, q);
            }
            t = arrive + 100'000;
        }
        const std::string qid = "Q" + std::to_string(n);
        if (n % 20 == 3) {
            s.add(t, Event("spool", mta).set("ev", "deferred").set("queue_id", qid).set("error", "451 4.3.0 try later").set("status", "4.3.0").set("next", t + 300'000'000'000));
        } else {
            s.add(t, Event("spool", mta).set("ev", "delivered").set("queue_id", qid).set("to", "b@b.example"));
            s.add(t, Event("mailbox", mta).set("ev", "stored").set("mailbox", "b").set("uid", static_cast<std::int64_t>(n)));
            s.add(t, Event("spool", mta).set("ev", "removed").set("queue_id", qid));
        }
        // Close.
        s.segment(client, mta, conn, "FIN,ACK", cseq, sseq, 0, t, lat);
        s.segment(mta, client, conn, "FIN,ACK", sseq, cseq + 1, 0, t + lat, lat);
        s.add(t + 2 * lat, Event("tcp", client, mta, conn).set("ev", "closed"));
        s.add(t + 2 * lat, Event("tcp", mta, client, conn).set("ev", "closed"));
        std::stable_sort(buf.begin(), buf.end(), [](const Pending& a, const Pending& b) { return a.t != b.t ? a.t < b.t : a.order < b.order; });
        std::int64_t end = base;
        for (auto& p : buf) {
            if (written >= want) break;
            p.e.seq = written++;
            p.e.t = Duration::from_ns(p.t);
            w.on_event(p.e);
            end = std::max(end, p.t);
        }
        base = end + 1'000'000 + static_cast<std::int64_t>(rng.next_u64() % 20'000'000);  // sessions one after another
    }
    std::fprintf(stderr, "postino-viz-gentrace: %llu events in %s\n", static_cast<unsigned long long>(written), argv[1]);
    return 0;
}
