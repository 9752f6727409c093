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
    // Lines (most of an SMTP session's events) go out as typed records: no
    // Event is built unless a sink asks for one.
    trace::SmtpLineRecord line;
    line.host = host;
    line.peer = peer;
    line.conn = id;
    line.tls = in_tls;
    line.stable_names = conn.peer_is_host();  // host_name() is always its host's
    std::visit(Overloaded{
                   [&](const smtp::CommandEvent& c) {
                       line.send = !is_server;
                       line.bytes = c.raw;
                       line.verb = c.verb;
                       rec.emit_smtp_line(line);
                   },
                   [&](const smtp::ReplyEvent& r) {
                       line.send = is_server;
                       line.bytes = r.raw;
                       line.has_code = true;
                       line.code = r.reply.code;
                       line.enhanced = r.reply.enhanced;
                       rec.emit_smtp_line(line);
                   },
                   [&](const smtp::DataEvent& d) {
                       line.send = !is_server;
                       line.bytes = d.raw;
                       line.verb = "DATA-CONTENT";
                       rec.emit_smtp_line(line);
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
