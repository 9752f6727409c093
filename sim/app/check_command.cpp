// check_command.cpp — `postino check`: URLs, transports, suites, reports.
#include "app/check_command.hpp"

#include <fstream>
#include <iostream>
#include <memory>

#include "conformance/builtin_transport.hpp"
#include "conformance/report.hpp"
#include "conformance/runner.hpp"
#include "conformance/suite_loader.hpp"
#include "conformance/tcp_transport.hpp"
#include "core/trace_json.hpp"

namespace postino::app {

using namespace conformance;

Result<MailUrl> parse_mail_url(const std::string& url) {
    MailUrl u;
    const auto sep = url.find("://");
    if (sep == std::string::npos) return Error{"not a URL: write smtp://HOST:PORT, pop3://USER:PASS@HOST:PORT or imap://USER:PASS@HOST:PORT", url};
    u.scheme = url.substr(0, sep);
    if (u.scheme != "smtp" && u.scheme != "pop3" && u.scheme != "imap") {
        return Error{"unknown scheme '" + u.scheme + "' (smtp, pop3 or imap)", url};
    }
    std::string rest = url.substr(sep + 3);
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    const auto at = rest.rfind('@');
    if (at != std::string::npos) {
        const std::string cred = rest.substr(0, at);
        const auto colon = cred.find(':');
        if (colon == std::string::npos) return Error{"credentials are USER:PASS@", url};
        u.user = cred.substr(0, colon);
        u.password = cred.substr(colon + 1);
        rest = rest.substr(at + 1);
    }
    u.port = u.scheme == "smtp" ? 25 : u.scheme == "pop3" ? 110 : 143;
    const auto bracket = rest.find(']');
    const auto colon = rest.rfind(':');
    if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
        const std::string p = rest.substr(colon + 1);
        if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos || std::stoi(p) > 65535 ||
            std::stoi(p) == 0) {
            return Error{"bad port '" + p + "'", url};
        }
        u.port = static_cast<std::uint16_t>(std::stoi(p));
        rest = rest.substr(0, colon);
    }
    if (rest.size() > 2 && rest.front() == '[' && rest.back() == ']') rest = rest.substr(1, rest.size() - 2);
    if (rest.empty()) return Error{"no host in the URL", url};
    u.host = rest;
    return u;
}

namespace {

Protocol protocol_of(const std::string& s) { return s == "smtp" ? Protocol::Smtp : s == "pop3" ? Protocol::Pop3 : Protocol::Imap; }

bool open_out(std::ofstream& f, const std::string& path) {
    f.open(path, std::ios::binary | std::ios::trunc);
    if (!f) std::cerr << "postino: cannot write " << path << " (check the directory exists and is writable)\n";
    return static_cast<bool>(f);
}

}  // namespace

int cmd_check(const CheckArgs& a) {
    const auto timeout = parse_duration(a.timeout);
    if (!timeout || timeout->ns() <= 0) {
        std::cerr << "postino: --timeout: not a duration like 10s or 500ms: '" << a.timeout << "'\n";
        return 2;
    }
    const auto delivery = parse_duration(a.delivery_wait);
    if (!delivery) {
        std::cerr << "postino: --delivery-wait: not a duration like 500ms: '" << a.delivery_wait << "'\n";
        return 2;
    }
    RunOptions opt;
    if (a.tls == "never") {
        opt.tls = TlsMode::Never;
    } else if (a.tls == "if-offered") {
        opt.tls = TlsMode::IfOffered;
    } else if (a.tls == "required") {
        opt.tls = TlsMode::Required;
    } else {
        std::cerr << "postino: --tls: write never, if-offered or required, not '" << a.tls << "'\n";
        return 2;
    }
    opt.timeout = *timeout;
    opt.delivery_wait = a.builtin.empty() ? *delivery : Duration{};  // builtin: delivered before the 250
    opt.allow_writes = a.allow_writes;
    opt.run_slow = a.slow;
    opt.only = a.only;
    std::map<std::string, std::string>& vars = opt.vars;
    vars["user"] = "alice";
    vars["pass"] = "secret";
    vars["domain"] = a.domain;

    std::unique_ptr<Transport> transport;
    Protocol primary = Protocol::Smtp;
    if (!a.builtin.empty()) {
        if (!a.url.empty()) {
            std::cerr << "postino: give a server URL or --builtin, not both\n";
            return 2;
        }
        primary = protocol_of(a.builtin);
        if (a.insecure || !a.cafile.empty()) {
            std::cerr << "postino: --insecure and --cafile are about real certificates: they need a server URL, not --builtin\n";
            return 2;
        }
        BuiltinOptions bo;
        bo.domain = a.domain;
        for (const auto& f : a.faults) {
            if (!apply_fault(bo, f)) {
                std::cerr << "postino: unknown fault '" << f << "' (known: " << builtin_fault_names() << ")\n";
                return 2;
            }
        }
        transport = std::make_unique<BuiltinTransport>(bo);
        opt.run_slow = true;  // virtual time: a five-minute wait costs nothing
        opt.target = "builtin " + a.builtin;
        for (const auto& f : a.faults) opt.target += " +" + f;
        vars["host"] = "builtin";
    } else {
        if (a.url.empty()) {
            std::cerr << "postino: check needs a server URL (smtp://HOST:PORT, pop3://USER:PASS@HOST:PORT, "
                         "imap://USER:PASS@HOST:PORT) or --builtin smtp|pop3|imap\n";
            return 2;
        }
        if (!a.faults.empty()) {
            std::cerr << "postino: --fault works only with --builtin (it changes Postino's own engines)\n";
            return 2;
        }
        auto tcp = std::make_unique<TcpTransport>(*timeout);
        if (Status st = tcp->set_tls({!a.insecure, a.cafile}); !st) {
            std::cerr << "postino: --cafile: " << st.error().message() << "\n";
            return 2;
        }
        auto add = [&](const std::string& url, const char* want) -> bool {
            if (url.empty()) return true;
            auto u = parse_mail_url(url);
            if (!u) {
                std::cerr << "postino: " << u.error().message() << "\n";
                return false;
            }
            if (want != nullptr && u->scheme != want) {
                std::cerr << "postino: --" << want << " needs a " << want << ":// URL, not " << url << "\n";
                return false;
            }
            tcp->set_endpoint(protocol_of(u->scheme), {u->host, u->port});
            if (!u->user.empty()) {
                vars["user"] = u->user;
                vars["pass"] = u->password;
            }
            return true;
        };
        // The companions first, so the target's own credentials win.
        if (!add(a.smtp_url, "smtp") || !add(a.pop3_url, "pop3") || !add(a.imap_url, "imap") || !add(a.url, nullptr)) return 2;
        auto u = parse_mail_url(a.url);
        primary = protocol_of(u->scheme);
        if (primary != Protocol::Smtp && u->user.empty()) {
            std::cerr << "postino: " << u->scheme << " checks log in: write " << u->scheme << "://USER:PASS@" << u->host << ":" << u->port << "\n";
            return 2;
        }
        vars["host"] = u->host;
        opt.target = u->scheme + "://" + u->host + ":" + std::to_string(u->port);
        transport = std::move(tcp);
    }
    vars["rcpt"] = a.rcpt.empty() ? vars["user"] + "@" + a.domain : a.rcpt;

    std::vector<Suite> suites;
    std::vector<std::string> names = a.suites;
    if (names.empty()) names.emplace_back(to_string(primary));
    for (const auto& n : names) {
        auto s = load_suite_file(resolve_suite(n));
        if (!s) {
            std::cerr << "postino: " << s.error().message() << "\n";
            return 2;
        }
        if (s->protocol != primary) {
            std::cerr << "postino: suite " << s->name << " is for " << to_string(s->protocol) << ", the target speaks "
                      << to_string(primary) << "\n";
            return 2;
        }
        suites.push_back(std::move(*s));
    }

    std::ofstream trace_file;
    std::unique_ptr<trace::JsonlWriter> writer;
    trace::Recorder recorder([&] { return transport->now(); });
    if (!a.trace.empty()) {
        if (!open_out(trace_file, a.trace)) return 2;
        writer = std::make_unique<trace::JsonlWriter>(
            trace_file, trace::Header{trace::kFormatVersion, 0, "check " + opt.target, std::string("postino check ") + POSTINO_VERSION});
        recorder.add_sink(writer.get());
    }

    std::vector<SuiteResult> results;
    for (const auto& s : suites) {
        results.push_back(run_suite(s, *transport, opt, a.trace.empty() ? nullptr : &recorder));
        if (!a.quiet) {
            print_table(std::cout, results.back());
        } else {
            std::cout << summary_line(results.back()) << "\n";
        }
    }
    auto write = [&](const std::string& path, auto fn) {
        if (path.empty()) return true;
        std::ofstream f;
        if (!open_out(f, path)) return false;
        fn(f, results);
        return true;
    };
    if (!write(a.json, write_json) || !write(a.junit, write_junit) || !write(a.markdown, write_markdown)) return 2;
    if (!a.trace.empty()) std::cout << "trace written to " << a.trace << " (" << recorder.count() << " events)\n";
    bool bad = false;
    for (const auto& r : results) bad = bad || r.failed() || r.count(Verdict::Error) > 0;
    return bad ? 1 : 0;
}

}  // namespace postino::app
