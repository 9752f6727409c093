// client_engine.cpp — the HTTP/1.1 client engine (RFC 9112 §6.3, §9.3;
// RFC 9110 §9.3.2, §15.2). See client_engine.hpp.
#include "proto/http/client_engine.hpp"

namespace postino::http {

void ClientEngine::start(Time now) {
    started_ = true;
    next(now);
}

std::string ClientEngine::poll_output() { return std::exchange(out_, {}); }

std::optional<Event> ClientEngine::poll_event() {
    if (events_.empty()) return std::nullopt;
    Event e = std::move(events_.front());
    events_.pop_front();
    return e;
}

void ClientEngine::send(Time now, Request request) {
    if (done_) return;
    queue_.push_back(std::move(request));
    next(now);
}

void ClientEngine::close(Time now) {
    closing_ = true;
    next(now);
}

void ClientEngine::next(Time now) {
    if (!started_ || done_ || in_flight_) return;
    if (queue_.empty()) {
        if (closing_) finish("done");
        return;
    }
    Request r = std::move(queue_.front());
    queue_.pop_front();
    reader_.reset();
    reader_.expect_no_content(r.method == "HEAD");
    const std::string raw = serialize(r);
    out_ += raw;
    events_.emplace_back(RequestEvent{std::move(r), raw});
    in_flight_ = true;
    deadline_ = now + config_.timeout;
}

void ClientEngine::handle_bytes(Time now, std::string_view bytes) {
    if (done_) return;
    if (!in_flight_) return fail("octets from the server with no request outstanding");
    in_.append(bytes);
    while (!done_ && in_flight_ && !in_.empty()) {
        const ReadResult r = reader_.read(in_);
        if (r.kind == ReadKind::Error) {
            events_.emplace_back(ViolationEvent{reader_.error()});
            return fail("malformed response: " + reader_.error().message());
        }
        if (r.kind == ReadKind::NeedMore) return;
        ResponseEvent ev;
        ev.raw = in_.substr(0, r.consumed);
        ev.response = reader_.take();
        in_.erase(0, r.consumed);
        const bool interim = ev.response.status >= 100 && ev.response.status < 200;
        ev.interim = interim;
        const bool server_closes = list_has_token(ev.response.fields.combined("Connection"), "close") ||
                                   ev.response.minor == 0;
        events_.emplace_back(std::move(ev));
        if (interim) {
            reader_.reset();  // the final response follows (keeps the HEAD flag)
            continue;
        }
        in_flight_ = false;
        deadline_.reset();
        if (server_closes) {
            finish("the server closes the connection");
            return;
        }
        next(now);
    }
}

void ClientEngine::handle_closed(Time now) {
    (void)now;
    if (done_) return;
    if (in_flight_) {
        const ReadResult r = reader_.finish_at_close(in_);
        if (r.kind == ReadKind::Complete) {
            ResponseEvent ev;
            ev.raw = in_;
            ev.response = reader_.take();
            events_.emplace_back(std::move(ev));
            in_.clear();
            in_flight_ = false;
            return finish("done");
        }
        events_.emplace_back(CloseEvent{false, "the server closed before the response"});
        done_ = true;
        deadline_.reset();
        failure_ = "the server closed before the response";
        return;
    }
    finish(queue_.empty() ? "done" : "the server closed the connection");
}

void ClientEngine::handle_timeout(Time now) {
    if (done_ || !deadline_ || now < *deadline_) return;
    fail("no response in " + format_duration(config_.timeout));
}

void ClientEngine::fail(std::string why) {
    if (done_) return;
    failure_ = why;
    done_ = true;
    deadline_.reset();
    events_.emplace_back(CloseEvent{true, std::move(why)});
}

void ClientEngine::finish(std::string reason) {
    if (done_) return;
    if (failure_.empty()) failure_ = reason == "done" ? "done" : reason;
    done_ = true;
    deadline_.reset();
    events_.emplace_back(CloseEvent{true, std::move(reason)});
}

}  // namespace postino::http
