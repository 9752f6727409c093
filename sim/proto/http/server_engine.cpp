// server_engine.cpp — the HTTP/1.1 server engine (RFC 9112 §9.3, §9.6;
// RFC 9110 §9.3.2, §10.1.1, §15.5.9). See server_engine.hpp.
#include "proto/http/server_engine.hpp"

namespace postino::http {

void ServerEngine::start(Time now) { deadline_ = now + config_.idle_timeout; }

std::string ServerEngine::poll_output() { return std::exchange(out_, {}); }

std::optional<Event> ServerEngine::poll_event() {
    if (events_.empty()) return std::nullopt;
    Event e = std::move(events_.front());
    events_.pop_front();
    return e;
}

void ServerEngine::handle_bytes(Time now, std::string_view bytes) {
    if (done_) return;
    // Pipelined input beyond the bound is not taken: a host feeding more
    // than kMaxPipelinedOctets unanswered octets loses the excess, and the
    // connection is refused as too large rather than growing without end.
    if (in_.size() + bytes.size() > kMaxPipelinedOctets) {
        refuse(ParseError{ErrorKind::HeadTooLarge, in_.size(), "unanswered input over " + std::to_string(kMaxPipelinedOctets) + " octets"});
        return;
    }
    in_.append(bytes);
    if (!awaiting_) deadline_ = now + config_.idle_timeout;
    pump(now);
}

void ServerEngine::pump(Time now) {
    while (!done_ && !awaiting_ && !in_.empty()) {
        const ReadResult r = reader_.read(in_);
        if (r.kind == ReadKind::Error) return refuse(reader_.error());
        if (r.kind == ReadKind::NeedMore) {
            if (reader_.head_done() && reader_.expects_continue() && !continue_sent_) {
                continue_sent_ = true;
                Response c;
                c.status = 100;
                const std::string raw = serialize(c);
                out_ += raw;
                events_.emplace_back(ResponseEvent{std::move(c), raw, true});
            }
            return;
        }
        RequestEvent ev;
        ev.raw = in_.substr(0, r.consumed);
        ev.request = reader_.take();
        in_.erase(0, r.consumed);
        reader_.reset();
        continue_sent_ = false;
        ++requests_;
        awaiting_ = true;
        head_request_ = ev.request.method == "HEAD";
        const auto conn = ev.request.fields.combined("Connection");
        close_after_ = list_has_token(conn, "close") ||
                       (ev.request.minor == 0 && !list_has_token(conn, "keep-alive"));  // RFC 9112 §9.3
        deadline_.reset();  // the host answers; no idle timer meanwhile
        events_.emplace_back(std::move(ev));
    }
    (void)now;
}

void ServerEngine::write(Response r, bool head_only) {
    if (!config_.server.empty() && !r.fields.get("Server")) r.fields.add("Server", config_.server);
    if (close_after_) r.fields.set("Connection", "close");
    const std::string raw = serialize(r, head_only);
    out_ += raw;
    events_.emplace_back(ResponseEvent{std::move(r), raw, false});
}

void ServerEngine::respond(Time now, Response response) {
    if (done_ || !awaiting_) return;
    awaiting_ = false;
    if (list_has_token(response.fields.combined("Connection"), "close")) close_after_ = true;
    write(std::move(response), head_request_);
    if (close_after_) return finish("Connection: close", true);
    deadline_ = now + config_.idle_timeout;
    pump(now);
}

void ServerEngine::refuse(const ParseError& e) {
    events_.emplace_back(ViolationEvent{e});
    Response r;
    r.status = e.status();
    r.fields.add("Content-Type", "text/plain; charset=utf-8");
    r.body = std::string(reason_phrase(r.status)) + ": " + e.message() + "\r\n";
    close_after_ = true;
    awaiting_ = false;
    head_request_ = false;
    write(std::move(r), false);
    finish("refused: " + std::string(to_string(e.kind)), true);
}

void ServerEngine::finish(std::string reason, bool by_engine) {
    if (done_) return;
    done_ = true;
    deadline_.reset();
    in_.clear();
    events_.emplace_back(CloseEvent{by_engine, std::move(reason)});
}

void ServerEngine::handle_closed(Time now) {
    (void)now;
    finish(awaiting_ ? "the client closed before the response" : "the client closed", false);
}

void ServerEngine::handle_timeout(Time now) {
    if (done_ || !deadline_ || now < *deadline_) return;
    if (!in_.empty()) {  // a request begun and not finished (RFC 9110 §15.5.9)
        Response r;
        r.status = 408;
        r.fields.add("Content-Type", "text/plain; charset=utf-8");
        r.body = "Request Timeout: no complete request in " + format_duration(config_.idle_timeout) + "\r\n";
        close_after_ = true;
        write(std::move(r), false);
        return finish("request timeout", true);
    }
    finish("idle", true);  // RFC 9112 §9.5: an idle persistent connection may close
}

}  // namespace postino::http
