// pop3_link.cpp — POP3 engine events as trace events on a connection.
#include "agents/pop3_link.hpp"

namespace postino::agents {

void trace_pop3_event(trace::Recorder& rec, const net::TcpConnection& conn, const pop3::Event& ev, bool is_server) {
    for (auto& e : pop3::trace_events(ev, is_server ? pop3::Role::Server : pop3::Role::Client, conn.host_name(),
                                      conn.peer_name(), conn.id())) {
        rec.emit(std::move(e));
    }
}

}  // namespace postino::agents
