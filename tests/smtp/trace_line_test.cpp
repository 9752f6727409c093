// trace_line_test.cpp — SMTP engine events as "line" trace events
// (docs/trace-format.md), valid against the trace schema.
#include <catch2/catch.hpp>

#include "core/trace_schema.hpp"
#include "proto/smtp/trace_line.hpp"

using namespace postino;
using namespace postino::smtp;

TEST_CASE("trace: a command line received by a server", "[smtp][trace]") {
    const Event ev = CommandEvent{"MAIL", "FROM:<a@b>", "MAIL FROM:<a@b>\r\n", 17};
    const auto out = trace_events(ev, Role::Server, "mx.b.example", "mx.a.example", 7);
    REQUIRE(out.size() == 1);
    const trace::Event& e = out[0];
    CHECK(trace::validate(e).empty());
    CHECK(e.kind == "line");
    CHECK(e.host == "mx.b.example");
    CHECK(e.peer == "mx.a.example");
    CHECK(e.conn == 7);
    CHECK(e.get_str("proto") == "smtp");
    CHECK(e.get_str("dir") == "recv");
    CHECK(e.get_bytes("bytes") == "MAIL FROM:<a@b>\r\n");
    CHECK(e.get_str("verb") == "MAIL");
    CHECK_FALSE(e.get_int("code").has_value());
    // The client sends the same line.
    CHECK(trace_events(ev, Role::Client, "c", "s", 1)[0].get_str("dir") == "send");
}

TEST_CASE("trace: a multiline reply is one event per line, each with its code", "[smtp][trace]") {
    Reply r;
    r.code = 250;
    r.enhanced = "2.0.0";
    r.lines = {"a", "b"};
    const Event ev = ReplyEvent{r, format_reply(r)};
    const auto out = trace_events(ev, Role::Server, "s", "c", 1);
    REQUIRE(out.size() == 2);
    CHECK(out[0].get_bytes("bytes") == "250-2.0.0 a\r\n");
    CHECK(out[1].get_bytes("bytes") == "250 2.0.0 b\r\n");
    for (const auto& e : out) {
        CHECK(trace::validate(e).empty());
        CHECK(e.get_str("dir") == "send");
        CHECK(e.get_int("code") == 250);
        CHECK(e.get_str("enhanced") == "2.0.0");
    }
    CHECK(trace_events(ev, Role::Client, "c", "s", 1)[1].get_str("dir") == "recv");
}

TEST_CASE("trace: content, violations and events that are not on the wire", "[smtp][trace]") {
    const auto data = trace_events(DataEvent{"hi\r\n.\r\n"}, Role::Server, "s", "c", 1);
    REQUIRE(data.size() == 1);
    CHECK(data[0].get_bytes("bytes") == "hi\r\n.\r\n");
    CHECK(data[0].get_str("verb").empty());
    CHECK(trace::validate(data[0]).empty());
    const auto note = trace_events(ViolationEvent{"bare LF", "RFC 5321 §2.3.8"}, Role::Server, "s", "c", 1);
    REQUIRE(note.size() == 1);
    CHECK(note[0].kind == "note");
    CHECK(note[0].get_str("text") == "RFC 5321 §2.3.8: bare LF");
    CHECK(trace::validate(note[0]).empty());
    CHECK(trace_events(CloseEvent{}, Role::Server, "s", "c", 1).empty());
    CHECK(trace_events(MessageEvent{}, Role::Server, "s", "c", 1).empty());
    const auto l = line_event("h", "p", 3, Direction::Send, "x\r\n", {"", 221, "2.0.0"});
    CHECK(l.get_int("code") == 221);
}
