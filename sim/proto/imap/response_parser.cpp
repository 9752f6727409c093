// response_parser.cpp — IMAP server responses for the client engine
// (RFC 3501 §7, §9). See response_parser.hpp.
#include "proto/imap/response_parser.hpp"

#include <cctype>

#include "proto/imap/limits.hpp"

namespace postino::imap {

namespace {

std::string upper(std::string_view s) {
    std::string r(s);
    for (auto& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return r;
}

class Reader {
public:
    explicit Reader(std::string_view s) : s_(s) {}
    [[nodiscard]] bool end() const { return p_ >= s_.size(); }
    [[nodiscard]] char peek() const { return end() ? '\0' : s_[p_]; }
    Error err(const std::string& what) const { return Error{what, "octet " + std::to_string(p_)}; }

    Result<Value> value(std::size_t depth) {
        if (depth > kMaxNesting) return err("response nested too deeply");
        Value v;
        if (peek() == '(') {
            ++p_;
            v.kind = Value::Kind::List;
            while (peek() == ' ') ++p_;
            while (peek() != ')') {
                if (end()) return err("unterminated list");
                auto item = value(depth + 1);
                if (!item.ok()) return item.error();
                v.items.push_back(std::move(*item));
                while (peek() == ' ') ++p_;
            }
            ++p_;
            return v;
        }
        if (peek() == '"') {
            ++p_;
            v.kind = Value::Kind::String;
            while (!end() && s_[p_] != '"') {
                if (s_[p_] == '\\' && p_ + 1 < s_.size()) ++p_;
                v.text += s_[p_++];
            }
            if (end()) return err("unterminated quoted string");
            ++p_;
            return v;
        }
        if (peek() == '{') {
            const auto close = s_.find('}', p_);
            if (close == std::string_view::npos || close + 2 >= s_.size() + 1) return err("malformed literal");
            std::uint64_t n = 0;
            for (std::size_t i = p_ + 1; i < close; ++i) {
                if (s_[i] == '+') continue;
                if (!std::isdigit(static_cast<unsigned char>(s_[i]))) return err("malformed literal length");
                n = n * 10 + static_cast<std::uint64_t>(s_[i] - '0');
            }
            p_ = close + 1;
            if (s_.compare(p_, 2, "\r\n") != 0) return err("CRLF expected after a literal length");
            p_ += 2;
            if (s_.size() - p_ < n) return err("literal shorter than announced");
            v.kind = Value::Kind::String;
            v.text = std::string(s_.substr(p_, n));
            p_ += n;
            return v;
        }
        // An atom; a '[' ... ']' inside it (FETCH item names) may hold spaces and parens.
        const std::size_t b = p_;
        int bracket = 0;
        while (!end()) {
            const char c = s_[p_];
            if (c == '[') ++bracket;
            else if (c == ']') --bracket;
            else if (bracket == 0 && (c == ' ' || c == '(' || c == ')')) break;
            ++p_;
        }
        if (p_ == b) return err("expected a value");
        v.text = std::string(s_.substr(b, p_ - b));
        if (upper(v.text) == "NIL") v.kind = Value::Kind::Nil;
        return v;
    }

    std::string_view word() {
        const std::size_t b = p_;
        while (!end() && s_[p_] != ' ') ++p_;
        const auto w = s_.substr(b, p_ - b);
        if (!end()) ++p_;
        return w;
    }
    std::string_view rest() {
        const auto r = s_.substr(std::min(p_, s_.size()));
        p_ = s_.size();
        return r;
    }
    std::size_t p_ = 0;

private:
    std::string_view s_;
};

bool is_status(const std::string& w) { return w == "OK" || w == "NO" || w == "BAD" || w == "BYE" || w == "PREAUTH"; }

void split_code(std::string_view text, ServerResponse& r) {
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close != std::string_view::npos) {
            r.code = std::string(text.substr(1, close - 1));
            text.remove_prefix(close + 1);
            if (!text.empty() && text.front() == ' ') text.remove_prefix(1);
        }
    }
    r.text = std::string(text);
}

}  // namespace

Result<ServerResponse> parse_response(std::string_view framed) {
    ServerResponse r;
    Reader rd(framed);
    if (framed.rfind('+', 0) == 0) {
        r.kind = ServerResponse::Kind::Continuation;
        r.text = std::string(framed.size() > 2 ? framed.substr(2) : std::string_view{});
        return r;
    }
    const auto tag = rd.word();
    if (tag.empty()) return Error{"empty response line", "octet 0"};
    if (tag == "*") {
        r.kind = ServerResponse::Kind::Untagged;
    } else {
        r.kind = ServerResponse::Kind::Tagged;
        r.tag = std::string(tag);
    }
    const auto w = rd.word();
    if (!w.empty() && std::isdigit(static_cast<unsigned char>(w.front()))) {
        std::uint64_t n = 0;
        for (char c : w) {
            if (!std::isdigit(static_cast<unsigned char>(c)) || n > 0xFFFFFFFFull) return Error{"bad message number", "octet 2"};
            n = n * 10 + static_cast<std::uint64_t>(c - '0');
        }
        r.number = static_cast<std::uint32_t>(n);
        r.name = upper(rd.word());
        if (r.name == "FETCH") {
            while (rd.peek() == ' ') ++rd.p_;
            auto v = rd.value(0);
            if (!v.ok()) return v.error();
            if (!v->is_list()) return Error{"FETCH data is a list", "octet " + std::to_string(rd.p_)};
            r.data = std::move(*v);
        } else {
            r.text = std::string(rd.rest());
        }
        return r;
    }
    const std::string word = upper(w);
    if (is_status(word)) {
        r.status = word;
        split_code(rd.rest(), r);
        return r;
    }
    if (r.kind == ServerResponse::Kind::Tagged) return Error{"a tagged response needs OK, NO or BAD", "octet 0"};
    r.name = word;
    r.text = std::string(rd.rest());
    return r;
}

const Value* fetch_item(const Value& list, std::string_view name) {
    for (std::size_t i = 0; i + 1 < list.items.size(); i += 2) {
        if (upper(list.items[i].text) == upper(name)) return &list.items[i + 1];
    }
    return nullptr;
}

}  // namespace postino::imap
