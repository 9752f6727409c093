// hostile_server_test.cpp — the runner over real TCP against servers that
// misbehave: an endless line, a silent server, a huge IMAP literal, a
// connection closed at once, and around STARTTLS plaintext after the
// go-ahead, garbage or silence instead of a TLS handshake. Each gives ERROR
// (or FAIL) with its reason, never a hang, and the next check still runs.
#include <catch2/catch.hpp>

#include <atomic>
#include <functional>
#include <thread>

#include "conformance/runner.hpp"
#include "conformance/suite_loader.hpp"
#include "conformance/tcp_transport.hpp"
#include "wire/asio.hpp"

using namespace postino;
using namespace postino::conformance;
namespace asio = postino::wire::asio;
using postino::wire::tcp;

namespace {

// Serves connection i with behaviours[i] (the last one for any later connection).
class ScriptServer {
public:
    using Behaviour = std::function<void(tcp::socket&)>;
    explicit ScriptServer(std::vector<Behaviour> b) : behaviours_(std::move(b)) {
        acceptor_.open(tcp::v4());
        acceptor_.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        acceptor_.listen();
        port_ = acceptor_.local_endpoint().port();
        thread_ = std::thread([this] { serve(); });
    }
    ~ScriptServer() {
        stop_ = true;
        boost::system::error_code ec;
        // Wake the accept with a connection of our own.
        tcp::socket s(io_);
        s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
        thread_.join();
    }
    [[nodiscard]] std::uint16_t port() const { return port_; }

private:
    void serve() {
        std::size_t i = 0;
        std::vector<std::unique_ptr<tcp::socket>> keep;  // held open until the end
        while (!stop_) {
            auto s = std::make_unique<tcp::socket>(io_);
            boost::system::error_code ec;
            acceptor_.accept(*s, ec);
            if (ec || stop_) break;
            const Behaviour& b = behaviours_[std::min(i++, behaviours_.size() - 1)];
            b(*s);
            keep.push_back(std::move(s));
        }
    }

    asio::io_context io_;
    tcp::acceptor acceptor_{io_};
    std::vector<Behaviour> behaviours_;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

void write(tcp::socket& s, std::string_view text) {
    boost::system::error_code ec;
    asio::write(s, asio::buffer(text.data(), text.size()), ec);
}

// A minimal well-behaved SMTP greeting + NOOP answer, for the "next check" half.
void good_smtp(tcp::socket& s) {
    write(s, "220 ok ESMTP\r\n");
    std::array<char, 256> buf{};
    boost::system::error_code ec;
    s.read_some(asio::buffer(buf), ec);
    write(s, "250 2.0.0 Ok\r\n");
}

SuiteResult run(const std::string& yaml, std::uint16_t port, Protocol p) {
    auto suite = load_suite_text(yaml, "hostile.yaml");
    INFO((suite.ok() ? std::string() : suite.error().message()));
    REQUIRE(suite.ok());
    TcpTransport t(seconds(2));
    t.set_endpoint(p, {"127.0.0.1", port});
    RunOptions o;
    o.timeout = milliseconds(300);
    return run_suite(*suite, t, o, nullptr);
}

const char* kTwoSmtpChecks =
    "suite: h\nprotocol: smtp\nchecks:\n"
    "  - {id: A.first, title: first, ref: x, steps: [{expect: {code: 220}}, {send: NOOP}, {expect: {code: 250}}]}\n"
    "  - {id: B.second, title: second, ref: x, steps: [{expect: {code: 220}}, {send: NOOP}, {expect: {code: 250}}]}\n";

}  // namespace

TEST_CASE("hostile server: an endless line gives ERROR, and the next check runs") {
    ScriptServer srv({[](tcp::socket& s) { write(s, "220 " + std::string(200 * 1024, 'x')); }, good_smtp});
    const SuiteResult r = run(kTwoSmtpChecks, srv.port(), Protocol::Smtp);
    REQUIRE(r.results.size() == 2);
    CHECK(r.results[0].verdict == Verdict::Error);
    CHECK(r.results[0].reason.find("longer than 65536 octets") != std::string::npos);
    CHECK(r.results[1].verdict == Verdict::Pass);
}

TEST_CASE("hostile server: a silent server gives ERROR after the timeout") {
    ScriptServer srv({[](tcp::socket&) {}, good_smtp});
    const SuiteResult r = run(kTwoSmtpChecks, srv.port(), Protocol::Smtp);
    REQUIRE(r.results.size() == 2);
    CHECK(r.results[0].verdict == Verdict::Error);
    CHECK(r.results[0].reason.find("no complete reply within the timeout") != std::string::npos);
    CHECK(r.results[1].verdict == Verdict::Pass);
}

TEST_CASE("hostile server: garbage instead of a reply fails the check with the line quoted") {
    ScriptServer srv({[](tcp::socket& s) { write(s, std::string("\x01\xff garbage\r\n", 12)); }, good_smtp});
    const SuiteResult r = run(kTwoSmtpChecks, srv.port(), Protocol::Smtp);
    REQUIRE(r.results.size() == 2);
    CHECK(r.results[0].verdict == Verdict::Fail);
    CHECK(r.results[0].reason.find("is not 'ddd text'") != std::string::npos);
    CHECK(r.results[1].verdict == Verdict::Pass);
}

TEST_CASE("hostile server: a connection closed at once fails a MUST check, not a hang") {
    ScriptServer srv({[](tcp::socket& s) { s.close(); }, good_smtp});
    const SuiteResult r = run(kTwoSmtpChecks, srv.port(), Protocol::Smtp);
    REQUIRE(r.results.size() == 2);
    CHECK(r.results[0].verdict == Verdict::Fail);
    CHECK(r.results[0].reason.find("closed the connection without a reply") != std::string::npos);
    CHECK(r.results[1].verdict == Verdict::Pass);
}

TEST_CASE("hostile server: a huge IMAP literal gives ERROR, and the next check runs") {
    auto huge = [](tcp::socket& s) {
        write(s, "* OK ready\r\n");
        std::array<char, 256> buf{};
        boost::system::error_code ec;
        s.read_some(asio::buffer(buf), ec);
        write(s, "* 1 FETCH (BODY[] {999999999999}\r\nxxxx");
    };
    auto fine = [](tcp::socket& s) {
        write(s, "* OK ready\r\n");
        std::array<char, 256> buf{};
        boost::system::error_code ec;
        s.read_some(asio::buffer(buf), ec);
        write(s, "* 1 FETCH (BODY[] {5}\r\nhello)\r\na1 OK done\r\n");
    };
    const char* yaml =
        "suite: h\nprotocol: imap\nchecks:\n"
        "  - {id: A.huge, title: t, ref: x, steps: [{expect: {status: OK}}, {send: 'a1 FETCH 1 BODY[]'}, {expect: {tag: a1, status: OK}}]}\n"
        "  - {id: B.fine, title: t, ref: x, steps: [{expect: {status: OK}}, {send: 'a1 FETCH 1 BODY[]'}, "
        "{expect: {tag: a1, status: OK, must: 'FETCH \\(BODY\\[\\] \\{5\\}hello\\)$', body: '^hello$'}}]}\n";
    ScriptServer srv({huge, fine});
    const SuiteResult r = run(yaml, srv.port(), Protocol::Imap);
    REQUIRE(r.results.size() == 2);
    CHECK(r.results[0].verdict == Verdict::Error);
    CHECK(r.results[0].reason.find("literal of 999999999999 octets") != std::string::npos);
    INFO(r.results[1].reason);
    CHECK(r.results[1].verdict == Verdict::Pass);
}

namespace {

// 220, then "220" to whatever comes (STARTTLS), then `after` (a string written right behind it).
ScriptServer::Behaviour starttls_then(std::string after, bool close) {
    return [after = std::move(after), close](tcp::socket& s) {
        write(s, "220 ok ESMTP\r\n");
        std::array<char, 256> buf{};
        boost::system::error_code ec;
        s.read_some(asio::buffer(buf), ec);
        write(s, "220 2.0.0 go ahead\r\n" + after);
        if (close) {
            s.read_some(asio::buffer(buf), ec);  // the ClientHello
            write(s, "this is not TLS\r\n");
            s.close(ec);
        }
    };
}

std::string tls_suite(const char* starttls_step) {
    return std::string("suite: h\nprotocol: smtp\nchecks:\n"
                       "  - {id: A.tls, title: t, ref: x, steps: [{expect: {code: 220}}, {send: STARTTLS}, {expect: {code: 220}}, ") +
           starttls_step + ", {send: NOOP}, {expect: {code: 250}}]}\n"
                           "  - {id: B.second, title: second, ref: x, steps: [{expect: {code: 220}}, {send: NOOP}, {expect: {code: 250}}]}\n";
}

}  // namespace

TEST_CASE("hostile server: plaintext right after the go-ahead to STARTTLS fails the starttls step") {
    ScriptServer srv({starttls_then("250 2.0.0 injected\r\n", false), good_smtp});
    const SuiteResult r = run(tls_suite("{starttls: true}"), srv.port(), Protocol::Smtp);
    REQUIRE(r.results.size() == 2);
    CHECK(r.results[0].verdict == Verdict::Fail);
    CHECK(r.results[0].reason.find("'250 2.0.0 injected\\r\\n' in plaintext after its go-ahead") != std::string::npos);
    CHECK(r.results[1].verdict == Verdict::Pass);
}

TEST_CASE("hostile server: garbage instead of a TLS handshake gives ERROR, or the step's POLICY") {
    for (const bool policy : {false, true}) {
        ScriptServer srv({starttls_then("", true), good_smtp});
        const SuiteResult r =
            run(tls_suite(policy ? "{starttls: {policy-failed: it closed}}" : "{starttls: true}"), srv.port(), Protocol::Smtp);
        REQUIRE(r.results.size() == 2);
        INFO(r.results[0].reason);
        CHECK(r.results[0].verdict == (policy ? Verdict::Policy : Verdict::Error));
        CHECK(r.results[0].reason.find("TLS handshake failed") != std::string::npos);
        CHECK(r.results[1].verdict == Verdict::Pass);
    }
}

TEST_CASE("hostile server: a server silent after its go-ahead gives ERROR after the timeout, not a hang") {
    ScriptServer srv({starttls_then("", false), good_smtp});
    const SuiteResult r = run(tls_suite("{starttls: true}"), srv.port(), Protocol::Smtp);
    REQUIRE(r.results.size() == 2);
    CHECK(r.results[0].verdict == Verdict::Error);
    CHECK(r.results[0].reason.find("no TLS handshake within 2s") != std::string::npos);
    CHECK(r.results[1].verdict == Verdict::Pass);
}
