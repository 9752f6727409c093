// client_result.cpp — names and the summary lines of a client session.
#include "proto/pop3/client_result.hpp"

#include "proto/pop3/client_config.hpp"

namespace postino::pop3 {

const char* to_string(FetchMode m) {
    return m == FetchMode::DownloadAndDelete ? "download-and-delete" : "leave-on-server";
}

const char* to_string(ClientStep s) {
    switch (s) {
        case ClientStep::Greeting: return "greeting";
        case ClientStep::Capa: return "capa";
        case ClientStep::Stls: return "stls";
        case ClientStep::User: return "user";
        case ClientStep::Pass: return "pass";
        case ClientStep::Apop: return "apop";
        case ClientStep::Stat: return "stat";
        case ClientStep::Uidl: return "uidl";
        case ClientStep::List: return "list";
        case ClientStep::Retr: return "retr";
        case ClientStep::Dele: return "dele";
        case ClientStep::Quit: return "quit";
        case ClientStep::Done: return "done";
    }
    return "?";
}

const char* to_string(ClientFailure f) {
    switch (f) {
        case ClientFailure::None: return "done";
        case ClientFailure::ConnectionLost: return "connection-lost";
        case ClientFailure::Timeout: return "timeout";
        case ClientFailure::ServerRefused: return "server-refused";
        case ClientFailure::LoginFailed: return "login-failed";
        case ClientFailure::InUse: return "in-use";
        case ClientFailure::ProtocolError: return "protocol-error";
        case ClientFailure::LocalError: return "local-error";
        case ClientFailure::Dropped: return "dropped-before-quit";
        case ClientFailure::UpdateFailed: return "update-failed";
        case ClientFailure::TlsUnavailable: return "tls-unavailable";
    }
    return "?";
}

std::vector<std::string> ClientResult::summary() const {
    std::vector<std::string> out;
    for (const auto& s : steps) {
        std::string line = to_string(s.step);
        if (s.message != 0) line += " " + std::to_string(s.message);
        line += s.response.ok ? " +OK" : " -ERR";
        if (!s.response.code.empty()) line += " [" + s.response.code + "]";
        out.push_back(std::move(line));
    }
    for (const auto& m : messages) {
        std::string line = "fetched " + std::to_string(m.number);
        if (!m.uidl.empty()) line += " uidl=" + m.uidl;
        line += " " + std::to_string(m.content.size()) + " octets";
        if (m.deleted) line += " deleted";
        out.push_back(std::move(line));
    }
    std::string last = std::string("session ") + to_string(failure);
    if (failure != ClientFailure::None) last += std::string(" at ") + to_string(failure_step);
    out.push_back(std::move(last));
    return out;
}

}  // namespace postino::pop3
