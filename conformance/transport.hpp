// transport.hpp — how the runner reaches a server: a byte stream per
// connection, with bounded, timed reads. Two implementations: real TCP
// (tcp_transport.hpp, Boost.Asio) and Postino's own engines in process
// (builtin_transport.hpp, no sockets, virtual time).
#pragma once

#include <memory>
#include <string>

#include "conformance/suite.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "core/trace.hpp"

namespace postino::conformance {

struct ReadResult {
    std::string data;    // octets that arrived (possibly none)
    bool closed = false; // the server closed the connection (after `data`)
    std::string error;   // a transport failure ("connection reset"), closed is then true
};

// What a stream needs to switch to TLS.
struct TlsStart {
    Protocol protocol = Protocol::Smtp;  // for trace events ("smtp", "pop3", "imap")
    trace::Recorder* trace = nullptr;    // may be null; a stream that models the records emits them here
    std::string host = "postino-check";  // the trace's host and connection id
    std::uint64_t conn = 0;
};

// A TLS session once the handshake is done.
struct TlsInfo {
    std::string version;  // "TLSv1.3"
    std::string cipher;   // "TLS_AES_256_GCM_SHA384"
    bool traced = false;  // the stream emitted the tls events itself (records and established)
};

// Every failure of the certificate check (not of the handshake itself)
// starts with these words, so a step can tell the two apart.
inline constexpr std::string_view kCertificateFailure = "the server's certificate ";
inline bool is_certificate_failure(const Error& e) { return std::string_view(e.what).starts_with(kCertificateFailure); }

class Stream {
public:
    virtual ~Stream() = default;
    virtual Status send(std::string_view bytes) = 0;
    // Waits at most `timeout` for octets; returns as soon as some arrive.
    virtual ReadResult read(Duration timeout) = 0;
    // Lets `d` pass without reading (a wait step).
    virtual void pause(Duration d) = 0;
    virtual void close() = 0;
    // Runs the client side of a TLS handshake on this connection (the
    // server has just said yes to STARTTLS/STLS); from then on send and
    // read carry plaintext inside TLS. An Error names why it failed (a
    // certificate that does not verify, a handshake the server broke off);
    // the connection is then closed.
    virtual Result<TlsInfo> start_tls(const TlsStart& how) = 0;
    // "127.0.0.1:2525" or "builtin smtp", for traces and messages.
    [[nodiscard]] virtual std::string peer() const = 0;
};

class Transport {
public:
    virtual ~Transport() = default;
    // A new connection to the endpoint of `p`; an Error when there is none
    // (`available` false) or it cannot be reached.
    virtual Result<std::unique_ptr<Stream>> connect(Protocol p) = 0;
    [[nodiscard]] virtual bool available(Protocol p) const = 0;
    // Time as the transport sees it (virtual for builtin, wall for TCP), for traces.
    [[nodiscard]] virtual Time now() const = 0;
    [[nodiscard]] virtual bool virtual_time() const { return false; }
};

}  // namespace postino::conformance
