// webmail_server.cpp — the simulated webmail: HTTP in front, IMAP and SMTP
// behind (RFC 9112, RFC 3501, RFC 6409). See webmail_server.hpp.
#include "agents/webmail_server.hpp"

namespace postino::agents {

WebmailServer::WebmailServer(net::Host& host, WebmailServerConfig config)
    : host_(host),
      config_(std::move(config)),
      rng_(Rng::stream(host.network().seed(), "webmail:" + host.name())),
      app_(webmail::AppConfig{"Postino webmail", host.name()}, *this,
           [this] {
               static const char* hex = "0123456789abcdef";
               std::string t;
               for (int i = 0; i < 2; ++i) {
                   std::uint64_t v = rng_.next_u64();
                   for (int k = 0; k < 16; ++k, v >>= 4) t += hex[v & 15];
               }
               return t;
           }),
      submitter_(host, UserAgentConfig{"", "", config_.submit_server, config_.submit_name, config_.submit_port}) {}

WebmailServer::~WebmailServer() { host_.unlisten(kHttpPort); }

void WebmailServer::start() {
    host_.listen(kHttpPort, [this](const std::shared_ptr<net::TcpConnection>& c) { on_accept(c); });
}

void WebmailServer::on_accept(const std::shared_ptr<net::TcpConnection>& c) {
    const std::uint64_t id = next_conn_++;
    http::ServerConfig cfg;
    cfg.server = "Postino-webmail";
    auto link = std::make_shared<HttpServerLink>(host_.network(), c, std::make_unique<http::ServerEngine>(cfg));
    sessions_[id] = link;
    std::weak_ptr<HttpServerLink> weak = link;
    auto* self = this;
    link->attach(
        [self, weak](const http::Event& ev) {
            const auto* r = std::get_if<http::RequestEvent>(&ev);
            if (r == nullptr) return;
            // Simulated hosts are all "on the course's own network": passwords are allowed.
            self->app_.handle(r->request, true, [self, weak](http::Response resp) {
                if (auto l = weak.lock()) {
                    l->engine().respond(self->host_.network().now(), std::move(resp));
                    l->pump();
                }
            });
        },
        [self, id](net::CloseReason) {
            self->host_.network().scheduler().schedule_in(Duration{}, [self, id] { self->sessions_.erase(id); });
        });
    link->start();
}

void WebmailServer::imap(imap::ClientConfig cc, const std::function<void(const imap::ClientResult&, bool reached)>& done) {
    const std::uint64_t id = next_imap_++;
    auto conn = host_.connect(config_.imap_server, config_.imap_port);
    auto link = std::make_shared<ImapClientLink>(host_.network(), conn, std::make_unique<imap::ClientEngine>(std::move(cc)));
    imap_links_[id] = link;
    std::weak_ptr<ImapClientLink> weak = link;
    conn->on_connected = [weak] {
        if (auto l = weak.lock()) l->start();
    };
    auto* self = this;
    link->attach([self, weak, id, done](net::CloseReason) {
        if (auto l = weak.lock()) {
            const imap::ClientResult& res = l->engine().result();
            done(res, res.finished || !res.failure.empty());
        }
        self->host_.network().scheduler().schedule_in(Duration{}, [self, id] { self->imap_links_.erase(id); });
    });
}

namespace {
std::string why(const imap::ClientResult& r, bool reached, const std::string& server) {
    if (!reached) return server + " is unreachable on port 143";
    return r.failure.empty() ? "the IMAP session failed" : r.failure;
}
}  // namespace

void WebmailServer::login(const webmail::Credentials& c, std::function<void(Result<std::string>)> done) {
    imap::ClientConfig cc;
    cc.user = c.user;
    cc.password = c.password;
    cc.what = imap::FetchWhat::Headers;
    cc.peek = true;
    const std::string address = c.user.find('@') == std::string::npos ? c.user + "@" + config_.domain : c.user;
    const std::string server = config_.imap_name;
    imap(cc, [done, address, server](const imap::ClientResult& r, bool reached) {
        if (r.ok) return done(address);
        done(Error{why(r, reached, server), ""});
    });
}

void WebmailServer::list(const webmail::Credentials& c, std::function<void(Result<std::vector<webmail::Summary>>)> done) {
    imap::ClientConfig cc;
    cc.user = c.user;
    cc.password = c.password;
    cc.what = imap::FetchWhat::Headers;
    const std::string server = config_.imap_name;
    imap(cc, [done, server](const imap::ClientResult& r, bool reached) {
        if (!r.ok) return done(Error{why(r, reached, server), ""});
        std::vector<webmail::Summary> out;
        // Newest first, as webmails list them.
        for (auto it = r.messages.rbegin(); it != r.messages.rend(); ++it) {
            webmail::Summary s;
            s.id = std::to_string(it->uid);
            s.from = it->from;
            s.subject = it->subject;
            s.size = it->size;
            out.push_back(std::move(s));
        }
        done(std::move(out));
    });
}

void WebmailServer::message(const webmail::Credentials& c, const std::string& id,
                            std::function<void(Result<std::string>)> done) {
    std::uint64_t uid = 0;
    for (char ch : id) {
        if (ch < '0' || ch > '9' || uid > 0xFFFFFFFFull) return done(Error{"no such message", ""});
        uid = uid * 10 + static_cast<std::uint64_t>(ch - '0');
    }
    if (uid == 0 || uid > 0xFFFFFFFFull) return done(Error{"no such message", ""});
    imap::ClientConfig cc;
    cc.user = c.user;
    cc.password = c.password;
    cc.what = imap::FetchWhat::Whole;  // BODY[]: sets \Seen, as opening a message does
    cc.only_uid = static_cast<std::uint32_t>(uid);
    const std::string server = config_.imap_name;
    imap(cc, [done, server](const imap::ClientResult& r, bool reached) {
        if (!r.ok) return done(Error{why(r, reached, server), ""});
        if (r.messages.empty()) return done(Error{"no such message", ""});
        done(r.messages.front().bytes);
    });
}

void WebmailServer::send(const webmail::Credentials& c, const webmail::Outgoing& m,
                         std::function<void(Result<std::string>)> done) {
    (void)c;  // the MTA relays for the webmail host (it is one of its clients), as for a user agent
    OutgoingMail mail;
    mail.from = m.from;
    mail.to = m.to;
    mail.subject = m.subject;
    mail.body = m.body;
    mail.in_reply_to = m.in_reply_to;
    submitter_.send(mail, [done](bool ok, const std::string& text) {
        if (ok) return done(text);
        done(Error{text, ""});
    });
}

}  // namespace postino::agents
