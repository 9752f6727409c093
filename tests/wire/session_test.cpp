// session_test.cpp — the coroutine transport adapter (sim/wire/session.hpp)
// drives the real SMTP server engine over a loopback socket: replies come
// back in order, the engine's deadline becomes a timer (421 on idle), and a
// stop request is answered with 421 (RFC 5321 §3.8, §4.5.3.2.7).
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "proto/smtp/server_engine.hpp"
#include "wire/session.hpp"

using namespace postino;
using namespace postino::wire;

namespace {

struct Harness {
    asio::io_context io;
    tcp::acceptor acc{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    WallClock clock;
    std::shared_ptr<smtp::AcceptAllPolicy> policy = std::make_shared<smtp::AcceptAllPolicy>();
    std::shared_ptr<Session<smtp::ServerEngine>> session;
    std::thread thread;
    bool ended = false;

    explicit Harness(smtp::ServerConfig cfg) {
        acc.async_accept([this, cfg](const boost::system::error_code& ec, tcp::socket s) {
            if (ec) return;
            Session<smtp::ServerEngine>::Hooks hooks;
            hooks.on_stop = [](smtp::ServerEngine& e, Time now) { e.handle_shutdown(now); };
            hooks.on_end = [this] { ended = true; };
            session = std::make_shared<Session<smtp::ServerEngine>>(
                std::move(s), policy, std::make_unique<smtp::ServerEngine>(cfg, *policy), clock, std::move(hooks));
            asio::co_spawn(io, session->run(), [](std::exception_ptr e) {
                if (e) std::rethrow_exception(e);
            });
        });
        thread = std::thread([this] { io.run(); });
    }
    ~Harness() {
        io.stop();
        thread.join();
    }
    std::uint16_t port() const { return acc.local_endpoint().port(); }
};

// Reads until `until` has arrived (or the peer closed); returns everything read.
std::string read_until(tcp::socket& s, const std::string& until) {
    std::string got;
    char buf[4096];
    while (got.find(until) == std::string::npos) {
        boost::system::error_code ec;
        const std::size_t n = s.read_some(asio::buffer(buf), ec);
        if (ec) break;
        got.append(buf, n);
    }
    return got;
}

tcp::socket connect(asio::io_context& io, std::uint16_t port) {
    tcp::socket s(io);
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    return s;
}

}  // namespace

TEST_CASE("a pipelined SMTP transaction over a real socket gets every reply in order") {
    Harness h(smtp::ServerConfig{});
    asio::io_context cio;
    tcp::socket s = connect(cio, h.port());
    CHECK(read_until(s, "\r\n").rfind("220 ", 0) == 0);
    asio::write(s, asio::buffer(std::string("EHLO c.example\r\n")));
    CHECK(read_until(s, "250 ").find("PIPELINING") != std::string::npos);
    asio::write(s, asio::buffer(std::string("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n")));
    const std::string r = read_until(s, "354 ");
    CHECK(r.find("250 2.1.0") != std::string::npos);
    CHECK(r.find("250 2.1.5") != std::string::npos);
    asio::write(s, asio::buffer(std::string("Subject: t\r\n\r\nhello\r\n.\r\nQUIT\r\n")));
    const std::string end = read_until(s, "221 ");
    CHECK(end.find("queued as Q1") != std::string::npos);
    CHECK(end.find("221 ") != std::string::npos);
    // The server closes after 221: the next read sees end of file.
    char c;
    boost::system::error_code ec;
    s.read_some(asio::buffer(&c, 1), ec);
    CHECK(ec == asio::error::eof);
}

TEST_CASE("the engine's idle deadline becomes a timer: 421 to a client that never sends") {
    smtp::ServerConfig cfg;
    cfg.timeout = milliseconds(300);
    Harness h(cfg);
    asio::io_context cio;
    tcp::socket s = connect(cio, h.port());
    const auto t0 = std::chrono::steady_clock::now();
    const std::string got = read_until(s, "421 ");
    const auto waited = std::chrono::steady_clock::now() - t0;
    CHECK(got.find("421 4.4.2") != std::string::npos);
    CHECK(waited >= std::chrono::milliseconds(250));
    CHECK(waited < std::chrono::seconds(5));
}

TEST_CASE("a stop request is answered with 421 and the session ends") {
    Harness h(smtp::ServerConfig{});
    asio::io_context cio;
    tcp::socket s = connect(cio, h.port());
    CHECK(read_until(s, "\r\n").rfind("220 ", 0) == 0);
    asio::post(h.io, [&h] { h.session->request_stop(); });
    const std::string got = read_until(s, "421 ");
    CHECK(got.find("421 ") != std::string::npos);
    char c;
    boost::system::error_code ec;
    s.read_some(asio::buffer(&c, 1), ec);
    CHECK(ec == asio::error::eof);
}
