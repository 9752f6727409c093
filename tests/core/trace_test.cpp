// trace_test.cpp — the JSON Lines trace: canonical bytes, exact round trip,
// schema validation and file:line diagnostics, fingerprint.
#include <catch2/catch.hpp>

#include <iterator>
#include <limits>
#include <sstream>

#include "core/rng.hpp"
#include "core/scheduler.hpp"
#include "core/trace.hpp"
#include "core/trace_json.hpp"
#include "core/trace_reader.hpp"
#include "core/trace_schema.hpp"

using namespace postino;
using namespace postino::trace;

namespace {
std::vector<Event> sample_events() {
    Scheduler s;
    Recorder rec([&s] { return s.now(); });
    MemorySink sink;
    rec.add_sink(&sink);
    rec.emit(Event("note", "mx.a.example").set("text", "Il messaggio è nello spool \xE2\x9C\x89"));
    s.run_until(milliseconds(5));
    rec.emit(Event("line", "mx.a.example", "mx.b.example", 3)
                 .set("proto", "smtp")
                 .set("dir", "send")
                 .set_bytes("bytes", std::string("MAIL FROM:<a@b>\r\n\x00\xff\x7f\"\\", 22))
                 .set("verb", "MAIL"));
    s.run_until(seconds(300));
    rec.emit(Event("segment", "a", "b", 3)
                 .set("ev", "lost")
                 .set("id", 17)
                 .set("flags", "PSH,ACK")
                 .set("seqno", 1)
                 .set("ackno", 1)
                 .set("len", 22)
                 .set("sport", 49152)
                 .set("dport", 25)
                 .set("retransmit", true)
                 .set("reason", "lost on the link of a"));
    rec.emit(Event("fault", "").set("ev", "begin").set("fault", "host-down").set("target", "mx.b.example"));
    CHECK(rec.fingerprint() == fingerprint_of(sink.events));
    return sink.events;
}
}  // namespace

TEST_CASE("events encode to canonical, stable JSON", "[trace]") {
    auto ev = sample_events();
    CHECK(to_json(ev[1]) ==
          R"({"seq":1,"t":5000000,"kind":"line","host":"mx.a.example","peer":"mx.b.example","conn":3,)"
          R"("proto":"smtp","dir":"send","bytes":"MAIL FROM:<a@b>\r\n\u0000\u00ff\u007f\"\\","verb":"MAIL"})");
    // Text keeps valid UTF-8 as is.
    CHECK(to_json(ev[0]).find("è nello spool ✉") != std::string::npos);
    CHECK(to_json(ev[3]) == R"({"seq":3,"t":300000000000,"kind":"fault","host":"","ev":"begin","fault":"host-down","target":"mx.b.example"})");
}

TEST_CASE("a trace round-trips byte for byte through the writer and reader", "[trace]") {
    auto events = sample_events();
    Header h{kFormatVersion, 42, "demo", "postino test"};
    std::ostringstream out;
    {
        JsonlWriter w(out, h);
        for (const auto& e : events) w.on_event(e);
    }
    std::istringstream in(out.str());
    auto file = read_trace(in, "t.jsonl");
    if (!file.ok()) FAIL(file.error().message());
    CHECK(file->header == h);
    REQUIRE(file->events.size() == events.size());
    CHECK(file->events == events);
    std::ostringstream again;
    {
        JsonlWriter w(again, file->header);
        for (const auto& e : file->events) w.on_event(e);
    }
    CHECK(again.str() == out.str());
    CHECK(fingerprint_of(file->events) == fingerprint_of(events));
    CHECK(hex64(0xabcULL) == "0000000000000abc");
}

TEST_CASE("malformed trace lines are reported as file:line: what", "[trace]") {
    const std::string header = R"({"postino_trace":1,"seed":1,"scenario":"x","generator":"g"})";
    auto read = [&](const std::string& body) {
        std::istringstream in(header + "\n" + body);
        return read_trace(in, "bad.jsonl");
    };
    struct Case {
        std::string body;
        std::string where;
        std::string what;
    };
    const std::vector<Case> cases = {
        {"{not json", "bad.jsonl:2", "not valid JSON"},
        {"[1,2]", "bad.jsonl:2", "JSON object"},
        {R"({"seq":0,"t":0,"host":"h"})", "bad.jsonl:2", "missing \"kind\""},
        {R"({"seq":0,"t":0,"kind":"nope","host":"h"})", "bad.jsonl:2", "unknown event kind"},
        {R"({"seq":0,"t":0,"kind":"note","host":"h"})", "bad.jsonl:2", "needs text field \"text\""},
        {R"({"seq":0,"t":0,"kind":"note","host":"h","text":5})", "bad.jsonl:2", "must be text"},
        {R"({"seq":0,"t":-1.5,"kind":"note","host":"h","text":"x"})", "bad.jsonl:2", "\"t\" must be an integer"},
        {R"({"seq":0,"t":0,"kind":"note","host":"h","text":"x"})" "\n"
         R"({"seq":5,"t":0,"kind":"note","host":"h","text":"x"})", "bad.jsonl:3", "out of order"},
        {R"({"seq":0,"t":9,"kind":"note","host":"h","text":"x"})" "\n"
         R"({"seq":1,"t":3,"kind":"note","host":"h","text":"x"})", "bad.jsonl:3", "backwards"},
        {R"({"seq":0,"t":0,"kind":"line","host":"h","proto":"smtp","dir":"send","bytes":"\u0100"})", "bad.jsonl:2", "above \\u00ff"},
        {R"({"seq":0,"t":0,"kind":"note","host":"h","text":"x","extra":[1]})", "bad.jsonl:2", "integer, boolean or string"},
        {"\n" R"({"seq":0,"t":0,"kind":"note","host":"h","text":"x"})", "bad.jsonl:2", "empty line"},
    };
    for (const auto& c : cases) {
        INFO(c.body);
        auto r = read(c.body);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().where == c.where);
        CHECK(r.error().what.find(c.what) != std::string::npos);
    }
    std::istringstream not_trace(R"({"hello":1})");
    auto r = read_trace(not_trace, "x.jsonl");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message().rfind("x.jsonl:1: not a Postino trace", 0) == 0);
    std::istringstream empty("");
    CHECK_FALSE(read_trace(empty, "e.jsonl").ok());
    CHECK_FALSE(read_trace_file("/nonexistent/trace.jsonl").ok());
}

TEST_CASE("every kind in the schema is documented with its required fields", "[trace]") {
    CHECK(kinds().size() >= 8);
    for (const auto& k : kinds()) {
        CHECK_FALSE(k.meaning.empty());
        CHECK(find_kind(k.kind) == &k);
    }
    CHECK(validate(Event("tcp", "h").set("ev", "connect")).empty());
    CHECK_FALSE(validate(Event("tcp", "h").set_bytes("ev", "connect")).empty());
    CHECK_FALSE(validate(Event("tcp", "h").set("ev", "connect").set("seq", 1)).empty());
    CHECK(is_bytes_key("bytes"));
    CHECK(is_bytes_key("payload_bytes"));
    CHECK_FALSE(is_bytes_key("_bytes"));
}

namespace {
// The encoding rules of docs/trace-format.md, written out one octet at a
// time: the fast encoder must produce exactly these bytes.
std::string reference_literal(std::string_view s, bool bytes) {
    auto escape = [](unsigned char c) {
        switch (c) {
            case '"': return std::string("\\\"");
            case '\\': return std::string("\\\\");
            case '\n': return std::string("\\n");
            case '\r': return std::string("\\r");
            case '\t': return std::string("\\t");
            default: break;
        }
        static constexpr char kHex[] = "0123456789abcdef";
        return std::string("\\u00") + kHex[c >> 4] + kHex[c & 0xf];
    };
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80 || bytes) {
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') out += escape(c);
            else out.push_back(static_cast<char>(c));
            ++i;
            continue;
        }
        // Text: a valid UTF-8 sequence (no overlong form, surrogate or value past U+10FFFF) is kept.
        std::size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        std::uint32_t cp = n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
        bool ok = n != 0 && i + n <= s.size();
        for (std::size_t k = 1; ok && k < n; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            ok = (d & 0xC0) == 0x80;
            cp = (cp << 6) | (d & 0x3Fu);
        }
        ok = ok && !((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) &&
             !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF;
        if (ok) {
            out.append(s.substr(i, n));
            i += n;
        } else {
            out += escape(c);
            ++i;
        }
    }
    return out + "\"";
}
}  // namespace

TEST_CASE("the one-pass encoder writes the same bytes as the octet-by-octet rules", "[trace]") {
    Rng rng(7);
    const std::string samples[] = {"", "plain", "tab\there", "\xE2\x9C\x89", "\xC3\xA8\xC3", "\xED\xA0\x80",
                                   "\xF4\x90\x80\x80", "\xC0\xAF", std::string("\0\x7f\x80\xff", 4)};
    std::vector<std::string> inputs(std::begin(samples), std::end(samples));
    for (int n = 0; n < 4000; ++n) {
        std::string s;
        // Half the strings have octets to escape everywhere; the other half
        // long plain runs (the encoder copies those a block of sixteen at a
        // time, so special octets must be found at every offset of a block).
        const bool dense = n % 2 == 0;
        const auto len = rng.uniform_int(0, dense ? 40 : 100);
        for (std::int64_t k = 0; k < len; ++k) {
            // Mostly printable ASCII, some UTF-8 lead and continuation octets, some controls.
            const auto pick = dense ? rng.uniform_int(0, 9) : rng.uniform_int(0, 99) < 96 ? 0 : rng.uniform_int(6, 9);
            s.push_back(static_cast<char>(pick < 6 ? rng.uniform_int(0x20, 0x7e) : pick < 9 ? rng.uniform_int(0x80, 0xff)
                                                                                            : rng.uniform_int(0, 0x1f)));
        }
        inputs.push_back(std::move(s));
    }
    LineEncoder enc;
    for (const auto& s : inputs) {
        INFO(to_json(Event("note", "").set_bytes("bytes", s)));
        std::string text, bytes;
        append_json_text(text, s);
        append_json_bytes(bytes, s);
        CHECK(text == reference_literal(s, false));
        CHECK(bytes == reference_literal(s, true));
        Event e("line", s, s, 9);
        e.seq = 12;
        e.t = Duration::from_ns(-5);
        e.set("text", s).set_bytes("bytes", s).set("n", std::int64_t{-9'223'372'036'854'775'807 - 1}).set("ok", false);
        const std::string expected = "{\"seq\":12,\"t\":-5,\"kind\":\"line\",\"host\":" + reference_literal(s, false) +
                                     (s.empty() ? "" : ",\"peer\":" + reference_literal(s, false)) + ",\"conn\":9," +
                                     "\"text\":" + reference_literal(s, false) + ",\"bytes\":" +
                                     reference_literal(s, true) + ",\"n\":-9223372036854775808,\"ok\":false}";
        CHECK(to_json(e) == expected);
        CHECK(enc.encode(e) == expected + "\n");
        CHECK(json_bound(e) >= expected.size());
    }
}

TEST_CASE("integers encode as std::to_string writes them, at every digit count and sign", "[trace]") {
    std::vector<std::int64_t> values = {0, 1, -1, 9, 10, 99, 100, -100, 999'999'999'999, 1'000'000'000'000,
                                        std::numeric_limits<std::int64_t>::max(),
                                        std::numeric_limits<std::int64_t>::min()};
    std::int64_t power = 1;
    for (int d = 0; d < 18; ++d, power *= 10) {
        for (const std::int64_t v : {power - 1, power, power + 1, 3 * power + 7}) {
            values.push_back(v);
            values.push_back(-v);
        }
    }
    Rng rng(3);
    for (int n = 0; n < 2000; ++n) values.push_back(rng.uniform_int(-5'000'000'000'000, 5'000'000'000'000) >> (n % 40));
    for (const std::int64_t v : values) {
        Event e("note", "h");
        e.seq = static_cast<std::uint64_t>(v < 0 ? -(v + 1) : v);
        e.t = Duration::from_ns(v);
        e.set("n", v);
        CHECK(to_json(e) == "{\"seq\":" + std::to_string(e.seq) + ",\"t\":" + std::to_string(v) +
                                ",\"kind\":\"note\",\"host\":\"h\",\"n\":" + std::to_string(v) + "}");
    }
}

TEST_CASE("a line encoder reusing its last digits writes what a fresh encoder writes", "[trace]") {
    // Runs of equal times, sequence numbers across every carry (9 -> 10,
    // 99 -> 100, …), jumps back and forth, negatives.
    std::vector<std::pair<std::uint64_t, std::int64_t>> heads;
    for (std::uint64_t seq = 0; seq < 1200; ++seq) heads.emplace_back(seq, static_cast<std::int64_t>(seq / 3) * 1'000);
    for (std::uint64_t seq = 999'999'990; seq < 1'000'000'010; ++seq) heads.emplace_back(seq, -1);
    for (const std::int64_t t : {std::int64_t{9}, std::int64_t{10}, std::int64_t{-1}, std::int64_t{0}, std::int64_t{99},
                                 std::int64_t{100}, std::numeric_limits<std::int64_t>::max() - 1,
                                 std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min(),
                                 std::numeric_limits<std::int64_t>::min() + 1}) {
        heads.emplace_back(static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()), t);
        heads.emplace_back(7, t);
    }
    LineEncoder reused;
    PacketRecord p;
    p.host = "mx.a.example";
    p.ev = "send";
    for (const auto& [seq, t] : heads) {
        Event e("note", "h");
        e.seq = seq;
        e.t = Duration::from_ns(t);
        LineEncoder fresh;
        INFO(to_json(e));
        CHECK(reused.encode(e) == to_json(e) + "\n");
        CHECK(reused.encode(p, seq, e.t) == fresh.encode(p, seq, e.t));
    }
}

TEST_CASE("set() on a key already present replaces its value in place", "[trace]") {
    Event e("note", "h");
    e.set("text", "one").set("n", 1).set("text", std::string(40, 'x')).set_bytes("n", "raw");
    REQUIRE(e.fields.size() == 2);
    CHECK(e.fields[0].key == "text");
    CHECK(e.get_str("text") == std::string(40, 'x'));
    CHECK(e.str_view("text") == std::string(40, 'x'));
    CHECK(e.bytes_view("n") == "raw");
    CHECK(e.str_view("n").empty());
    CHECK_FALSE(e.get_int("n").has_value());
}

TEST_CASE("a packet record encodes to the same line as its Event, and sinks see that Event", "[trace]") {
    Rng rng(11);
    std::vector<std::string> texts = {"", "mx.a.example", "tab\there", "\xE2\x9C\x89", std::string("\0\x7f\x80\xff", 4)};
    for (int n = 0; n < 300; ++n) {
        std::string s;
        const auto len = rng.uniform_int(0, 30);
        for (std::int64_t k = 0; k < len; ++k) s.push_back(static_cast<char>(rng.uniform_int(0, 0xff)));
        texts.push_back(std::move(s));
    }
    LineEncoder enc;
    Scheduler sched;
    Recorder rec([&sched] { return sched.now(); });
    MemorySink memory;       // the default: builds the Event
    std::ostringstream out;  // a line writer: writes the line as is
    JsonlWriter writer(out, Header{});
    rec.add_sink(&memory);
    rec.add_sink(&writer);
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::string& a = texts[i];
        const std::string& b = texts[(i * 7 + 3) % texts.size()];
        PacketRecord p;
        p.tcp = i % 3 != 0;
        p.host = a;
        p.peer = b;
        p.conn = i % 5;
        p.ev = i % 2 == 0 ? "send" : "recv";
        p.id = i * 1'000'003;
        p.flags = i % 4 == 0 ? "SYN,ACK" : "PSH,ACK";
        p.seqno = 4'294'967'295ULL + i;
        p.ackno = i;
        p.len = b.size();
        p.sport = 49152 + static_cast<int>(i);
        p.dport = 25;
        p.retransmit = i % 6 == 1;
        p.bytes = b;
        p.reason = i % 4 == 3 ? a.c_str() : nullptr;
        Event e = p.to_event();
        e.seq = 40 + i;
        e.t = Duration::from_ns(static_cast<std::int64_t>(i) * 977);
        const std::string expected = to_json(e) + "\n";
        INFO(expected);
        CHECK(enc.encode(p, e.seq, e.t) == expected);
        CHECK(e.kind == (p.tcp ? "segment" : "datagram"));
        CHECK(e.conn == (p.tcp ? p.conn : 0));
        if (p.tcp) CHECK(e.get_bool("retransmit").has_value() == p.retransmit);
        else CHECK(e.bytes_view("bytes") == b);
        CHECK((e.find("reason") != nullptr) == (p.reason != nullptr));
        sched.run_until(e.t);
        lines.push_back(std::string(enc.encode(p, rec.count(), sched.now())));
        rec.emit_packet(p);
    }
    // The memory sink got the Events the lines encode; the writer got the lines.
    REQUIRE(memory.events.size() == texts.size());
    std::string all;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        CHECK(to_json(memory.events[i]) + "\n" == lines[i]);
        all += lines[i];
    }
    CHECK(out.str() == to_json(Header{}) + "\n" + all);
    CHECK(rec.fingerprint() == fingerprint_of(memory.events));
}

TEST_CASE("an SMTP line record encodes to the same line as its Event, and sinks see that Event", "[trace]") {
    Rng rng(13);
    std::vector<std::string> texts = {"", "mx.a.example", "MAIL FROM:<a@b>\r\n", "\xE2\x9C\x89",
                                      std::string("\0\x7f\x80\xff\"\\", 6)};
    for (int n = 0; n < 300; ++n) {
        std::string s;
        const auto len = rng.uniform_int(0, 30);
        for (std::int64_t k = 0; k < len; ++k) s.push_back(static_cast<char>(rng.uniform_int(0, 0xff)));
        texts.push_back(std::move(s));
    }
    LineEncoder enc;
    Scheduler sched;
    Recorder rec([&sched] { return sched.now(); });
    MemorySink memory;       // the default: builds the Event
    std::ostringstream out;  // a line writer: writes the line as is
    JsonlWriter writer(out, Header{});
    rec.add_sink(&memory);
    rec.add_sink(&writer);
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::string& a = texts[i];
        const std::string& b = texts[(i * 7 + 3) % texts.size()];
        SmtpLineRecord r;
        r.host = a;
        r.peer = b;
        r.conn = i % 5;
        r.send = i % 2 == 0;
        r.bytes = b;
        r.verb = i % 3 == 0 ? std::string_view(a) : std::string_view();
        r.has_code = i % 3 == 1;
        r.code = static_cast<int>(i % 600);
        r.enhanced = i % 4 == 1 ? std::string_view(b) : std::string_view();
        r.tls = i % 7 == 2;
        Event e = r.to_event();
        e.seq = 40 + i;
        e.t = Duration::from_ns(static_cast<std::int64_t>(i) * 977);
        const std::string expected = to_json(e) + "\n";
        INFO(expected);
        CHECK(enc.encode(r, e.seq, e.t) == expected);
        CHECK(e.kind == "line");
        CHECK(e.str_view("proto") == "smtp");
        CHECK(e.str_view("dir") == (r.send ? "send" : "recv"));
        CHECK(e.bytes_view("bytes") == b);
        CHECK(e.get_int("code").has_value() == r.has_code);
        CHECK(e.get_bool("tls").has_value() == r.tls);
        sched.run_until(e.t);
        lines.push_back(std::string(enc.encode(r, rec.count(), sched.now())));
        rec.emit_smtp_line(r);
    }
    REQUIRE(memory.events.size() == texts.size());
    std::string all;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        CHECK(to_json(memory.events[i]) + "\n" == lines[i]);
        all += lines[i];
    }
    CHECK(out.str() == to_json(Header{}) + "\n" + all);
    CHECK(rec.fingerprint() == fingerprint_of(memory.events));
}

TEST_CASE("a TCP record encodes to the same line as its Event, and sinks see that Event", "[trace]") {
    const std::string names[] = {"", "mx.a.example", "pc.d12.example", "tab\there", "\xE2\x9C\x89",
                                 std::string("\0\x7f\x80\xff", 4)};
    const char* const reasons[] = {nullptr, "connection refused", "FIN-WAIT-2 timeout", "\x01\"q\""};
    Scheduler sched;
    Recorder rec([&sched] { return sched.now(); });
    MemorySink memory;
    std::ostringstream out;
    JsonlWriter writer(out, Header{});
    rec.add_sink(&memory);
    rec.add_sink(&writer);
    LineEncoder enc;
    std::string all;
    std::size_t i = 0;
    for (const auto& a : names) {
        for (const auto& b : names) {
            for (const char* reason : reasons) {
                TcpRecord r;
                r.host = a;
                r.peer = b;
                r.conn = i % 4;
                r.ev = i % 2 == 0 ? "connect" : "closed";
                r.sport = 49152 + static_cast<int>(i);
                r.dport = 25;
                r.reason = reason;
                Event e = r.to_event();
                e.seq = rec.count();
                e.t = sched.now();
                INFO(to_json(e));
                CHECK(e.kind == "tcp");
                CHECK((e.find("reason") != nullptr) == (reason != nullptr));
                const std::string expected = to_json(e) + "\n";
                CHECK(enc.encode(r, e.seq, e.t) == expected);
                all += expected;
                rec.emit_tcp(r);
                CHECK(memory.events.back() == e);
                sched.run_until(sched.now() + Duration::from_ns(static_cast<std::int64_t>(i % 3)));
                ++i;
            }
        }
    }
    CHECK(out.str() == to_json(Header{}) + "\n" + all);
    CHECK(rec.fingerprint() == fingerprint_of(memory.events));
}
