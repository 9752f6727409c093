// tls_channel.hpp — a TLS 1.3 connection as the simulator shows it, after
// STARTTLS/STLS (RFC 3207, RFC 2595, RFC 3501 §6.2.1): a handshake phase of
// records of plausible sizes, then application data carried in opaque
// records (DESIGN.md §2.3: what is on the wire is in the trace).
//
// RFC 8446 §5.1 (record layer: 5-octet header, at most 2^14 octets of
// plaintext a record), §5.2 (protected records: inner content type and an
// AEAD tag), §4.1.2–4.1.3 (ClientHello, ServerHello with the
// supported_versions and key_share extensions, §4.2.1, §4.2.8), §4.3–4.4
// (EncryptedExtensions, Certificate, CertificateVerify, Finished), §D.4
// (the middlebox-compatibility ChangeCipherSpec records).
//
// Nothing is encrypted for real: the hellos are well-formed (Wireshark reads
// them as TLS 1.3), and protected records hold the plaintext XORed with a
// keystream derived from the connection id, the direction and the record
// number, so the receiving side can open them and the run stays
// deterministic. The sizes are what matter for the lesson: what TLS costs
// on the wire, segment by segment.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/trace.hpp"

namespace postino::agents {

// RFC 8446 §5.1: the record header (type, legacy version, length).
inline constexpr std::size_t kTlsRecordHeaderOctets = 5;
// RFC 8446 §5.2: one octet of inner content type + a 16-octet AEAD tag
// (TLS_AES_128_GCM_SHA256, RFC 8446 §B.4; RFC 5116 §5.1).
inline constexpr std::size_t kTlsAeadTagOctets = 16;
inline constexpr std::size_t kTlsRecordOverheadOctets = kTlsRecordHeaderOctets + 1 + kTlsAeadTagOctets;  // 22
// RFC 8446 §5.1: at most 2^14 octets of plaintext in one record.
inline constexpr std::size_t kTlsMaxPlaintextOctets = 16384;
// A ClientHello with one x25519 key share, padded to 512 octets of handshake
// message as many clients do (RFC 7685 padding): a 517-octet record.
inline constexpr std::size_t kTlsClientHelloOctets = 512;
// EncryptedExtensions (RFC 8446 §4.3.1), Certificate with one 2048-bit RSA
// self-signed certificate (§4.4.2, about 800 octets), CertificateVerify with
// an RSA-PSS signature (§4.4.3, 264 octets) and Finished (§4.4.4, 36 octets
// with SHA-256): the server's protected flight, as one record.
inline constexpr std::size_t kTlsServerFlightOctets = 1110;
// Finished with SHA-256 (RFC 8446 §4.4.4): 4-octet header + 32-octet verify_data.
inline constexpr std::size_t kTlsFinishedOctets = 36;

class TlsChannel {
public:
    struct Input {
        std::string plaintext;    // application data opened from the records
        std::string to_send;      // handshake records to send now
        bool established = false; // the handshake completed in this call
        std::string error;        // a record the model cannot read: the host ends the connection
    };

    // `host`, `peer`, `conn` name the trace events; `rec` receives them.
    TlsChannel(trace::Recorder& rec, std::string host, std::string peer, std::uint64_t conn)
        : rec_(rec), host_(std::move(host)), peer_(std::move(peer)), conn_(conn) {}

    // The engine asked for TLS (StartTlsEvent). A client returns its
    // ClientHello record to send; a server returns "" and waits for it.
    std::string start(bool is_server, const std::string& proto);

    // Octets from the peer, split anywhere.
    Input receive(std::string_view bytes);
    // Application octets to records (only once established()).
    std::string seal(std::string_view plaintext);

    [[nodiscard]] bool active() const { return phase_ != Phase::Off; }
    [[nodiscard]] bool established() const { return phase_ == Phase::Established; }

private:
    enum class Phase : std::uint8_t { Off, AwaitClientHello, AwaitServerFlight, AwaitClientFinished, Established };

    std::string record(std::uint8_t type, std::string_view body, const char* msg, std::size_t inner = 0);
    std::string protect(std::uint8_t inner_type, std::string_view plaintext, const char* msg);
    std::string open(std::string_view payload, std::uint64_t seq, bool& ok) const;
    void trace_record(const char* dir, std::uint8_t type, const char* msg, std::size_t len, std::size_t inner,
                      std::string_view bytes);
    void trace_established();
    [[nodiscard]] std::uint64_t key(bool sent_by_server, std::uint64_t seq) const;

    trace::Recorder& rec_;
    std::string host_, peer_;
    std::uint64_t conn_;
    std::string proto_;
    bool server_ = false;
    Phase phase_ = Phase::Off;
    std::string in_;              // a partial record from the peer
    std::uint64_t send_seq_ = 0;  // protected records sent (RFC 8446 §5.3: the per-record nonce counter)
    std::uint64_t recv_seq_ = 0;  // protected records received
};

}  // namespace postino::agents
