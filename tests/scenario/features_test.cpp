// features_test.cpp — the scenario features behind the newer library
// scenarios: connection drops at each protocol stage, slow replies, raw and
// verbatim sends, attachments and MIME-part expectations, `after`, `lacks`,
// and the message-boundaries invariant with declared breaks
// (docs/scenario-format.md). Each test also shows the check can fail.
#include <catch2/catch.hpp>

#include "scenario/loader.hpp"
#include "scenario/runner.hpp"

using namespace postino;
using namespace postino::scenario;

namespace {

const std::string kWorld = R"(
profile: classroom
hosts:
  - {name: pc.alice, role: user-agent, user: alice@a.example, submit-to: mx.a.example}
  - {name: mx.a.example, role: mta, domains: [a.example], mailboxes: [alice], delay-warning: 1h}
  - {name: mx.b.example, role: mta, domains: [b.example], mailboxes: [bob]}
dns:
  b.example: {mx: ["10 mx.b.example"]}
)";

const std::string kSmugglers = R"(
profile: classroom
hosts:
  - {name: pc.mallory, role: user-agent, user: mallory@evil.example, submit-to: mx.b.example, submit-port: 25}
actions:
  - {at: 1s, on: pc.mallory, send: {to: bob@b.example, raw-file: files/smuggling-attack.smtp, verbatim: true}}
)";

struct Run {
    Scenario scenario;
    RunResult result;
    std::vector<trace::Event> events;
    [[nodiscard]] const ExpectationResult& expectation(std::size_t i) const { return result.expectations.at(i); }
};

// Loads as if the file were in scenarios/ (so files/... resolves) and runs.
Run run(const std::string& yaml) {
    auto s = load_scenario_text(yaml, std::string(POSTINO_SOURCE_DIR) + "/scenarios/inline.yaml");
    if (!s) FAIL(s.error().message());
    Run r{*s, {}, {}};
    trace::MemorySink mem;
    RunOptions opt;
    opt.sinks.push_back(&mem);
    r.result = run_scenario(r.scenario, opt);
    r.events = std::move(mem.events);
    return r;
}

int count(const std::vector<trace::Event>& ev, const std::string& kind, const std::string& host, const std::string& what) {
    int n = 0;
    for (const auto& e : ev) n += e.kind == kind && e.host == host && e.get_str("ev") == what ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("a connection dropped at each protocol stage is retried and delivered once", "[scenario][faults]") {
    for (const char* stage : {"greeting", "mail", "rcpt", "mid-data"}) {
        INFO(stage);
        const Run r = run("name: drop\n" + kWorld + "faults:\n  - {drop-connection: mx.b.example, stage: " + stage +
                          ", times: 1}\nactions:\n  - {at: 1s, on: pc.alice, send: {to: bob@b.example, subject: s, body: "
                          "\"one\\ntwo\\nthree\\nfour\\nfive\"}}\nexpect:\n  - {deferred: {to: bob@b.example, exactly: 1}}\n"
                          "  - {delivered: {to: bob@b.example, count: 1}}\n  - {duplicates: {exactly: 0}}\n");
        for (const auto& e : r.result.expectations) {
            INFO(e.expected << " / " << e.happened);
            CHECK(e.passed);
        }
        CHECK(r.result.conservation.ok());
        // The receiver took responsibility only once: the cut message never reached its spool.
        CHECK(count(r.events, "spool", "mx.b.example", "enqueued") == 1);
    }
}

TEST_CASE("mid-data: the server reads only part of the content and never replies to it", "[scenario][faults]") {
    const Run r = run("name: mid\n" + kWorld + R"(faults:
  - {drop-connection: mx.b.example, stage: mid-data, times: 1}
actions:
  - {at: 1s, on: pc.alice, send: {to: bob@b.example, subject: s, body: "a body of some length"}}
)");
    std::size_t sent = 0, read_first = 0;
    std::uint64_t conn = 0;
    for (const auto& e : r.events) {
        if (e.kind != "line" || e.get_str("verb") != "DATA-CONTENT") continue;
        if (e.host == "mx.a.example" && e.get_str("dir") == "send" && conn == 0) {
            conn = e.conn;
            sent = e.get_bytes("bytes").size();
        } else if (e.host == "mx.b.example" && e.conn == conn) {
            read_first += e.get_bytes("bytes").size();
        }
    }
    CHECK(sent > 0);
    CHECK(read_first == sent / 2);
    int queued = 0;  // 250 replies to a message on the cut connection
    for (const auto& e : r.events) {
        if (e.kind == "line" && e.conn == conn && e.host == "mx.b.example" && e.get_str("dir") == "send") {
            queued += e.get_bytes("bytes").find("queued as") != std::string::npos ? 1 : 0;
        }
    }
    CHECK(queued == 0);
    CHECK(count(r.events, "spool", "mx.b.example", "enqueued") == 1);  // only the retry's copy
}

TEST_CASE("slow replies leave late and in order, a late greeting makes the client give up", "[scenario][faults]") {
    const Run every = run("name: slow\n" + kWorld + R"(faults:
  - {at: 0s, for: 1m, slow-reply: mx.b.example, delay: 2s}
actions:
  - {at: 1s, on: pc.alice, send: {to: bob@b.example, subject: s, body: b}}
expect:
  - {delivered: {to: bob@b.example, count: 1}}
  - {deferred: {exactly: 0}}
)");
    CHECK(every.result.ok());
    // What the client reads is what the server wrote, in the same order, each at least 2 s later.
    std::vector<std::pair<std::string, Time>> wrote, read;
    for (const auto& e : every.events) {
        if (e.kind != "line" || !e.get_int("code")) continue;
        if (e.host == "mx.b.example") wrote.emplace_back(e.get_bytes("bytes"), e.t);
        if (e.host == "mx.a.example" && e.peer == "mx.b.example") read.emplace_back(e.get_bytes("bytes"), e.t);
    }
    REQUIRE(wrote.size() == read.size());
    REQUIRE(wrote.size() >= 5);
    for (std::size_t i = 0; i < wrote.size(); ++i) {
        CHECK(wrote[i].first == read[i].first);
        CHECK(read[i].second - wrote[i].second >= seconds(2));
    }

    const Run greeting = run("name: tarpit\n" + kWorld + R"(faults:
  - {slow-reply: mx.b.example, command: CONNECT, delay: 6m, times: 1}
actions:
  - {at: 1s, on: pc.alice, send: {to: bob@b.example, subject: s, body: b}}
expect:
  - {deferred: {to: bob@b.example, exactly: 1}}
  - {delivered: {to: bob@b.example, count: 1, after: 5m}}
)");
    CHECK(greeting.result.ok());
    bool timed_out = false;
    for (const auto& e : greeting.events) {
        timed_out = timed_out || (e.kind == "spool" && e.get_str("ev") == "deferred" &&
                                  e.get_str("error").find("timeout at greeting") != std::string::npos);
    }
    CHECK(timed_out);
}

TEST_CASE("a raw message is sent as written but still normalized, verbatim octets are not", "[scenario][send]") {
    const Run r = run("name: raw\n" + kWorld + R"(actions:
  - {at: 1s, on: pc.alice, send: {to: bob@b.example, raw: "Subject: by hand\nMessage-ID: <hand-1@a.example>\n\n.starts with a dot\nend"}}
expect:
  - {mailbox: {to: bob@b.example, count: 1, contains: "Subject: by hand\r\nMessage-ID: <hand-1@a.example>\r\n\r\n.starts with a dot\r\nend\r\n"}}
  - trace-contains: "\r\n..starts with a dot\r\n"
)");
    for (const auto& e : r.result.expectations) {
        INFO(e.expected << " / " << e.happened);
        CHECK(e.passed);
    }
    bool traced_id = false;
    for (const auto& e : r.events) traced_id = traced_id || (e.kind == "message" && e.get_str("id") == "<hand-1@a.example>");
    CHECK(traced_id);

    // The strict server reads exactly the octets of the attack file.
    const Run v = run("name: verbatim\n" + kSmugglers.substr(0, kSmugglers.find("actions:")) +
                      "  - {name: mx.b.example, role: mta, domains: [b.example], mailboxes: [bob]}\n" +
                      kSmugglers.substr(kSmugglers.find("actions:")));
    std::string read;
    for (const auto& e : v.events) {
        if (e.kind == "line" && e.host == "mx.b.example" && e.get_str("verb") == "DATA-CONTENT") read += e.get_bytes("bytes");
    }
    REQUIRE(v.scenario.actions.at(0).send.raw.has_value());
    CHECK(read == *v.scenario.actions.at(0).send.raw);
    CHECK(read.find("\n.\nMAIL FROM:<ceo@b.example>\r\n") != std::string::npos);
}

TEST_CASE("smuggling breaks message-boundaries: undeclared it fails the run, declared it passes, declared in vain it fails",
          "[scenario][invariants]") {
    const std::string lenient = kSmugglers.substr(0, kSmugglers.find("actions:")) +
                                "  - {name: mx.b.example, role: mta, domains: [b.example], mailboxes: [bob], leniencies: [lf-ends-data]}\n" +
                                kSmugglers.substr(kSmugglers.find("actions:"));
    const Run undeclared = run("name: smuggle\n" + lenient);
    CHECK_FALSE(undeclared.result.ok());
    REQUIRE(undeclared.result.conservation.violations.size() == 1);
    const auto& v = undeclared.result.conservation.violations[0];
    CHECK(v.host == "mx.b.example");
    CHECK(v.reason.find("<smuggled-1@b.example>") != std::string::npos);
    CHECK(v.reason.find("\"MAIL FROM:<ceo@b.example>\"") != std::string::npos);
    // The queue id named is the one of the smuggled message, the second one enqueued.
    std::vector<std::string> enqueued;
    for (const auto& e : undeclared.events) {
        if (e.kind == "spool" && e.get_str("ev") == "enqueued") enqueued.push_back(e.get_str("queue_id"));
    }
    REQUIRE(enqueued.size() == 2);
    CHECK(v.queue_id == enqueued[1]);

    const std::string declare =
        "expect:\n  - {breaks: {invariant: message-boundaries, on: mx.b.example, reason: the lesson}}\n";
    const Run declared = run("name: smuggle\n" + lenient + declare);
    CHECK(declared.result.ok());
    CHECK(declared.result.conservation.violations.empty());
    REQUIRE(declared.result.conservation.declared.size() == 1);
    CHECK(declared.result.conservation.summary().find("BROKEN ON PURPOSE: mx.b.example [" + enqueued[1] + "]") !=
          std::string::npos);
    REQUIRE(declared.result.expectations.size() == 1);
    CHECK(declared.result.expectations[0].spec == &declared.scenario.expects[0]);

    const std::string strict = kSmugglers.substr(0, kSmugglers.find("actions:")) +
                               "  - {name: mx.b.example, role: mta, domains: [b.example], mailboxes: [bob]}\n" +
                               kSmugglers.substr(kSmugglers.find("actions:"));
    const Run in_vain = run("name: strict\n" + strict + declare);
    CHECK_FALSE(in_vain.result.ok());
    REQUIRE(in_vain.result.expectations.size() == 1);
    CHECK_FALSE(in_vain.expectation(0).passed);
    CHECK(in_vain.expectation(0).happened.find("the invariant held") != std::string::npos);

    // Declared on another host: the violation stays undeclared.
    const Run elsewhere = run("name: smuggle\n" + lenient +
                              "expect:\n  - {breaks: {invariant: message-boundaries, on: pc.mallory, reason: x}}\n");
    CHECK(elsewhere.result.conservation.violations.size() == 1);
    CHECK_FALSE(elsewhere.result.ok());
}

TEST_CASE("mailbox expectations read the stored messages: part, contains, lacks, delivered after", "[scenario][expect]") {
    const std::string send = R"(actions:
  - at: 1s
    on: pc.alice
    send:
      to: bob@b.example
      subject: pic
      body: "ciao"
      attachments:
        - {file: files/stamp.png, type: image/png}
        - {content: "è\n", type: text/plain, name: accent.txt}
)";
    const Run r = run("name: parts\n" + kWorld + send + R"(expect:
  - {mailbox: {to: bob@b.example, part: {type: image/png, encoding: base64, filename: stamp.png}}}
  - {mailbox: {to: bob@b.example, part: {type: image/png, encoding: 7bit}}}
  - {mailbox: {to: bob@b.example, part: {filename: accent.txt, encoding: quoted-printable, decoded: "è\n"}}}
  - {mailbox: {to: bob@b.example, part: {filename: accent.txt, decoded: "e\n"}}}
  - {mailbox: {to: bob@b.example, lacks: "Content-Type: image/gif"}}
  - {mailbox: {to: bob@b.example, lacks: "Content-Type: image/png"}}
  - {mailbox: {to: alice@a.example, count: 0, contains: "ciao"}}
  - {delivered: {to: bob@b.example, after: 1s}}
  - {delivered: {to: bob@b.example, after: 1h}}
)");
    const std::vector<bool> want{true, false, true, false, true, false, false, true, false};
    REQUIRE(r.result.expectations.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO(i << ": " << r.expectation(i).expected << " / " << r.expectation(i).happened);
        CHECK(r.expectation(i).passed == want[i]);
    }
    CHECK(r.expectation(1).happened.find("image/png base64 stamp.png") != std::string::npos);
    // The trace holds the composed message at the user agent too; `contains`
    // reads only what was stored in that mailbox.
    CHECK(r.expectation(6).happened.find("none containing") != std::string::npos);
}

TEST_CASE("the other fault kinds act through the runner: insertion error, DNS faults, link change", "[scenario][faults]") {
    const std::string send = "actions:\n  - {at: 1s, on: pc.alice, send: {to: bob@b.example, subject: s, body: b}}\n";
    struct Case {
        const char* fault;
        const char* expect;
    };
    const std::vector<Case> cases{
        {"{at: 0s, for: 1m, insertion-error: bob@b.example}",
         "  - {deferred: {to: bob@b.example, at-least: 1}}\n  - {delivered: {to: bob@b.example, count: 1, after: 1m}}\n"
         "  - trace-contains: \"451 4.3.0\"\n"},
        {"{at: 0s, for: 1m, dns-servfail: b.example}",
         "  - {deferred: {to: bob@b.example, at-least: 1}}\n  - {delivered: {to: bob@b.example, count: 1, after: 1m}}\n"},
        {"{at: 0s, for: 1m, dns-timeout: b.example}",
         "  - {deferred: {to: bob@b.example, at-least: 1}}\n  - {delivered: {to: bob@b.example, count: 1, after: 1m}}\n"},
        {"{at: 0s, dns-nxdomain: b.example}",
         "  - {bounced: {to: alice@a.example}}\n  - {delivered: {to: bob@b.example, count: 0}}\n  - {deferred: {exactly: 0}}\n"},
        {"{at: 0s, link-change: mx.b.example, link: {latency: 2s}}",
         "  - {delivered: {to: bob@b.example, count: 1, after: 10s, within: 1m}}\n  - {deferred: {exactly: 0}}\n"},
    };
    for (const auto& c : cases) {
        INFO(c.fault);
        const Run r = run("name: kinds\n" + kWorld + send + "faults:\n  - " + c.fault + "\nexpect:\n" + c.expect);
        REQUIRE_FALSE(r.result.expectations.empty());
        for (const auto& e : r.result.expectations) {
            INFO(e.expected << " / " << e.happened);
            CHECK(e.passed);
        }
        INFO(r.result.conservation.summary());
        CHECK(r.result.conservation.ok());
    }
}

TEST_CASE("an IMAP move is not a delivery: conservation, delivered and folder expectations see the mailbox events", "[scenario][expect][imap]") {
    const std::string world = R"(
profile: classroom
hosts:
  - {name: pc.alice, role: user-agent, user: alice@a.example, submit-to: mx.a.example}
  - {name: pc.bob, role: user-agent, user: bob@b.example, submit-to: mx.b.example}
  - {name: mx.a.example, role: mta, domains: [a.example], mailboxes: [alice]}
  - {name: mx.b.example, role: mta, domains: [b.example], mailboxes: [{name: bob, password: secret}]}
dns:
  b.example: {mx: ["10 mx.b.example"]}
actions:
  - {at: 1s, on: pc.alice, send: {to: bob@b.example, subject: Uno, body: "primo"}}
  - {at: 1m, on: pc.bob, fetch: {protocol: imap, password: secret, read: text, move-to: Archive}}
)";
    const Run r = run("name: imap-move\n" + world + R"(expect:
  - {delivered: {to: bob@b.example, count: 1}}
  - {delivered: {to: bob@b.example, count: 2}}
  - {mailbox: {to: bob@b.example, count: 0}}
  - {mailbox: {to: bob@b.example, folder: Archive, count: 1}}
  - {mailbox: {to: bob@b.example, folder: Archive, count: 1, flags: "\\Seen"}}
  - {mailbox: {to: bob@b.example, folder: Archive, flags: [\Seen, \Flagged]}}
  - {mailbox: {to: bob@b.example, folder: Archive, count: 1, flags: [\Flagged]}}
  - {mailbox: {to: bob@b.example, count: 1}}
)");
    const std::vector<bool> want{true, false, true, true, true, false, false, false};
    REQUIRE(r.result.expectations.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO(i << ": " << r.expectation(i).expected << " / " << r.expectation(i).happened);
        CHECK(r.expectation(i).passed == want[i]);
    }
    CHECK(r.expectation(6).happened == "0 message(s) with those flags, of 1");
    // The trace has the IMAP store's changes: \Seen, the copy into Archive, the expunge from INBOX.
    CHECK(count(r.events, "mailbox", "mx.b.example", "stored") == 1);
    CHECK(count(r.events, "mailbox", "mx.b.example", "flags") == 1);
    CHECK(count(r.events, "mailbox", "mx.b.example", "copied") == 1);
    CHECK(count(r.events, "mailbox", "mx.b.example", "expunged") == 1);
    for (const auto& e : r.events) {
        if (e.kind != "mailbox" || e.get_str("ev") != "copied") continue;
        CHECK(e.get_str("folder") == "Archive");
        CHECK(e.get_str("from_folder") == "INBOX");
        CHECK(e.get_int("from_uid") == 1);
        CHECK(e.get_str("flags") == "\\Seen");
        CHECK(e.get_str("address") == "bob@b.example");
        CHECK(e.get_str("by") == "imap");
    }
    // Conservation counts the one delivery, no duplicate although the message is now in two places for a moment.
    CHECK(r.result.conservation.ok());
    CHECK(r.result.conservation.delivered == 1);
    CHECK(r.result.conservation.duplicates.empty());
}

TEST_CASE("folder expectations follow an IMAP RENAME and DELETE of the folder", "[scenario][expect][imap]") {
    const Run r = run(R"(name: imap-rename
profile: classroom
hosts:
  - {name: pc.alice, role: user-agent, user: alice@a.example, submit-to: mx.a.example}
  - {name: mx.a.example, role: mta, domains: [a.example], mailboxes: [alice]}
  - {name: mx.b.example, role: mta, domains: [b.example], mailboxes: [{name: bob, password: secret}]}
dns:
  b.example: {mx: ["10 mx.b.example"]}
actions:
  - {at: 1s, on: pc.alice, send: {to: bob@b.example, subject: Uno, body: "primo"}}
  - {at: 2s, on: pc.alice, send: {to: bob@b.example, subject: Due, body: "secondo"}}
expect:
  - {mailbox: {to: bob@b.example, count: 2}}
  - {mailbox: {to: bob@b.example, folder: Old, count: 2}}
  - {mailbox: {to: bob@b.example, folder: Old/Sub, count: 1}}
  - {mailbox: {to: bob@b.example, folder: Gone, count: 0}}
)");
    REQUIRE(r.result.expectations.size() == 4);
    CHECK(r.expectation(0).passed);
    CHECK_FALSE(r.expectation(1).passed);
    // What an IMAP client would add: RENAME INBOX Old (the messages move, INBOX stays
    // empty), a folder made, filled and deleted, and a COPY into a folder then renamed.
    std::vector<trace::Event> events = r.events;
    auto ev = [](const char* what, std::int64_t uid, const char* folder) {
        trace::Event e("mailbox", "mx.b.example");
        e.set("ev", what).set("mailbox", "bob").set("uid", uid).set("folder", folder);
        return e;
    };
    events.push_back(ev("folder-renamed", 0, "Old").set("from_folder", "INBOX").set("address", "bob@b.example"));
    events.push_back(ev("folder-created", 0, "Gone").set("address", "bob@b.example"));
    events.push_back(ev("copied", 1, "Gone").set("from_folder", "Old").set("from_uid", 1).set("address", "bob@b.example"));
    events.push_back(ev("folder-deleted", 0, "Gone").set("messages", 1).set("address", "bob@b.example"));
    events.push_back(ev("folder-created", 0, "Tmp").set("address", "bob@b.example"));
    events.push_back(ev("copied", 1, "Tmp").set("from_folder", "Old").set("from_uid", 2).set("address", "bob@b.example"));
    events.push_back(ev("folder-renamed", 0, "Old/Sub").set("from_folder", "Tmp").set("address", "bob@b.example"));
    const auto after = check_expectations(r.scenario, events);
    REQUIRE(after.size() == 4);
    CHECK_FALSE(after[0].passed);  // INBOX is empty after RENAME INBOX
    CHECK(after[0].happened == "0 message(s)");
    CHECK(after[1].passed);        // Old holds what INBOX held
    CHECK(after[2].passed);        // Tmp's copy went with the rename
    CHECK(after[3].passed);        // DELETE took Gone's message with it
}
