// tls_channel.cpp — the simulated TLS 1.3 handshake and record layer
// (RFC 8446 §4.1.2–4.1.3, §4.3–4.4, §5.1–5.2, §D.4). See tls_channel.hpp.
#include "agents/tls_channel.hpp"

#include "core/rng.hpp"

namespace postino::agents {
namespace {

// RFC 8446 §5.1 ContentType and §4 HandshakeType values.
constexpr std::uint8_t kChangeCipherSpec = 20;
constexpr std::uint8_t kHandshake = 22;
constexpr std::uint8_t kApplicationData = 23;
constexpr std::uint8_t kClientHello = 1;
constexpr std::uint8_t kServerHello = 2;

const char* content_name(std::uint8_t t) {
    switch (t) {
        case kChangeCipherSpec: return "change_cipher_spec";
        case kHandshake: return "handshake";
        case kApplicationData: return "application_data";
        default: return "unknown";
    }
}

void put16(std::string& s, std::size_t v) {
    s += static_cast<char>((v >> 8) & 0xff);
    s += static_cast<char>(v & 0xff);
}
void put24(std::string& s, std::size_t v) {
    s += static_cast<char>((v >> 16) & 0xff);
    put16(s, v & 0xffff);
}

// Deterministic octets standing in for randoms, keys and ciphertext.
class Keystream {
public:
    explicit Keystream(std::uint64_t seed) : state_(seed) {}
    char next() {
        if (left_ == 0) {
            word_ = splitmix64(state_);
            left_ = 8;
        }
        const auto c = static_cast<char>(word_ & 0xff);
        word_ >>= 8;
        --left_;
        return c;
    }
    void fill(std::string& s, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) s += next();
    }

private:
    std::uint64_t state_;
    std::uint64_t word_ = 0;
    int left_ = 0;
};

// RFC 8446 §4.1.2: legacy_version, random, legacy_session_id, one cipher
// suite (TLS_AES_128_GCM_SHA256), null compression, supported_versions
// (TLS 1.3) and key_share (x25519), padded (RFC 7685) to `total` octets.
std::string client_hello(Keystream& ks, std::size_t total) {
    std::string b;
    put16(b, 0x0303);
    ks.fill(b, 32);  // random
    b += static_cast<char>(32);
    ks.fill(b, 32);  // legacy_session_id (middlebox compatibility, §D.4)
    put16(b, 2);
    put16(b, 0x1301);
    b += static_cast<char>(1);
    b += static_cast<char>(0);
    std::string ext;
    put16(ext, 0x002b);  // supported_versions
    put16(ext, 3);
    ext += static_cast<char>(2);
    put16(ext, 0x0304);
    put16(ext, 0x000a);  // supported_groups: x25519
    put16(ext, 4);
    put16(ext, 2);
    put16(ext, 0x001d);
    put16(ext, 0x000d);  // signature_algorithms: rsa_pss_rsae_sha256
    put16(ext, 4);
    put16(ext, 2);
    put16(ext, 0x0804);
    put16(ext, 0x0033);  // key_share: x25519
    put16(ext, 38);
    put16(ext, 36);
    put16(ext, 0x001d);
    put16(ext, 32);
    ks.fill(ext, 32);
    const std::size_t used = 4 + b.size() + 2 + ext.size() + 4;  // + padding extension header
    const std::size_t pad = total > used ? total - used : 0;
    put16(ext, 0x0015);  // padding (RFC 7685)
    put16(ext, pad);
    ext.append(pad, '\0');
    put16(b, ext.size());
    b += ext;
    std::string msg;
    msg += static_cast<char>(kClientHello);
    put24(msg, b.size());
    return msg + b;
}

// RFC 8446 §4.1.3: the server's choice, its key share and TLS 1.3.
std::string server_hello(Keystream& ks) {
    std::string b;
    put16(b, 0x0303);
    ks.fill(b, 32);
    b += static_cast<char>(32);
    ks.fill(b, 32);
    put16(b, 0x1301);
    b += static_cast<char>(0);
    std::string ext;
    put16(ext, 0x002b);
    put16(ext, 2);
    put16(ext, 0x0304);
    put16(ext, 0x0033);
    put16(ext, 36);
    put16(ext, 0x001d);
    put16(ext, 32);
    ks.fill(ext, 32);
    put16(b, ext.size());
    b += ext;
    std::string msg;
    msg += static_cast<char>(kServerHello);
    put24(msg, b.size());
    return msg + b;
}

}  // namespace

std::uint64_t TlsChannel::key(bool sent_by_server, std::uint64_t seq) const {
    std::uint64_t s = conn_ * 0x9e3779b97f4a7c15ULL ^ (sent_by_server ? 0x5bd1e995ULL : 0x1b873593ULL);
    s ^= seq * 0xc2b2ae3d27d4eb4fULL;
    return splitmix64(s);
}

std::string TlsChannel::start(bool is_server, const std::string& proto) {
    if (phase_ != Phase::Off) return {};
    server_ = is_server;
    proto_ = proto;
    if (server_) {
        phase_ = Phase::AwaitClientHello;
        return {};
    }
    phase_ = Phase::AwaitServerFlight;
    Keystream ks(key(false, ~std::uint64_t{0}));
    return record(kHandshake, client_hello(ks, kTlsClientHelloOctets), "ClientHello");
}

std::string TlsChannel::record(std::uint8_t type, std::string_view body, const char* msg, std::size_t inner) {
    std::string r;
    r += static_cast<char>(type);
    put16(r, 0x0303);
    put16(r, body.size());
    r += body;
    trace_record("send", type, msg, r.size(), inner, r);
    return r;
}

// RFC 8446 §5.2: TLSInnerPlaintext (content, type) then the AEAD tag,
// carried as application_data.
std::string TlsChannel::protect(std::uint8_t inner_type, std::string_view plaintext, const char* msg) {
    Keystream ks(key(server_, send_seq_++));
    std::string body;
    body.reserve(plaintext.size() + 1 + kTlsAeadTagOctets);
    for (const char c : plaintext) body += static_cast<char>(c ^ ks.next());
    body += static_cast<char>(inner_type ^ ks.next());
    ks.fill(body, kTlsAeadTagOctets);
    return record(kApplicationData, body, msg, plaintext.size());
}

std::string TlsChannel::open(std::string_view payload, std::uint64_t seq, bool& ok) const {
    ok = false;
    if (payload.size() < 1 + kTlsAeadTagOctets) return {};
    Keystream ks(key(!server_, seq));
    std::string out;
    const std::size_t n = payload.size() - kTlsAeadTagOctets;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) out += static_cast<char>(payload[i] ^ ks.next());
    std::string tag;
    ks.fill(tag, kTlsAeadTagOctets);
    if (payload.substr(n) != tag) return {};
    ok = true;
    return out;  // inner plaintext, its content type last
}

std::string TlsChannel::seal(std::string_view plaintext) {
    std::string out;
    while (!plaintext.empty()) {
        const std::string_view part = plaintext.substr(0, kTlsMaxPlaintextOctets);
        out += protect(kApplicationData, part, "application data");
        plaintext.remove_prefix(part.size());
    }
    return out;
}

TlsChannel::Input TlsChannel::receive(std::string_view bytes) {
    Input r;
    in_.append(bytes);
    while (in_.size() >= kTlsRecordHeaderOctets && r.error.empty()) {
        const auto type = static_cast<std::uint8_t>(in_[0]);
        const std::size_t len = (static_cast<std::size_t>(static_cast<unsigned char>(in_[3])) << 8) |
                                static_cast<unsigned char>(in_[4]);
        if (len > kTlsMaxPlaintextOctets + 256) {  // RFC 8446 §5.2: record_overflow
            r.error = "TLS record longer than 2^14 + 256 octets";
            break;
        }
        if (in_.size() < kTlsRecordHeaderOctets + len) break;
        const std::string payload = in_.substr(kTlsRecordHeaderOctets, len);
        in_.erase(0, kTlsRecordHeaderOctets + len);
        const char* msg = "";
        std::size_t inner = 0;
        if (type == kApplicationData) {
            bool ok = false;
            std::string opened = open(payload, recv_seq_++, ok);
            if (!ok) {
                r.error = "a TLS record that does not open (bad_record_mac, RFC 8446 §5.2)";
                break;
            }
            opened.pop_back();  // the inner content type
            inner = opened.size();
            if (phase_ == Phase::Established) {
                msg = "application data";
                r.plaintext += opened;
            } else {
                msg = server_ ? "Finished" : "EncryptedExtensions, Certificate, CertificateVerify, Finished";
            }
        } else if (type == kHandshake) {
            msg = server_ ? "ClientHello" : "ServerHello";
        } else if (type == kChangeCipherSpec) {
            msg = "ChangeCipherSpec";
        } else {
            r.error = std::string("TLS record of unexpected type ") + std::to_string(type);
            break;
        }
        trace_record("recv", type, msg, kTlsRecordHeaderOctets + len, inner, {});
        switch (phase_) {
            case Phase::AwaitClientHello:
                if (type != kHandshake) {
                    r.error = "the first TLS record is not a ClientHello (unexpected_message)";
                    break;
                }
                {
                    Keystream ks(key(true, ~std::uint64_t{0}));
                    r.to_send += record(kHandshake, server_hello(ks), "ServerHello");
                }
                r.to_send += record(kChangeCipherSpec, std::string(1, '\x01'), "ChangeCipherSpec");
                r.to_send += protect(kHandshake, std::string(kTlsServerFlightOctets, '\0'),
                                     "EncryptedExtensions, Certificate, CertificateVerify, Finished");
                phase_ = Phase::AwaitClientFinished;
                break;
            case Phase::AwaitServerFlight:
                if (type == kApplicationData) {  // the protected flight ends with the server's Finished
                    r.to_send += record(kChangeCipherSpec, std::string(1, '\x01'), "ChangeCipherSpec");
                    r.to_send += protect(kHandshake, std::string(kTlsFinishedOctets, '\0'), "Finished");
                    phase_ = Phase::Established;
                    r.established = true;
                    trace_established();
                }
                break;
            case Phase::AwaitClientFinished:
                if (type == kApplicationData) {
                    phase_ = Phase::Established;
                    r.established = true;
                    trace_established();
                }
                break;
            case Phase::Established:
            case Phase::Off:
                break;
        }
    }
    return r;
}

void TlsChannel::trace_record(const char* dir, std::uint8_t type, const char* msg, std::size_t len, std::size_t inner,
                              std::string_view bytes) {
    trace::Event e("tls", host_, peer_, conn_);
    e.set("ev", "record").set("proto", proto_).set("dir", dir).set("content", content_name(type)).set("msg", msg);
    e.set("len", static_cast<std::int64_t>(len));
    if (type == kApplicationData) e.set("inner", static_cast<std::int64_t>(inner));
    if (!bytes.empty()) e.set_bytes("bytes", bytes);
    rec_.emit(std::move(e));
}

void TlsChannel::trace_established() {
    rec_.emit(trace::Event("tls", host_, peer_, conn_)
                  .set("ev", "established")
                  .set("proto", proto_)
                  .set("version", "TLSv1.3")
                  .set("cipher", "TLS_AES_128_GCM_SHA256"));
}

}  // namespace postino::agents
