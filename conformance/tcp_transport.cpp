// tcp_transport.cpp — blocking-with-deadline TCP streams over Boost.Asio:
// each operation is started asynchronously and the io_context is run for at
// most the timeout; an operation still pending then is cancelled.
#include "conformance/tcp_transport.hpp"

#include <array>
#include <chrono>
#include <thread>

#include "wire/asio.hpp"

namespace postino::conformance {
namespace {

namespace asio = wire::asio;
using wire::tcp;

std::int64_t steady_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::chrono::nanoseconds to_chrono(Duration d) { return std::chrono::nanoseconds(d.ns()); }

// Octets read per call (a bound of ours; the runner's readers bound the totals).
constexpr std::size_t kReadChunk = 16 * 1024;
// A write that does not complete in this time fails (RFC 5321 §4.5.3.2.5 gives a data block 3 minutes; ours is shorter).
constexpr Duration kWriteTimeout = seconds(30);

class TcpStream final : public Stream {
public:
    TcpStream(std::string peer) : peer_(std::move(peer)) {}

    Status open(const TcpEndpoint& e, Duration timeout) {
        boost::system::error_code ec;
        tcp::resolver resolver(io_);
        auto results = resolver.resolve(e.host, std::to_string(e.port), ec);
        if (ec) return Error{"cannot resolve host: " + ec.message(), peer_};
        bool done = false;
        asio::async_connect(socket_, results, [&](const boost::system::error_code& err, const tcp::endpoint&) {
            ec = err;
            done = true;
        });
        if (!run(done, timeout)) return Error{"no answer to the connection attempt within " + format_duration(timeout), peer_};
        if (ec) return Error{"cannot connect: " + ec.message(), peer_};
        socket_.set_option(tcp::no_delay(true), ec);
        return {};
    }

    Status send(std::string_view bytes) override {
        if (closed_) return Error{"the connection is closed", peer_};
        boost::system::error_code ec;
        bool done = false;
        asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()),
                          [&](const boost::system::error_code& err, std::size_t) {
                              ec = err;
                              done = true;
                          });
        if (!run(done, kWriteTimeout)) return Error{"the server does not read (write timed out)", peer_};
        if (ec) return Error{"write failed: " + ec.message(), peer_};
        return {};
    }

    ReadResult read(Duration timeout) override {
        ReadResult r;
        if (closed_) {
            r.closed = true;
            return r;
        }
        std::array<char, kReadChunk> buf{};
        boost::system::error_code ec;
        std::size_t n = 0;
        bool done = false;
        socket_.async_read_some(asio::buffer(buf), [&](const boost::system::error_code& err, std::size_t got) {
            ec = err;
            n = got;
            done = true;
        });
        const bool completed = run(done, timeout);
        r.data.assign(buf.data(), n);
        if (!completed) return r;
        if (ec == asio::error::eof) {
            r.closed = closed_ = true;
        } else if (ec) {
            r.closed = closed_ = true;
            r.error = ec.message();
        }
        return r;
    }

    void pause(Duration d) override { std::this_thread::sleep_for(to_chrono(d)); }

    void close() override {
        boost::system::error_code ec;
        socket_.shutdown(tcp::socket::shutdown_both, ec);
        socket_.close(ec);
        closed_ = true;
    }

    [[nodiscard]] std::string peer() const override { return peer_; }

private:
    // Runs the io_context until `done` or the timeout; false on timeout
    // (the operation was cancelled and has finished).
    bool run(bool& done, Duration timeout) {
        io_.restart();
        io_.run_for(to_chrono(timeout));
        if (done) return true;
        boost::system::error_code ec;
        socket_.cancel(ec);
        io_.restart();
        io_.run();
        return false;
    }

    asio::io_context io_;
    tcp::socket socket_{io_};
    std::string peer_;
    bool closed_ = false;
};

}  // namespace

TcpTransport::TcpTransport(Duration connect_timeout) : connect_timeout_(connect_timeout), start_ns_(steady_ns()) {}

Time TcpTransport::now() const { return Duration::from_ns(steady_ns() - start_ns_); }

Result<std::unique_ptr<Stream>> TcpTransport::connect(Protocol p) {
    auto it = endpoints_.find(p);
    if (it == endpoints_.end()) return Error{std::string("no ") + to_string(p) + " endpoint given", ""};
    auto s = std::make_unique<TcpStream>(it->second.host + ":" + std::to_string(it->second.port));
    if (Status st = s->open(it->second, connect_timeout_); !st) return st.error();
    return std::unique_ptr<Stream>(std::move(s));
}

}  // namespace postino::conformance
