// tcp_transport.cpp — blocking-with-deadline TCP streams over Boost.Asio:
// each operation is started asynchronously and the io_context is run for at
// most the timeout; an operation still pending then is cancelled. TLS
// (after STARTTLS/STLS) is an ssl::stream over the same socket, started
// only once the runner has read the server's go-ahead and holds no unread
// plaintext (reader.hpp), so nothing read in plaintext is taken as TLS.
#include "conformance/tcp_transport.hpp"

#include <array>
#include <chrono>
#include <thread>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "wire/asio.hpp"

namespace postino::conformance {

// The client's TLS context, shared by every connection of a run.
struct TlsContext {
    wire::asio::ssl::context ctx{wire::asio::ssl::context::tls_client};
    TlsClientOptions options;
};

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
// How long closing waits for the server's close_notify (RFC 8446 §6.1); a bound of ours.
constexpr Duration kTlsShutdownWait = seconds(1);

// What a failed certificate check means, for people (the OpenSSL reason, and what to do).
std::string verify_failure(long result, const std::string& host) {
    std::string why = X509_verify_cert_error_string(result);
    if (result == X509_V_ERR_HOSTNAME_MISMATCH || result == X509_V_ERR_IP_ADDRESS_MISMATCH) {
        return std::string(kCertificateFailure) + "does not name " + host + " (" + why + ", RFC 6125 §6)";
    }
    std::string hint = " (give --cafile FILE with the CA that signed it, or --insecure to accept it)";
    return std::string(kCertificateFailure) + "does not verify: " + why + hint;
}

class TcpStream final : public Stream {
public:
    TcpStream(std::string peer, std::string host, Duration timeout, std::shared_ptr<TlsContext> tls)
        : peer_(std::move(peer)), host_(std::move(host)), timeout_(timeout), tls_ctx_(std::move(tls)) {}

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
        auto on_written = [&](const boost::system::error_code& err, std::size_t) {
            ec = err;
            done = true;
        };
        if (tls_) {
            asio::async_write(*tls_, asio::buffer(bytes.data(), bytes.size()), on_written);
        } else {
            asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()), on_written);
        }
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
        auto on_read = [&](const boost::system::error_code& err, std::size_t got) {
            ec = err;
            n = got;
            done = true;
        };
        if (tls_) {
            tls_->async_read_some(asio::buffer(buf), on_read);
        } else {
            socket_.async_read_some(asio::buffer(buf), on_read);
        }
        const bool completed = run(done, timeout);
        r.data.assign(buf.data(), n);
        if (!completed) return r;
        // A server that closes without close_notify (stream_truncated) has still closed.
        if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
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
        if (tls_ && !closed_) {
            bool done = false;
            tls_->async_shutdown([&](const boost::system::error_code&) { done = true; });
            (void)run(done, kTlsShutdownWait);
        }
        socket_.shutdown(tcp::socket::shutdown_both, ec);
        socket_.close(ec);
        closed_ = true;
    }

    [[nodiscard]] std::string peer() const override { return peer_; }

    Result<TlsInfo> start_tls(const TlsStart&) override {
        if (closed_) return Error{"the connection is closed", peer_};
        if (tls_) return Error{"TLS is already active on this connection", peer_};
        if (!tls_ctx_) return Error{"no TLS context", peer_};
        tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, tls_ctx_->ctx);
        SSL* ssl = tls_->native_handle();
        boost::system::error_code ec;
        (void)asio::ip::make_address(host_, ec);
        const bool ip_literal = !ec;
        if (!ip_literal) SSL_set_tlsext_host_name(ssl, host_.c_str());  // SNI (RFC 6066 §3: names, not addresses)
        if (tls_ctx_->options.verify) {
            tls_->set_verify_mode(asio::ssl::verify_peer);
            X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
            if (ip_literal) {
                X509_VERIFY_PARAM_set1_ip_asc(param, host_.c_str());
            } else {
                X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);  // RFC 6125 §6.4.3
                X509_VERIFY_PARAM_set1_host(param, host_.c_str(), 0);
            }
        } else {
            tls_->set_verify_mode(asio::ssl::verify_none);
        }
        bool done = false;
        tls_->async_handshake(asio::ssl::stream_base::client, [&](const boost::system::error_code& err) {
            ec = err;
            done = true;
        });
        std::string failure;
        if (!run(done, timeout_)) {
            failure = "no TLS handshake within " + format_duration(timeout_);
        } else if (ec) {
            const long verified = SSL_get_verify_result(ssl);
            failure = tls_ctx_->options.verify && verified != X509_V_OK ? verify_failure(verified, host_)
                                                                          : "TLS handshake failed: " + ec.message();
        }
        if (!failure.empty()) {
            tls_.reset();
            boost::system::error_code ignored;
            socket_.close(ignored);
            closed_ = true;
            return Error{failure, peer_};
        }
        TlsInfo info;
        info.version = SSL_get_version(ssl);
        info.cipher = SSL_get_cipher_name(ssl);
        return info;
    }

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
    std::string host_;  // as the URL gave it: the name the certificate must carry
    Duration timeout_;
    std::shared_ptr<TlsContext> tls_ctx_;
    std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls_;  // after STARTTLS/STLS
    bool closed_ = false;
};

}  // namespace

TcpTransport::TcpTransport(Duration connect_timeout) : connect_timeout_(connect_timeout), start_ns_(steady_ns()) {
    (void)set_tls({});
}

TcpTransport::~TcpTransport() = default;

Status TcpTransport::set_tls(const TlsClientOptions& o) {
    auto t = std::make_shared<TlsContext>();
    t->options = o;
    // RFC 8996: TLS 1.0 and 1.1 are deprecated; SSL 2 and 3 long gone.
    t->ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    if (o.cafile.empty()) {
        t->ctx.set_default_verify_paths(ec);
        if (ec) return Error{"cannot use the system CA store: " + ec.message(), "TLS"};
    } else {
        t->ctx.load_verify_file(o.cafile, ec);
        if (ec) return Error{"cannot read the CA certificates: " + ec.message(), o.cafile};
    }
    tls_ = std::move(t);
    return {};
}

Time TcpTransport::now() const { return Duration::from_ns(steady_ns() - start_ns_); }

Result<std::unique_ptr<Stream>> TcpTransport::connect(Protocol p) {
    auto it = endpoints_.find(p);
    if (it == endpoints_.end()) return Error{std::string("no ") + to_string(p) + " endpoint given", ""};
    auto s = std::make_unique<TcpStream>(it->second.host + ":" + std::to_string(it->second.port), it->second.host,
                                         connect_timeout_, tls_);
    if (Status st = s->open(it->second, connect_timeout_); !st) return st.error();
    return std::unique_ptr<Stream>(std::move(s));
}

}  // namespace postino::conformance
