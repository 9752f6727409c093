// smtp_link.cpp — SMTP engine events as trace events.
#include "agents/smtp_link.hpp"

namespace postino::agents {
namespace {
template <class... Ts>
struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;
}  // namespace

void trace_smtp_event(trace::Recorder& rec, const net::TcpConnection& conn, const smtp::Event& ev, bool is_server,
                      bool in_tls) {
    const std::string& host = conn.host_name();
    const std::string& peer = conn.peer_name();
    const std::uint64_t id = conn.id();
    std::visit(Overloaded{
                   [&](const smtp::CommandEvent& c) {
                       trace::Event e("line", host, peer, id);
                       e.set("proto", "smtp").set("dir", is_server ? "recv" : "send").set_bytes("bytes", c.raw);
                       if (!c.verb.empty()) e.set("verb", c.verb);
                       if (in_tls) e.set("tls", true);
                       rec.emit(std::move(e));
                   },
                   [&](const smtp::ReplyEvent& r) {
                       trace::Event e("line", host, peer, id);
                       e.set("proto", "smtp").set("dir", is_server ? "send" : "recv").set_bytes("bytes", r.raw);
                       e.set("code", r.reply.code);
                       if (!r.reply.enhanced.empty()) e.set("enhanced", r.reply.enhanced);
                       if (in_tls) e.set("tls", true);
                       rec.emit(std::move(e));
                   },
                   [&](const smtp::DataEvent& d) {
                       trace::Event e("line", host, peer, id);
                       e.set("proto", "smtp").set("dir", is_server ? "recv" : "send").set_bytes("bytes", d.raw);
                       e.set("verb", "DATA-CONTENT");
                       if (in_tls) e.set("tls", true);
                       rec.emit(std::move(e));
                   },
                   [&](const smtp::MessageEvent& m) {
                       rec.emit(trace::Event("proto", host, peer, id)
                                    .set("proto", "smtp")
                                    .set("ev", "transaction")
                                    .set("detail", m.accepted ? "message accepted as " + m.queue_id
                                                              : "message refused: " + std::to_string(m.reply.code)));
                   },
                   [&](const smtp::TransactionEvent&) {},
                   [&](const smtp::ViolationEvent& v) {
                       rec.emit(trace::Event("proto", host, peer, id)
                                    .set("proto", "smtp")
                                    .set("ev", "violation")
                                    .set("detail", v.what)
                                    .set("section", v.rfc));
                   },
                   [&](const smtp::StartTlsEvent&) {},
                   [&](const smtp::CloseEvent&) {},
               },
               ev);
}

}  // namespace postino::agents
