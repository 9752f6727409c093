// trace_schema.cpp — the trace vocabulary, version 1 (docs/trace-format.md).
#include "core/trace_schema.hpp"

#include <array>
#include <string>

namespace postino::trace {
namespace {

using FT = FieldType;

constexpr std::array<FieldSpec, 8> kSegment{{{"ev", FT::Text}, {"id", FT::Int}, {"flags", FT::Text},
                                              {"seqno", FT::Int}, {"ackno", FT::Int}, {"len", FT::Int},
                                              {"sport", FT::Int}, {"dport", FT::Int}}};
constexpr std::array<FieldSpec, 1> kTcp{{{"ev", FT::Text}}};
constexpr std::array<FieldSpec, 6> kDatagram{{{"ev", FT::Text}, {"id", FT::Int}, {"sport", FT::Int},
                                               {"dport", FT::Int}, {"len", FT::Int}, {"bytes", FT::Bytes}}};
constexpr std::array<FieldSpec, 3> kDns{{{"ev", FT::Text}, {"name", FT::Text}, {"type", FT::Text}}};
constexpr std::array<FieldSpec, 3> kLine{{{"proto", FT::Text}, {"dir", FT::Text}, {"bytes", FT::Bytes}}};
constexpr std::array<FieldSpec, 3> kFault{{{"ev", FT::Text}, {"fault", FT::Text}, {"target", FT::Text}}};
constexpr std::array<FieldSpec, 1> kNote{{{"text", FT::Text}}};
constexpr std::array<FieldSpec, 1> kHost{{{"ev", FT::Text}}};

constexpr std::array<FieldSpec, 2> kSpool{{{"ev", FT::Text}, {"queue_id", FT::Text}}};
constexpr std::array<FieldSpec, 3> kMailbox{{{"ev", FT::Text}, {"mailbox", FT::Text}, {"uid", FT::Int}}};
constexpr std::array<FieldSpec, 2> kMessage{{{"id", FT::Text}, {"bytes", FT::Bytes}}};
constexpr std::array<FieldSpec, 1> kUa{{{"ev", FT::Text}}};
constexpr std::array<FieldSpec, 2> kProto{{{"proto", FT::Text}, {"ev", FT::Text}}};
constexpr std::array<FieldSpec, 1> kTls{{{"ev", FT::Text}}};

constexpr std::array<KindSpec, 14> kKinds{{
    {"segment", "a TCP segment sent, received or lost on a link", kSegment},
    {"tcp", "a TCP connection's life: connect, established, refused, timeout, reset, eof, closed", kTcp},
    {"datagram", "a UDP datagram sent, received or lost", kDatagram},
    {"dns", "a DNS query, answer or failure seen by a resolver or server", kDns},
    {"line", "application bytes written to or read from a connection", kLine},
    {"fault", "an injected fault beginning or ending", kFault},
    {"note", "narration for people", kNote},
    {"host", "a host going down (crash) or coming up (restart)", kHost},
    {"spool", "an MTA spool entry's transition: enqueued, attempt, deferred, sent, delivered, bounced, expired, warned, removed", kSpool},
    {"mailbox", "a mailbox store change: stored, deleted (POP3), flags, expunged, copied, appended, folder-created, folder-deleted, folder-renamed (IMAP; uid 0 for a folder)", kMailbox},
    {"message", "the full bytes of a message at one point (composed, enqueued, a DSN built)", kMessage},
    {"ua", "a user agent's event for its user: compose, submitted, error, fetched", kUa},
    {"proto", "a protocol engine's event beyond its lines: violation, transaction, session result", kProto},
    {"tls", "a TLS phase on a connection after STARTTLS/STLS: handshake records, established, application records, failed", kTls},
}};

const char* type_name(FieldType t) {
    switch (t) {
        case FT::Int: return "integer";
        case FT::Bool: return "boolean";
        case FT::Text: return "text";
        case FT::Bytes: return "bytes";
    }
    return "?";
}

bool has_type(const Value& v, FieldType t) {
    switch (t) {
        case FT::Int: return std::holds_alternative<std::int64_t>(v);
        case FT::Bool: return std::holds_alternative<bool>(v);
        case FT::Text: return std::holds_alternative<std::string>(v);
        case FT::Bytes: return std::holds_alternative<Bytes>(v);
    }
    return false;
}

}  // namespace

std::span<const KindSpec> kinds() { return kKinds; }

const KindSpec* find_kind(std::string_view kind) {
    for (const auto& k : kKinds) {
        if (k.kind == kind) return &k;
    }
    return nullptr;
}

bool is_bytes_key(std::string_view key) {
    return key == "bytes" || (key.size() > 6 && key.substr(key.size() - 6) == "_bytes");
}

std::string validate(const Event& e) {
    const KindSpec* spec = find_kind(e.kind);
    if (spec == nullptr) return "unknown event kind \"" + e.kind + "\"";
    for (const auto& f : spec->required) {
        const Value* v = e.find(f.key);
        if (v == nullptr) {
            return "kind \"" + e.kind + "\" needs " + type_name(f.type) + " field \"" + std::string(f.key) + "\"";
        }
        if (!has_type(*v, f.type)) {
            return "field \"" + std::string(f.key) + "\" of kind \"" + e.kind + "\" must be " + type_name(f.type);
        }
    }
    for (const auto& f : e.fields) {
        for (std::string_view head : {"seq", "t", "kind", "host", "peer", "conn"}) {
            if (f.key == head) return "field \"" + f.key + "\" collides with the event head";
        }
        if (is_bytes_key(f.key) != std::holds_alternative<Bytes>(f.value)) {
            return "field \"" + f.key + "\": only fields named bytes or *_bytes hold raw octets";
        }
    }
    return {};
}

}  // namespace postino::trace
