// client_result.cpp — names and the one-line summaries of client results.
#include "proto/smtp/client_result.hpp"

#include "proto/smtp/path.hpp"

namespace postino::smtp {

const char* to_string(Stage s) {
    switch (s) {
        case Stage::Greeting:
            return "greeting";
        case Stage::Ehlo:
            return "ehlo";
        case Stage::Helo:
            return "helo";
        case Stage::Mail:
            return "mail";
        case Stage::Rcpt:
            return "rcpt";
        case Stage::Data:
            return "data";
        case Stage::DataEnd:
            return "data-end";
        case Stage::Rset:
            return "rset";
        case Stage::Starttls:
            return "starttls";
        case Stage::Quit:
            return "quit";
        case Stage::Done:
            return "done";
    }
    return "?";
}

const char* to_string(Outcome o) {
    switch (o) {
        case Outcome::Pending:
            return "pending";
        case Outcome::Accepted:
            return "accepted";
        case Outcome::TempFail:
            return "temp-fail";
        case Outcome::PermFail:
            return "perm-fail";
    }
    return "?";
}

const char* to_string(FailureKind k) {
    switch (k) {
        case FailureKind::None:
            return "none";
        case FailureKind::ConnectionLost:
            return "connection-lost";
        case FailureKind::Timeout:
            return "timeout";
        case FailureKind::ServiceClosing:
            return "service-closing";
        case FailureKind::SessionRefused:
            return "session-refused";
        case FailureKind::ProtocolError:
            return "protocol-error";
        case FailureKind::LocalError:
            return "local-error";
        case FailureKind::TlsUnavailable:
            return "tls-unavailable";
    }
    return "?";
}

namespace {

std::string describe_reply(const Reply& r) {
    std::string s = std::to_string(r.code);
    if (!r.enhanced.empty()) s += " " + r.enhanced;
    return s;
}

}  // namespace

std::vector<std::string> SessionResult::summary() const {
    std::vector<std::string> out;
    for (std::size_t t = 0; t < transactions.size(); ++t) {
        for (const auto& r : transactions[t].recipients) {
            std::string line = "txn " + std::to_string(t) + " " + format_path(r.recipient) + " " +
                               to_string(r.outcome) + " at " + to_string(r.stage);
            if (r.reply) line += " " + describe_reply(*r.reply);
            if (r.local) line += " (local)";
            if (!r.reply && !r.detail.empty()) line += ": " + r.detail;
            out.push_back(std::move(line));
        }
    }
    std::string s = "session ";
    if (failure.kind == FailureKind::None) {
        s += finished ? "done" : "open";
    } else {
        s += std::string(to_string(failure.kind)) + " at " + to_string(failure.stage);
        if (failure.reply) s += " " + describe_reply(*failure.reply);
        if (!failure.detail.empty()) s += ": " + failure.detail;
    }
    out.push_back(std::move(s));
    return out;
}

}  // namespace postino::smtp
