// mermaid_export_test.cpp — the Mermaid exporter: golden diagrams of real
// scenario runs (tests/export/golden/*.md, rendered as diagrams by any
// Markdown viewer), escaping, TCP folded vs every segment, DNS, notes in
// English and Italian. POSTINO_UPDATE_GOLDEN=1 rewrites the golden files;
// read the diff before committing it.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "capture_reader.hpp"
#include "export/mermaid_export.hpp"
#include "scenario/loader.hpp"
#include "scenario/runner.hpp"

using namespace postino;
using namespace postino::exporter;
using test::line;
using test::segment;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<trace::Event> run_library_scenario(const std::string& name) {
    auto s = scenario::load_scenario_file(std::string(POSTINO_SOURCE_DIR) + "/scenarios/" + name + ".yaml");
    REQUIRE(s);
    trace::MemorySink sink;
    scenario::RunOptions o;
    o.sinks.push_back(&sink);
    const auto r = scenario::run_scenario(*s, o);
    REQUIRE(r.ok());
    return sink.events;
}

void check_golden(const std::string& file, const std::string& actual) {
    const std::string path = std::string(POSTINO_SOURCE_DIR) + "/tests/export/golden/" + file;
    if (std::getenv("POSTINO_UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << actual;
    const std::string expected = read_file(path);
    INFO("golden file " << path << " (POSTINO_UPDATE_GOLDEN=1 rewrites it)");
    REQUIRE_FALSE(expected.empty());
    CHECK(actual == expected);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

bool has_line(const std::string& diagram, const std::string& wanted) {
    for (const auto& l : lines_of(diagram)) {
        if (l == wanted) return true;
    }
    return false;
}

std::size_t count_containing(const std::string& diagram, const std::string& part) {
    std::size_t n = 0;
    for (const auto& l : lines_of(diagram)) n += l.find(part) != std::string::npos ? 1 : 0;
    return n;
}

trace::Event tcp(std::uint64_t seq, const std::string& host, const std::string& peer, std::uint64_t conn,
                 const char* ev, int dport = 25) {
    trace::Event e("tcp", host, peer, conn);
    e.seq = seq;
    e.set("ev", ev).set("sport", 49152).set("dport", dport);
    return e;
}

trace::Event note(std::uint64_t seq, const std::string& host, const char* text, const char* it = nullptr) {
    trace::Event e("note", host);
    e.seq = seq;
    e.set("text", text);
    if (it != nullptr) e.set("it", it);
    return e;
}

// One connection c -> s on conn 1 (handshake, a lost and retransmitted
// EHLO, a two-line reply, FIN), then a refused attempt on conn 2.
std::vector<trace::Event> tcp_session() {
    std::vector<trace::Event> v;
    std::uint64_t n = 0;
    v.push_back(tcp(n++, "c", "s", 1, "connect"));
    v.push_back(segment(n++, 0, "c", "s", 1, "send", 1, "SYN", 0, 0, 0, 49152, 25));
    v.push_back(segment(n++, 0, "s", "c", 1, "send", 2, "SYN,ACK", 0, 1, 0, 25, 49152));
    v.push_back(segment(n++, 0, "c", "s", 1, "send", 3, "ACK", 1, 1, 0, 49152, 25));
    v.push_back(tcp(n++, "c", "s", 1, "established"));
    v.push_back(segment(n++, 0, "c", "s", 1, "send", 4, "PSH,ACK", 1, 1, 8, 49152, 25));
    v.push_back(line(n++, 0, "c", "s", 1, "send", "EHLO c\r\n", "EHLO"));
    v.push_back(segment(n++, 0, "c", "s", 1, "lost", 4, "PSH,ACK", 1, 1, 8, 49152, 25));
    trace::Event re = segment(n++, 0, "c", "s", 1, "send", 5, "PSH,ACK", 1, 1, 8, 49152, 25);
    re.set("retransmit", true);
    v.push_back(re);
    v.push_back(segment(n++, 0, "s", "c", 1, "send", 6, "PSH,ACK", 1, 9, 20, 25, 49152));
    v.push_back(line(n++, 0, "s", "c", 1, "send", "250-s hello\r\n250 OK\r\n"));
    v.push_back(segment(n++, 0, "c", "s", 1, "send", 7, "FIN,ACK", 9, 21, 0, 49152, 25));
    v.push_back(tcp(n++, "c", "s", 1, "closed"));
    v.push_back(tcp(n++, "c", "s", 2, "connect", 587));
    v.push_back(segment(n++, 0, "c", "s", 2, "send", 8, "SYN", 0, 0, 0, 49153, 587));
    v.push_back(segment(n++, 0, "s", "c", 2, "send", 9, "RST,ACK", 0, 1, 0, 587, 49153));
    v.push_back(tcp(n++, "c", "s", 2, "refused", 587));
    return v;
}

}  // namespace

TEST_CASE("golden: the classic story, TCP folded, as a Markdown file", "[export][mermaid][golden]") {
    MermaidOptions o;
    o.fenced = true;
    check_golden("classic.md", export_mermaid(run_library_scenario("classic"), o));
}

TEST_CASE("golden: an NXDOMAIN bounce with every TCP segment", "[export][mermaid][golden]") {
    MermaidOptions o;
    o.fenced = true;
    o.fold_tcp = false;
    check_golden("nxdomain-segments.md", export_mermaid(run_library_scenario("nxdomain"), o));
}

TEST_CASE("the same run gives the same diagram", "[export][mermaid]") {
    CHECK(export_mermaid(run_library_scenario("classic")) == export_mermaid(run_library_scenario("classic")));
}

TEST_CASE("mermaid_text: entity codes for the characters Mermaid would read as syntax", "[export][mermaid][escape]") {
    CHECK(mermaid_text("MAIL FROM:<alice@a.example>", 100) == "MAIL FROM:#60;alice@a.example#62;");
    CHECK(mermaid_text("a;b#c&d%e\"f", 100) == "a#59;b#35;c#38;d#37;e#34;f");
    CHECK(mermaid_text("%%{init}%% --> end", 100) == "#37;#37;{init}#37;#37; --#62; end");
    // Control characters become spaces; trailing ones are dropped.
    CHECK(mermaid_text("250 OK\r\n", 100) == "250 OK");
    CHECK(mermaid_text("a\tb\x01" "c\x7f" "d", 100) == "a b c d");
    // Valid UTF-8 is kept, each invalid octet becomes U+FFFD.
    CHECK(mermaid_text("perch\xc3\xa8 \xe2\x80\x94 ok", 100) == "perch\xc3\xa8 \xe2\x80\x94 ok");
    CHECK(mermaid_text("a\xff" "b", 100) == "a\xef\xbf\xbd" "b");
    CHECK(mermaid_text("\xc3", 100) == "\xef\xbf\xbd");           // truncated sequence
    CHECK(mermaid_text("\xc0\xaf", 100) == "\xef\xbf\xbd\xef\xbf\xbd");  // overlong '/'
    CHECK(mermaid_text("\xed\xa0\x80", 100) == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // a surrogate
    // Never empty: Mermaid needs a label.
    CHECK(mermaid_text("", 100) == "(empty)");
    CHECK(mermaid_text(" \r\n", 100) == "(empty)");
}

TEST_CASE("mermaid_text: long labels are cut by characters and end with an ellipsis", "[export][mermaid][escape]") {
    CHECK(mermaid_text("abcdef", 6) == "abcdef");
    CHECK(mermaid_text("abcdefg", 6) == "abcde\xe2\x80\xa6");
    // An entity or a multi-octet character counts as one character.
    CHECK(mermaid_text("<<<<<<<", 4) == "#60;#60;#60;\xe2\x80\xa6");
    CHECK(mermaid_text("\xc3\xa8\xc3\xa8\xc3\xa8", 2) == "\xc3\xa8\xe2\x80\xa6");
    CHECK(mermaid_text("abc", std::string::npos) == "abc");
}

TEST_CASE("mermaid_text: no ASCII character survives that could end or open Mermaid syntax", "[export][mermaid][escape]") {
    std::string all;
    for (int c = 0; c < 128; ++c) all += static_cast<char>(c);
    const std::string out = mermaid_text(all, std::string::npos);
    // Every ';' ends an entity "#NN;" and every '#' starts one.
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] == '#') {
            const std::size_t semi = out.find(';', i);
            REQUIRE(semi != std::string::npos);
            CHECK(out.substr(i + 1, semi - i - 1).find_first_not_of("0123456789") == std::string::npos);
            i = semi;
            continue;
        }
        INFO("character " << static_cast<int>(static_cast<unsigned char>(out[i])) << " at " << i);
        CHECK(std::string("<>;&%\"\r\n\t").find(out[i]) == std::string::npos);
    }
}

TEST_CASE("mermaid_id: host names become ids no keyword can clash with", "[export][mermaid][escape]") {
    CHECK(mermaid_id("mx.a.example") == "h_mx_a_example");
    CHECK(mermaid_id("end") == "h_end");
    CHECK(mermaid_id("192.0.2.7") == "h_192_0_2_7");
    CHECK(mermaid_id("x-y:z") == "h_x_y_z");
    // Two names with the same id get a suffix in the diagram.
    std::vector<trace::Event> v{line(0, 0, "a.b", "a-b", 1, "send", "EHLO a.b\r\n")};
    const std::string d = export_mermaid(v);
    CHECK(has_line(d, "    participant h_a_b as a.b"));
    CHECK(has_line(d, "    participant h_a_b_2 as a-b"));
    CHECK(has_line(d, "    h_a_b->>h_a_b_2: EHLO a.b"));
}

TEST_CASE("protocol lines: first line of a reply, message content as a size", "[export][mermaid]") {
    std::vector<trace::Event> v{line(0, 0, "c", "s", 1, "send", "MAIL FROM:<a@b.example>\r\n", "MAIL"),
                                line(1, 0, "s", "c", 1, "send", "250-s hello\r\n250-SIZE 100\r\n250 HELP\r\n"),
                                line(2, 0, "c", "s", 1, "send", "Subject: x\r\n\r\nhi\r\n.\r\n", "DATA-CONTENT"),
                                line(3, 0, "s", "c", 1, "recv", "Subject: x\r\n\r\nhi\r\n.\r\n", "DATA-CONTENT"),
                                // Only the receiver reported this one (a real peer): drawn from the peer.
                                line(4, 0, "c", "r", 2, "recv", "220 real.example ready\r\n")};
    const std::string d = export_mermaid(v);
    CHECK(lines_of(d) == std::vector<std::string>{
                             "sequenceDiagram",
                             "    participant h_c as c",
                             "    participant h_s as s",
                             "    participant h_r as r",
                             "    h_c->>h_s: MAIL FROM:#60;a@b.example#62;",
                             "    h_s->>h_c: 250-s hello \xe2\x80\xa6",
                             "    h_c->>h_s: (message, 21 octets)",
                             "    h_r->>h_c: 220 real.example ready",
                         });
}

TEST_CASE("TCP folded: one arrow per connection attempt, crossed when refused", "[export][mermaid][tcp]") {
    const std::string d = export_mermaid(tcp_session());
    CHECK(has_line(d, "    h_c-->>h_s: TCP connect :25"));
    CHECK(has_line(d, "    h_c--xh_s: TCP connect :587 (refused)"));
    CHECK(has_line(d, "    h_c->>h_s: EHLO c"));
    CHECK(has_line(d, "    h_s->>h_c: 250-s hello \xe2\x80\xa6"));
    CHECK(count_containing(d, "seq=") == 0);  // no segment arrows
    CHECK(count_containing(d, "refused") == 1);  // on the arrow, not again as a note
    CHECK(lines_of(d).size() == 1 + 2 + 4);
}

TEST_CASE("TCP segments: one arrow per segment sent, lost ones crossed", "[export][mermaid][tcp]") {
    MermaidOptions o;
    o.fold_tcp = false;
    const std::string d = export_mermaid(tcp_session(), o);
    CHECK(lines_of(d) == std::vector<std::string>{
                             "sequenceDiagram",
                             "    participant h_c as c",
                             "    participant h_s as s",
                             "    h_c-->>h_s: SYN seq=0",
                             "    h_s-->>h_c: SYN,ACK seq=0 ack=1",
                             "    h_c-->>h_s: ACK seq=1 ack=1",
                             "    h_c--xh_s: PSH,ACK seq=1 ack=1 len=8 (lost)",
                             "    h_c->>h_s: EHLO c",
                             "    h_c-->>h_s: PSH,ACK seq=1 ack=1 len=8 (retransmission)",
                             "    h_s-->>h_c: PSH,ACK seq=1 ack=9 len=20",
                             "    h_s->>h_c: 250-s hello \xe2\x80\xa6",
                             "    h_c-->>h_s: FIN,ACK seq=9 ack=21",
                             "    h_c-->>h_s: SYN seq=0",
                             "    h_s-->>h_c: RST,ACK seq=0 ack=1",
                             "    Note over h_c: TCP connection refused",
                         });
}

TEST_CASE("a line no segment carried is drawn as never sent", "[export][mermaid][tcp]") {
    // The server writes its 250 but aborts the connection before sending it.
    std::vector<trace::Event> v{segment(0, 0, "s", "c", 1, "send", 1, "SYN,ACK", 0, 1, 0, 25, 49152),
                                segment(1, 0, "s", "c", 1, "send", 2, "PSH,ACK", 1, 1, 9, 25, 49152),
                                line(2, 0, "s", "c", 1, "send", "220 s ok\r\n"),
                                line(3, 0, "s", "c", 1, "send", "250 queued\r\n"),
                                segment(4, 0, "s", "c", 1, "send", 3, "RST,ACK", 10, 1, 0, 25, 49152),
                                // A peer with no segments in the trace (a real server): drawn as sent.
                                line(5, 0, "r", "c", 2, "send", "220 r ok\r\n")};
    for (bool fold : {true, false}) {
        MermaidOptions o;
        o.fold_tcp = fold;
        const std::string d = export_mermaid(v, o);
        CHECK(has_line(d, "    h_s->>h_c: 220 s ok"));
        CHECK(has_line(d, "    h_s-xh_c: 250 queued (never sent)"));
        CHECK(has_line(d, "    h_r->>h_c: 220 r ok"));
    }
    // In the library: the lost 250 of the duplicate-delivery scenario.
    const std::string d = export_mermaid(run_library_scenario("lost-250-duplicate"));
    CHECK(count_containing(d, "-xh_mx_a_example: 250 2.0.0 Ok: queued as ") == 1);
    CHECK(count_containing(d, "(never sent)") == 1);
}

TEST_CASE("TCP folded: a timed-out attempt, a reset and an abort", "[export][mermaid][tcp]") {
    std::vector<trace::Event> v{tcp(0, "a", "b", 1, "connect"), tcp(1, "a", "b", 1, "timeout"),
                                tcp(2, "a", "b", 2, "connect"), tcp(3, "a", "b", 2, "established"),
                                tcp(4, "a", "b", 2, "reset"),   tcp(5, "b", "", 3, "abort")};
    const std::string d = export_mermaid(v);
    CHECK(has_line(d, "    h_a--xh_b: TCP connect :25 (timed out)"));
    CHECK(has_line(d, "    h_a-->>h_b: TCP connect :25"));
    CHECK(has_line(d, "    Note over h_a: TCP connection reset by b"));
    CHECK(has_line(d, "    Note over h_b: TCP connection aborted"));
}

TEST_CASE("DNS: queries and answers as arrows, a timeout as a note", "[export][mermaid][dns]") {
    auto dns = [](std::uint64_t seq, const char* ev, const char* type, const char* name) {
        trace::Event e("dns", "mx.a.example", "dns.sim");
        e.seq = seq;
        e.set("ev", ev).set("type", type).set("name", name);
        return e;
    };
    std::vector<trace::Event> v{dns(0, "query", "MX", "b.example"), dns(1, "answer", "MX", "b.example"),
                                dns(2, "nxdomain", "MX", "b.exmaple"), dns(3, "servfail", "A", "c.example"),
                                dns(4, "timeout", "A", "d.example")};
    v[1].set("answer", "10 mx.b.example");
    v[2].set("attempt", 2);  // ignored on an answer
    trace::Event retry = dns(5, "retry", "A", "d.example");
    retry.set("attempt", 2);
    v.push_back(retry);
    const std::string d = export_mermaid(v);
    CHECK(has_line(d, "    h_mx_a_example->>h_dns_sim: DNS query MX b.example"));
    CHECK(has_line(d, "    h_dns_sim->>h_mx_a_example: DNS MX b.example = 10 mx.b.example"));
    CHECK(has_line(d, "    h_dns_sim->>h_mx_a_example: DNS MX b.exmaple: NXDOMAIN"));
    CHECK(has_line(d, "    h_dns_sim->>h_mx_a_example: DNS A c.example: SERVFAIL"));
    CHECK(has_line(d, "    Note over h_mx_a_example: DNS A d.example: no answer (timeout)"));
    CHECK(has_line(d, "    h_mx_a_example->>h_dns_sim: DNS query A d.example (attempt 2)"));
}

TEST_CASE("notes: over their host or over everyone, in Italian on request", "[export][mermaid][notes]") {
    std::vector<trace::Event> v{note(0, "", "Bob's server is down.", "Il server di Bob \xc3\xa8 spento."),
                                line(1, 0, "pc.alice", "mx.a.example", 1, "send", "EHLO pc.alice\r\n"),
                                line(2, 0, "mx.a.example", "mx.b.example", 2, "send", "EHLO mx.a.example\r\n"),
                                note(3, "mx.a.example", "Only in English."),
                                note(4, "mx.b.example", "Back up.", "Di nuovo acceso.")};
    const std::string en = export_mermaid(v);
    CHECK(has_line(en, "    Note over h_pc_alice,h_mx_b_example: Bob's server is down."));
    CHECK(has_line(en, "    Note over h_mx_a_example: Only in English."));
    CHECK(has_line(en, "    Note over h_mx_b_example: Back up."));
    MermaidOptions it;
    it.italian = true;
    const std::string d = export_mermaid(v, it);
    CHECK(has_line(d, "    Note over h_pc_alice,h_mx_b_example: Il server di Bob \xc3\xa8 spento."));
    CHECK(has_line(d, "    Note over h_mx_a_example: Only in English."));  // no Italian text: English kept
    CHECK(has_line(d, "    Note over h_mx_b_example: Di nuovo acceso."));
    CHECK(count_containing(d, "Bob's server") == 0);
}

TEST_CASE("notes: the classic story in Italian", "[export][mermaid][notes]") {
    MermaidOptions it;
    it.italian = true;
    const std::string d = export_mermaid(run_library_scenario("classic"), it);
    CHECK(has_line(d, "    Note over h_pc_alice,h_mx_b_example: mx.b.example, il server di posta di Bob, \xc3\xa8 spento per tre minuti."));
    CHECK(count_containing(d, "is down for three minutes") == 0);
    // The trace carries both texts: the English diagram of the same run has no Italian.
    const std::string en = export_mermaid(run_library_scenario("classic"));
    CHECK(count_containing(en, "is down for three minutes") == 1);
    CHECK(count_containing(en, "il server di posta di Bob") == 0);
}

TEST_CASE("participants: senders first, hosts with notes only last, and a fence on request", "[export][mermaid]") {
    std::vector<trace::Event> v{note(0, "quiet.host", "only a note"), line(1, 0, "x", "y", 1, "send", "QUIT\r\n")};
    MermaidOptions o;
    o.fenced = true;
    CHECK(lines_of(export_mermaid(v, o)) == std::vector<std::string>{
                                                "```mermaid",
                                                "sequenceDiagram",
                                                "    participant h_x as x",
                                                "    participant h_y as y",
                                                "    participant h_quiet_host as quiet.host",
                                                "    Note over h_quiet_host: only a note",
                                                "    h_x->>h_y: QUIT",
                                                "```",
                                            });
    // Only world notes: a stand-in participant carries them.
    std::vector<trace::Event> w{note(0, "", "hello")};
    CHECK(lines_of(export_mermaid(w)) == std::vector<std::string>{"sequenceDiagram", "    participant h_world as (world)",
                                                                   "    Note over h_world: hello"});
}

TEST_CASE("spool, mailbox, user agent, faults and host events as notes", "[export][mermaid][notes]") {
    auto ev = [](std::uint64_t seq, const char* kind, const char* host) {
        trace::Event e(kind, host);
        e.seq = seq;
        return e;
    };
    std::vector<trace::Event> v;
    v.push_back(ev(0, "spool", "mx.a.example"));
    v.back().set("ev", "enqueued").set("queue_id", "AB12").set("from", "alice@a.example").set("to", "bob@b.example");
    v.push_back(ev(1, "spool", "mx.a.example"));
    v.back().set("ev", "deferred").set("queue_id", "AB12").set("to", "bob@b.example").set("error", "timed out");
    v.push_back(ev(2, "mailbox", "mx.b.example"));
    v.back().set("ev", "stored").set("mailbox", "bob").set("uid", 1);
    v.push_back(ev(3, "ua", "pc.alice"));
    v.back().set("ev", "error").set("text", "server unreachable");
    v.push_back(ev(4, "fault", ""));
    v.back().set("ev", "begin").set("fault", "port-closed").set("target", "mx.b.example:25");
    v.push_back(ev(5, "host", "mx.b.example"));
    v.back().set("ev", "down");
    const std::string d = export_mermaid(v);
    CHECK(has_line(d, "    Note over h_mx_a_example: spool AB12 enqueued from #60;alice@a.example#62; to bob@b.example"));
    CHECK(has_line(d, "    Note over h_mx_a_example: spool AB12 deferred bob@b.example: timed out"));
    CHECK(has_line(d, "    Note over h_mx_b_example: mailbox bob: stored uid 1"));
    CHECK(has_line(d, "    Note over h_pc_alice: user agent error: server unreachable"));
    CHECK(has_line(d, "    Note over h_mx_b_example: FAULT begin: port-closed mx.b.example:25"));
    CHECK(has_line(d, "    Note over h_mx_b_example: host down (crash)"));
}
