// runner.cpp — building and running the world a scenario declares.
#include "scenario/runner.hpp"

#include "scenario/invariants.hpp"
#include "scenario/sweep.hpp"

#include <memory>
#include <set>

#include "agents/mta.hpp"
#include "agents/imap_fetch.hpp"
#include "agents/imap_server.hpp"
#include "agents/pop3_server.hpp"
#include "agents/user_agent.hpp"
#include "agents/browser.hpp"
#include "agents/webmail_server.hpp"
#include "core/scheduler.hpp"
#include "core/timeline.hpp"
#include "net/dns_server.hpp"
#include "net/faults.hpp"
#include "net/network.hpp"
#include "net/resolver.hpp"
#include "store/mail_store.hpp"

namespace postino::scenario {

bool RunResult::ok() const {
    if (!conservation.ok() || hit_event_limit) return false;
    return std::all_of(expectations.begin(), expectations.end(), [](const auto& e) { return e.passed; });
}

namespace {

// A host's `starttls` key (docs/scenario-format.md), already validated by the loader.
smtp::StartTls starttls_mode(const std::string& s) {
    if (s == "when-offered") return smtp::StartTls::WhenOffered;
    if (s == "required") return smtp::StartTls::Required;
    return smtp::StartTls::Off;
}

constexpr const char* kImplicitDnsHost = "dns.sim";  // added when a scenario names no dns host

net::LinkParams link_params(const LinkSpec& l) {
    net::LinkParams p;
    if (l.latency) p.latency = *l.latency;
    if (l.jitter) p.jitter = *l.jitter;
    if (l.bandwidth_bps) p.bandwidth_bps = *l.bandwidth_bps;
    if (l.loss) p.loss = *l.loss;
    return p;
}

std::string lower(const std::string& s) { return mail::ascii_lower(s); }

struct World {
    Scheduler sched;
    Timeline actions{sched};  // the scenario's actions, fed to sched one at a time
    trace::Recorder rec{[this] { return sched.now(); }};
    trace::MemorySink memory;
    agents::ConservationTracker conservation;
    BoundaryTracker boundaries;
    std::unique_ptr<net::Network> net;
    std::unique_ptr<net::dns::Server> dns;
    std::unique_ptr<net::FaultInjector> faults;
    std::map<std::string, std::unique_ptr<net::dns::Resolver>> resolvers;
    std::map<std::string, std::unique_ptr<store::MailStore>> stores;
    std::map<std::string, std::unique_ptr<agents::Mta>> mtas;
    std::map<std::string, std::unique_ptr<agents::UserAgent>> uas;
    std::map<std::string, std::unique_ptr<agents::Pop3Server>> pop3s;  // POP3 on 110 of every mta with mailboxes
    std::map<std::string, std::unique_ptr<agents::ImapServer>> imaps;  // IMAP on 143 of the same hosts (docs/imap.md)
    std::map<std::string, std::unique_ptr<agents::ImapFetcher>> imap_clients;  // per user agent, made on first use
    std::map<std::string, std::string> domain_to_mta;
    std::map<std::string, std::unique_ptr<agents::WebmailServer>> webmails;  // port 80 (docs/webmail.md)
    std::map<std::string, std::unique_ptr<agents::Browser>> browsers;

    // The sinks above die with the world: the worker must not outlive them.
    ~World() { rec.close(); }

    void build(const Scenario& s, std::uint64_t seed, const RunOptions& opt) {
        if (opt.trace_thread) rec.use_worker_thread();
        rec.add_sink(&conservation);
        rec.add_sink(&boundaries);
        // The whole trace is kept only when expectations need to read it.
        // (`breaks` is judged from the invariants alone.)
        if (std::any_of(s.expects.begin(), s.expects.end(), [](const ExpectSpec& e) { return e.kind != "breaks"; })) {
            rec.add_sink(&memory);
        }
        for (auto* sink : opt.sinks) rec.add_sink(sink);
        net = std::make_unique<net::Network>(sched, rec, seed);
        std::string dns_host;
        for (const auto& h : s.hosts) {
            net->add_host(h.name, link_params(h.link));
            if (h.role == Role::Dns && dns_host.empty()) dns_host = h.name;
        }
        if (dns_host.empty()) {
            net::LinkParams p;
            p.latency = milliseconds(2);
            net->add_host(kImplicitDnsHost, p);
            dns_host = kImplicitDnsHost;
        }
        // DNS: an A record for every host, then the scenario's own records.
        net::dns::Zone zone;
        for (const auto& [name, host] : net->hosts()) zone.add_a(name, host->ip());
        for (const auto& [name, d] : s.dns) {
            for (const auto& mx : d.mx) zone.add_mx(name, mx.preference, mx.host);
            for (const auto& a : d.a) {
                if (auto ip = net::Ip4::parse(a)) zone.add_a(name, *ip);
                else zone.add_a(name, net->host(a).ip());
            }
        }
        dns = std::make_unique<net::dns::Server>(net->host(dns_host), zone);
        faults = std::make_unique<net::FaultInjector>(*net, dns.get());
        const net::Ip4 dns_ip = net->host(dns_host).ip();

        for (const auto& h : s.hosts) {
            if (h.role == Role::Dns) continue;
            resolvers[h.name] = std::make_unique<net::dns::Resolver>(net->host(h.name), dns_ip);
        }
        for (const auto& h : s.hosts) {
            if (h.role != Role::Mta) continue;
            auto st = std::make_unique<store::MailStore>();
            for (const auto& m : h.mailboxes) {
                auto& acct = st->add_account(lower(m.name), m.password, m.quota);
                acct.quota_is_temporary = m.quota_temporary;
            }
            agents::MtaConfig cfg;
            cfg.hostname = h.name;
            cfg.domains = h.domains;
            for (const auto& d : h.domains) domain_to_mta[lower(d)] = h.name;
            const std::string first_domain = h.domains.empty() ? h.name : h.domains.front();
            auto qualify = [&](const std::string& a) { return a.find('@') == std::string::npos ? std::string(a).append("@").append(first_domain) : a; };
            for (const auto& [alias, targets] : h.aliases) {
                std::vector<std::string> full;
                for (const auto& t : targets) full.push_back(qualify(t));
                if (alias.find('@') != std::string::npos) {
                    cfg.aliases.add(alias, full);
                } else {
                    for (const auto& d : h.domains.empty() ? std::vector<std::string>{h.name} : h.domains) {
                        cfg.aliases.add(std::string(alias).append("@").append(d), full);
                    }
                }
            }
            auto profile = agents::builtin_profile(h.profile.empty() ? s.profile : h.profile);
            cfg.profile = profile.ok() ? *profile : *agents::builtin_profile("postfix");
            if (h.delay_warning) cfg.profile.delay_warning = *h.delay_warning;
            for (const auto& other : s.hosts) {
                if ((other.role == Role::UserAgent || other.role == Role::Webmail) && other.submit_to == h.name)
                    cfg.relay_clients.push_back(net->host(other.name).ip());
            }
            for (const auto& r : h.relay_from) cfg.relay_clients.push_back(net->host(r).ip());
            for (const auto& l : h.leniencies) {
                if (l == "bare-lf") cfg.server.leniency.line_ends = smtp::LineEndMode::Normalize;
                if (l == "lf-ends-data") cfg.server.leniency.line_ends = smtp::LineEndMode::LfEndsLine;
            }
            if (h.max_message_size) cfg.server.max_message_octets = *h.max_message_size;
            if (h.max_recipients) cfg.server.max_recipients = static_cast<std::size_t>(*h.max_recipients);
            cfg.test_bug_delete_before_250 = h.test_bug == "delete-before-250";
            cfg.server.tls.offered = !h.tls.empty();
            cfg.server.tls.required = h.tls == "require";
            cfg.client_starttls = starttls_mode(h.starttls);
            auto mta = std::make_unique<agents::Mta>(net->host(h.name), *resolvers[h.name], *st, cfg);
            mta->start();
            if (!h.mailboxes.empty()) {
                agents::Pop3ServerConfig pc;
                pc.hostname = h.name;
                pc.domains = h.domains;
                // APOP (RFC 1939 §7) is offered when a fetch action asks for it.
                for (const auto& a : s.actions) {
                    if (!a.fetch || !a.fetch->apop) continue;
                    const HostSpec* ua = s.host(a.on);
                    if ((a.fetch->server.empty() ? ua->submit_to : a.fetch->server) == h.name) pc.engine.apop = true;
                }
                auto pop3 = std::make_unique<agents::Pop3Server>(net->host(h.name), *st, pc);
                pop3->start();
                pop3s[h.name] = std::move(pop3);
                agents::ImapServerConfig ic;
                ic.hostname = h.name;
                ic.domains = h.domains;
                auto imap = std::make_unique<agents::ImapServer>(net->host(h.name), *st, ic);
                imap->start();
                imaps[h.name] = std::move(imap);
            }
            stores[h.name] = std::move(st);
            mtas[h.name] = std::move(mta);
        }
        for (const auto& h : s.hosts) {
            if (h.role != Role::UserAgent) continue;
            agents::UserAgentConfig cfg;
            cfg.user = h.user;
            cfg.server = net->host(h.submit_to).ip();
            cfg.server_name = h.submit_to;
            cfg.port = h.submit_port;
            cfg.starttls = starttls_mode(h.starttls);
            cfg.starttls_inject = h.starttls_inject;
            uas[h.name] = std::make_unique<agents::UserAgent>(net->host(h.name), cfg);
        }
        for (const auto& h : s.hosts) {
            if (h.role != Role::Webmail) continue;
            agents::WebmailServerConfig cfg;
            cfg.hostname = h.name;
            cfg.imap_server = net->host(h.imap).ip();
            cfg.imap_name = h.imap;
            cfg.submit_server = net->host(h.submit_to).ip();
            cfg.submit_name = h.submit_to;
            const HostSpec* store = s.host(h.imap);
            cfg.domain = !h.domain.empty() ? h.domain : store->domains.front();
            auto w = std::make_unique<agents::WebmailServer>(net->host(h.name), cfg);
            w->start();
            webmails[h.name] = std::move(w);
        }
        for (const auto& h : s.hosts) {
            if (h.role != Role::Browser) continue;
            agents::BrowserConfig cfg;
            cfg.user = h.user;
            cfg.password = h.password;
            cfg.server = net->host(h.webmail).ip();
            cfg.server_name = h.webmail;
            browsers[h.name] = std::make_unique<agents::Browser>(net->host(h.name), cfg);
        }
    }

    void schedule(const Scenario& s) {
        for (const auto& n : s.notes) {
            // Both texts go into the trace; printers and viewers choose (docs/trace-format.md).
            std::string text = n.text;
            std::string it = n.it;
            auto* r = &rec;
            auto note = std::make_shared<std::pair<std::string, std::string>>(std::move(text), std::move(it));
            sched.schedule_at(n.at, [r, note] {
                trace::Event e("note", "");
                e.set("text", note->first);
                if (!note->second.empty()) e.set("it", note->second);
                r->emit(std::move(e));
            });
        }
        for (const auto& a : s.actions) {
            if (a.browse) {
                agents::Browser* b = browsers.at(a.on).get();
                auto act = std::make_shared<agents::BrowserAction>();
                act->kind = a.browse->kind == "open"   ? agents::BrowserAction::Kind::Open
                            : a.browse->kind == "send" ? agents::BrowserAction::Kind::Send
                                                       : agents::BrowserAction::Kind::Inbox;
                act->id = a.browse->id;
                act->to = a.browse->to;
                act->subject = a.browse->subject;
                act->body = a.browse->body;
                act->in_reply_to = a.browse->in_reply_to;
                actions.add(a.at, [b, act] { b->visit(*act); });
                continue;
            }
            agents::UserAgent* ua = uas.at(a.on).get();
            if (a.fetch && a.fetch->protocol == "imap") {
                const HostSpec* h = s.host(a.on);
                auto r = std::make_shared<agents::ImapFetchRequest>();
                r->server_name = a.fetch->server.empty() ? h->submit_to : a.fetch->server;
                r->server = net->host(r->server_name).ip();
                r->client.user = a.fetch->user.empty() ? lower(h->user.substr(0, h->user.rfind('@'))) : a.fetch->user;
                r->client.password = a.fetch->password;
                r->client.what = a.fetch->read == "headers" ? imap::FetchWhat::Headers
                                 : a.fetch->read == "whole" ? imap::FetchWhat::Whole
                                                            : imap::FetchWhat::TextPart;
                r->client.move_to = a.fetch->move_to;
                r->client.delete_after = a.fetch->remove;
                r->client.peek = a.fetch->peek;
                auto& client = imap_clients[a.on];
                if (!client) client = std::make_unique<agents::ImapFetcher>(net->host(a.on));
                agents::ImapFetcher* c = client.get();
                actions.add(a.at, [c, r] { c->fetch(*r); });
                continue;
            }
            if (a.fetch) {
                const HostSpec* h = s.host(a.on);
                auto r = std::make_shared<agents::FetchRequest>();
                r->server_name = a.fetch->server.empty() ? h->submit_to : a.fetch->server;
                r->server = net->host(r->server_name).ip();
                r->user = a.fetch->user.empty() ? lower(h->user.substr(0, h->user.rfind('@'))) : a.fetch->user;
                r->password = a.fetch->password;
                r->mode = a.fetch->mode == "leave-on-server" ? pop3::FetchMode::LeaveOnServer
                                                             : pop3::FetchMode::DownloadAndDelete;
                r->apop = a.fetch->apop;
                r->drop_before_quit = a.fetch->drop_before_quit;
                actions.add(a.at, [ua, r] { ua->fetch(*r); });
                continue;
            }
            auto mail = std::make_shared<agents::OutgoingMail>();
            mail->to = a.send.to;
            mail->subject = a.send.subject;
            mail->body = a.send.body;
            mail->from = a.send.from;
            for (const auto& x : a.send.attachments) mail->attachments.push_back(mail::Attachment{x.filename, x.content_type, x.data});
            mail->raw = a.send.raw;
            mail->verbatim = a.send.verbatim;
            actions.add(a.at, [ua, mail] { ua->send(*mail); });
        }
        for (const auto& f : s.faults) {
            if (f.kind == "mailbox-full" || f.kind == "insertion-error") {
                const auto at = f.target.rfind('@');
                const std::string account = lower(f.target.substr(0, at));
                auto it = domain_to_mta.find(lower(f.target.substr(at + 1)));
                if (it == domain_to_mta.end()) continue;
                struct StoreFault {
                    store::MailStore* store;
                    trace::Recorder* rec;
                    std::string account, kind, target;
                    void set(bool on) const {
                        rec->emit(trace::Event("fault", "").set("ev", on ? "begin" : "end").set("fault", kind).set("target", target));
                        if (kind == "mailbox-full") store->set_full_fault(account, on);
                        else store->set_insert_fault(account, on);
                    }
                };
                auto sf = std::make_shared<StoreFault>(StoreFault{stores.at(it->second).get(), &rec, account, f.kind, f.target});
                sched.schedule_at(f.at, [sf] { sf->set(true); });
                if (f.length != Duration::max()) sched.schedule_at(f.at + f.length, [sf] { sf->set(false); });
                continue;
            }
            if (f.kind == "smtp-reply" || f.kind == "drop-connection" || f.kind == "slow-reply") {
                struct SmtpFault {
                    agents::Mta* mta;
                    trace::Recorder* rec;
                    FaultSpec spec;
                    std::uint64_t id = 0;
                    void begin() {
                        std::string what;
                        if (spec.kind == "smtp-reply") {
                            what = spec.command + " -> " + std::to_string(spec.code) + (spec.enhanced.empty() ? "" : " " + spec.enhanced);
                        } else if (spec.kind == "slow-reply") {
                            what = (spec.command.empty() ? std::string("every reply") : spec.command) + " +" + format_duration(spec.delay);
                        } else {
                            what = spec.stage;
                        }
                        rec->emit(trace::Event("fault", "").set("ev", "begin").set("fault", spec.kind).set("target", spec.target + " " + what));
                        if (spec.kind == "smtp-reply") {
                            id = mta->add_reply_override(spec.command, smtp::Decision::reject(spec.code, spec.enhanced, spec.text), spec.times);
                        } else if (spec.kind == "slow-reply") {
                            id = mta->add_slow_reply(spec.command, spec.delay, spec.times);
                        } else {
                            id = mta->add_drop(spec.stage, spec.times);
                        }
                    }
                    void end() {
                        rec->emit(trace::Event("fault", "").set("ev", "end").set("fault", spec.kind).set("target", spec.target));
                        mta->remove_fault(id);
                    }
                };
                auto sf = std::make_shared<SmtpFault>(SmtpFault{mtas.at(f.target).get(), &rec, f, 0});
                sched.schedule_at(f.at, [sf] { sf->begin(); });
                if (f.length != Duration::max()) sched.schedule_at(f.at + f.length, [sf] { sf->end(); });
                continue;
            }
            net::FaultSpec spec;
            if (f.kind == "host-down") spec = net::HostDown{f.target};
            else if (f.kind == "link-down") spec = net::LinkDown{f.target};
            else if (f.kind == "port-closed") spec = net::PortClosed{f.target, f.port};
            else if (f.kind == "link-change") {
                net::LinkParams p = net->host(f.target).link().params;
                if (f.link.latency) p.latency = *f.link.latency;
                if (f.link.jitter) p.jitter = *f.link.jitter;
                if (f.link.bandwidth_bps) p.bandwidth_bps = *f.link.bandwidth_bps;
                if (f.link.loss) p.loss = *f.link.loss;
                spec = net::LinkChange{f.target, p};
            } else if (f.kind == "dns-nxdomain") spec = net::DnsFault{f.target, net::dns::Fault::NxDomain};
            else if (f.kind == "dns-servfail") spec = net::DnsFault{f.target, net::dns::Fault::ServFail};
            else spec = net::DnsFault{f.target, net::dns::Fault::Timeout};
            faults->schedule(spec, f.at, f.length);
        }
        actions.start();
    }
};

}  // namespace

RunResult run_scenario(const Scenario& original, const RunOptions& opt) {
    RunResult res;
    res.seed = opt.seed.value_or(original.seed);
    // A scenario with a fault space gets the faults its seed draws.
    // (Without a sweep, an owner-less alias of the caller's scenario: no copy.)
    res.scenario = original.sweep ? std::make_shared<const Scenario>(with_sweep_faults(original, res.seed))
                                  : std::shared_ptr<const Scenario>(std::shared_ptr<const Scenario>{}, &original);
    const Scenario& s = *res.scenario;
    World w;
    w.build(s, res.seed, opt);
    w.schedule(s);
    const auto until = opt.until ? opt.until : s.until;
    if (until) {
        while (w.sched.next_time() <= *until && w.sched.events_run() < opt.max_events) w.sched.step();
        res.hit_event_limit = w.sched.events_run() >= opt.max_events;
        if (!res.hit_event_limit) w.sched.run_until(*until);
    } else {
        const auto ran = w.sched.run_until_idle(opt.max_events);
        res.hit_event_limit = ran >= opt.max_events;
    }
    w.rec.drain();  // every sink has seen every event: now they may be read
    res.events = w.rec.count();
    res.fingerprint = w.rec.fingerprint_hex();
    res.end = w.sched.now();
    res.conservation = w.conservation.report();
    std::vector<InvariantViolation> all;
    for (const auto& v : res.conservation.violations) all.push_back({kConservation, v});
    for (const auto& v : w.boundaries.violations()) all.push_back({kMessageBoundaries, v});
    auto declared = apply_declared_breaks(s, all, res.conservation);
    res.expectations = check_expectations(s, w.memory.events);
    for (auto& d : declared) res.expectations.push_back(std::move(d));
    return res;
}

}  // namespace postino::scenario
