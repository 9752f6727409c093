// client_engine.cpp — the IMAP client engine (RFC 3501 §6.2.3, §6.3.1,
// §6.4.5, §6.4.8, §6.1.3; RFC 6851). See client_engine.hpp.
#include "proto/imap/client_engine.hpp"

#include <algorithm>

#include "proto/imap/command.hpp"

namespace postino::imap {

const char* to_string(FetchWhat w) {
    switch (w) {
        case FetchWhat::Headers: return "headers";
        case FetchWhat::TextPart: return "text part";
        case FetchWhat::Whole: return "whole messages";
    }
    return "?";
}

namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The section of the first text/* leaf of a BODYSTRUCTURE, "" when none.
std::string first_text(const Value& bs, const std::string& prefix) {
    if (!bs.is_list() || bs.items.empty()) return {};
    if (bs.items.front().is_list()) {  // multipart: children, then the subtype
        int n = 0;
        for (const auto& child : bs.items) {
            if (!child.is_list()) break;
            ++n;
            std::string path = prefix.empty() ? std::to_string(n) : prefix + "." + std::to_string(n);
            if (!child.items.empty() && child.items.front().is_list()) {
                if (auto s = first_text(child, path); !s.empty()) return s;
            } else if (!child.items.empty() && lower(child.items.front().text) == "text") {
                return path;
            }
        }
        return {};
    }
    return lower(bs.items.front().text) == "text" ? (prefix.empty() ? "1" : prefix) : std::string();
}

// A decimal number of at most ten digits, or nullopt (a server's garbage
// must never throw).
std::optional<std::uint64_t> number(const std::string& s) {
    if (s.empty() || s.size() > 10) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
}

std::string envelope_from(const Value& env) {
    if (!env.is_list() || env.items.size() < 3 || !env.items[2].is_list() || env.items[2].items.empty()) return {};
    const Value& a = env.items[2].items.front();
    if (!a.is_list() || a.items.size() < 4) return {};
    std::string addr = a.items[2].text + "@" + a.items[3].text;
    return a.items[0].kind == Value::Kind::Nil ? addr : a.items[0].text + " <" + addr + ">";
}

}  // namespace

void ClientEngine::start(Time now) {
    now_ = now;
    deadline_ = now + config_.timeout;
}

std::string ClientEngine::poll_output() { return std::exchange(out_, {}); }

std::optional<Event> ClientEngine::poll_event() {
    if (events_.empty()) return std::nullopt;
    Event e = std::move(events_.front());
    events_.pop_front();
    return e;
}

void ClientEngine::send(const std::string& command) {
    tag_ = "c" + std::to_string(next_tag_++);
    const std::string line = tag_ + " " + command;
    out_ += line + "\r\n";
    std::string name = command.substr(0, command.find(' '));
    if (name == "UID") name += " " + command.substr(4, command.find(' ', 4) - 4);
    events_.emplace_back(CommandEvent{tag_, name, name == "LOGIN" ? tag_ + " LOGIN (credentials)" : line.substr(0, kMaxTraceOctets),
                                   line.size() + 2});
}

void ClientEngine::handle_bytes(Time now, std::string_view bytes) {
    now_ = now;
    if (step_ == Step::Done) return;
    deadline_ = now + config_.timeout;
    in_.append(bytes);
    std::size_t off = 0;
    while (off < in_.size() && step_ != Step::Done) {
        auto s = framer_.read(std::string_view(in_).substr(off));
        off += s.consumed;
        if (s.kind == CommandFramer::Kind::Literal) {
            framer_.accept_literal();  // a server's literal follows at once
            continue;
        }
        if (s.kind == CommandFramer::Kind::NeedMore) break;
        if (s.kind == CommandFramer::Kind::Error) {
            fail(std::string("unreadable response: ") + to_string(s.error));
            break;
        }
        const std::string framed(s.command);
        events_.emplace_back(ResponseEvent{framed + "\r\n"});
        auto r = parse_response(framed);
        if (!r.ok()) {
            fail("unreadable response: " + r.error().message());
            break;
        }
        on_response(*r);
    }
    in_.erase(0, off);
}

void ClientEngine::handle_closed(Time now) {
    now_ = now;
    if (step_ == Step::Done) return;
    if (step_ == Step::Logout) return finish(result_.failure.empty());
    fail("connection lost");
}

void ClientEngine::handle_timeout(Time now) {
    now_ = now;
    if (deadline_ && now >= *deadline_ && step_ != Step::Done) fail("timeout waiting for the server");
}

void ClientEngine::fail(std::string why) {
    if (result_.failure.empty()) result_.failure = std::move(why);
    finish(false);
}

void ClientEngine::finish(bool ok) {
    if (step_ == Step::Done) return;
    step_ = Step::Done;
    result_.finished = true;
    result_.ok = ok;
    deadline_.reset();
    events_.emplace_back(CloseEvent{true, ok ? "done" : result_.failure});
}

void ClientEngine::on_response(const ServerResponse& r) {
    if (r.kind == ServerResponse::Kind::Continuation) return fail("unexpected continuation");
    if (r.kind == ServerResponse::Kind::Untagged) {
        if (step_ == Step::Greeting) {
            if (r.status == "OK") {
                step_ = Step::Login;
                send("LOGIN " + quote_astring(config_.user) + " " + quote_astring(config_.password));
                return;
            }
            if (r.status == "PREAUTH") {
                step_ = Step::Select;
                send("SELECT " + quote_astring(config_.mailbox));
                return;
            }
            return fail("the server refused the connection: " + r.text);
        }
        if (r.status == "BYE" && step_ != Step::Logout) return fail("the server said BYE: " + r.text);
        if (r.name == "EXISTS" && r.number) result_.exists = *r.number;
        if (r.name == "FETCH") on_fetch(r);
        return;
    }
    if (r.tag != tag_) return fail("a response with an unknown tag " + r.tag);
    on_tagged(r);
}

void ClientEngine::on_fetch(const ServerResponse& r) {
    const Value* uid = fetch_item(r.data, "UID");
    const auto uid_number = uid ? number(uid->text) : std::nullopt;
    if (!uid_number || *uid_number == 0 || *uid_number > 0xFFFFFFFFull) return fail("a FETCH response without a valid UID");
    const auto u = static_cast<std::uint32_t>(*uid_number);
    auto it = std::find_if(result_.messages.begin(), result_.messages.end(), [&](const ClientMessage& m) { return m.uid == u; });
    if (it == result_.messages.end()) {
        if (step_ != Step::Headers) return;
        result_.messages.push_back(ClientMessage{});
        it = result_.messages.end() - 1;
        it->uid = u;
    }
    if (const Value* sz = fetch_item(r.data, "RFC822.SIZE")) {
        const auto n = number(sz->text);
        if (!n) return fail("a FETCH response with a malformed RFC822.SIZE");
        it->size = *n;
        result_.octets_total += it->size;
    }
    if (const Value* env = fetch_item(r.data, "ENVELOPE"); env && env->is_list() && env->items.size() >= 2) {
        it->subject = env->items[1].text;
        it->from = envelope_from(*env);
    }
    if (const Value* bs = fetch_item(r.data, "BODYSTRUCTURE")) {
        it->multipart = bs->is_list() && !bs->items.empty() && bs->items.front().is_list();
        if (config_.what == FetchWhat::TextPart) it->section = first_text(*bs, "");
    }
    for (std::size_t i = 0; i + 1 < r.data.items.size(); i += 2) {
        const std::string& name = r.data.items[i].text;
        if (name.rfind("BODY[", 0) == 0) {
            it->bytes = r.data.items[i + 1].text;
            result_.octets_fetched += it->bytes.size();
        }
    }
}

void ClientEngine::next_body() {
    while (body_index_ < result_.messages.size()) {
        const ClientMessage& m = result_.messages[body_index_++];
        if (config_.what == FetchWhat::TextPart && m.section.empty()) continue;  // no text part: nothing to read
        const std::string item = config_.peek ? "BODY.PEEK[" : "BODY[";
        send("UID FETCH " + std::to_string(m.uid) + " (" + item + (config_.what == FetchWhat::Whole ? "" : m.section) + "])");
        return;
    }
    after_bodies();
}

void ClientEngine::after_bodies() {
    std::vector<std::uint32_t> uids;
    for (const auto& m : result_.messages) uids.push_back(m.uid);
    const std::string set = format_numbers(uids);
    if (!set.empty() && !config_.move_to.empty() && step_ < Step::Move) {
        step_ = Step::Move;
        return send("UID MOVE " + set + " " + quote_astring(config_.move_to));
    }
    if (!set.empty() && config_.delete_after && step_ < Step::Store) {
        step_ = Step::Store;
        return send("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)");
    }
    step_ = Step::Logout;
    send("LOGOUT");
}

void ClientEngine::on_tagged(const ServerResponse& r) {
    const bool ok = r.status == "OK";
    switch (step_) {
        case Step::Login:
            if (!ok) return fail("login refused: " + r.text);
            step_ = Step::Select;
            return send("SELECT " + quote_astring(config_.mailbox));
        case Step::Select:
            if (!ok) return fail("cannot select " + config_.mailbox + ": " + r.text);
            if (result_.exists == 0) return after_bodies();
            step_ = Step::Headers;
            return send("UID FETCH " + (config_.only_uid ? std::to_string(*config_.only_uid) : std::string("1:*")) +
                        " (UID RFC822.SIZE ENVELOPE BODYSTRUCTURE)");
        case Step::Headers:
            if (!ok) return fail("FETCH refused: " + r.text);
            step_ = Step::Body;
            if (config_.what == FetchWhat::Headers) return after_bodies();
            return next_body();
        case Step::Body:
            if (!ok) return fail("FETCH refused: " + r.text);
            return next_body();
        case Step::Move:
            if (!ok && r.code == "TRYCREATE" && !created_) {  // §6.4.7: create it, then try again
                created_ = true;
                step_ = Step::Create;
                return send("CREATE " + quote_astring(config_.move_to));
            }
            if (!ok) return fail("MOVE refused: " + r.text);
            return after_bodies();
        case Step::Create:
            if (!ok) return fail("CREATE refused: " + r.text);
            step_ = Step::Body;  // after_bodies() sends the MOVE again
            return after_bodies();
        case Step::Store:
            if (!ok) return fail("STORE refused: " + r.text);
            step_ = Step::Expunge;
            return send("EXPUNGE");
        case Step::Expunge:
            if (!ok) return fail("EXPUNGE refused: " + r.text);
            step_ = Step::Logout;
            return send("LOGOUT");
        case Step::Logout:
            return finish(true);
        default:
            return fail("unexpected tagged response");
    }
}

}  // namespace postino::imap
