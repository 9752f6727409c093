// text_util.cpp — durations, hex dumps, header splitting, --at parsing.
#include "model/text_util.hpp"

#include <algorithm>
#include <cstdio>

#include "core/time.hpp"

namespace postino::viz {

std::string short_duration(std::int64_t ns) {
    const bool neg = ns < 0;
    const std::uint64_t a = neg ? static_cast<std::uint64_t>(-(ns + 1)) + 1 : static_cast<std::uint64_t>(ns);
    char buf[64];
    const double d = static_cast<double>(a);
    if (a == 0) return "0 s";
    if (a < 1'000) {
        std::snprintf(buf, sizeof buf, "%llu ns", static_cast<unsigned long long>(a));
    } else if (a < 1'000'000) {
        std::snprintf(buf, sizeof buf, "%.1f us", d / 1e3);
    } else if (a < 1'000'000'000) {
        std::snprintf(buf, sizeof buf, "%.1f ms", d / 1e6);
    } else if (a < 60'000'000'000ull) {
        std::snprintf(buf, sizeof buf, "%.2f s", d / 1e9);
    } else if (a < 3'600'000'000'000ull) {
        const auto s = a / 1'000'000'000ull;
        std::snprintf(buf, sizeof buf, "%llu min %llu s", static_cast<unsigned long long>(s / 60),
                      static_cast<unsigned long long>(s % 60));
    } else if (a < 86'400'000'000'000ull) {
        const auto m = a / 60'000'000'000ull;
        std::snprintf(buf, sizeof buf, "%llu h %llu min", static_cast<unsigned long long>(m / 60),
                      static_cast<unsigned long long>(m % 60));
    } else {
        const auto h = a / 3'600'000'000'000ull;
        std::snprintf(buf, sizeof buf, "%llu d %llu h", static_cast<unsigned long long>(h / 24),
                      static_cast<unsigned long long>(h % 24));
    }
    return neg ? "-" + std::string(buf) : std::string(buf);
}

std::string countdown(std::int64_t at, std::int64_t now) {
    if (at == now) return "due now";
    if (at > now) return "in " + short_duration(at - now);
    return "overdue " + short_duration(now - at);
}

std::string stamp(std::int64_t ns) { return format_timestamp(Duration::from_ns(ns)); }

std::string hex_dump(std::string_view bytes, std::size_t max_rows) {
    std::string out;
    char buf[32];
    std::size_t rows = 0;
    for (std::size_t off = 0; off < bytes.size(); off += 16) {
        if (rows++ == max_rows) {
            out += "...\n";
            break;
        }
        std::snprintf(buf, sizeof buf, "%04zx  ", off);
        out += buf;
        for (std::size_t i = 0; i < 16; ++i) {
            if (off + i < bytes.size()) {
                std::snprintf(buf, sizeof buf, "%02x ", static_cast<unsigned char>(bytes[off + i]));
                out += buf;
            } else {
                out += "   ";
            }
            if (i == 7) out += ' ';
        }
        out += ' ';
        for (std::size_t i = 0; i < 16 && off + i < bytes.size(); ++i) {
            const auto c = static_cast<unsigned char>(bytes[off + i]);
            out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '.');
        }
        out += '\n';
    }
    return out;
}

HeaderSplit split_header(std::string_view msg) {
    HeaderSplit h;
    std::size_t i = 0;
    while (i < msg.size()) {
        std::size_t eol = msg.find('\n', i);
        const std::size_t next = eol == std::string_view::npos ? msg.size() : eol + 1;
        std::string_view line = msg.substr(i, (eol == std::string_view::npos ? msg.size() : eol) - i);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) {
            h.body_offset = next;
            return h;
        }
        if ((line[0] == ' ' || line[0] == '\t') && !h.fields.empty()) {
            h.fields.back().second += " ";
            std::size_t a = 0;
            while (a < line.size() && (line[a] == ' ' || line[a] == '\t')) ++a;
            h.fields.back().second.append(line.substr(a));
        } else {
            const std::size_t colon = line.find(':');
            if (colon == std::string_view::npos) {
                h.fields.emplace_back(std::string(line), std::string());
            } else {
                std::string_view value = line.substr(colon + 1);
                while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
                h.fields.emplace_back(std::string(line.substr(0, colon)), std::string(value));
            }
        }
        i = next;
    }
    h.body_offset = msg.size();
    return h;
}

std::vector<std::vector<std::pair<std::string, std::string>>> header_blocks(std::string_view text) {
    std::vector<std::vector<std::pair<std::string, std::string>>> out;
    while (!text.empty()) {
        // Skip empty lines between blocks.
        while (text.substr(0, 2) == "\r\n" || text.substr(0, 1) == "\n") text.remove_prefix(text[0] == '\r' ? 2 : 1);
        if (text.empty()) break;
        HeaderSplit h = split_header(text);
        if (!h.fields.empty()) out.push_back(std::move(h.fields));
        text.remove_prefix(std::min(h.body_offset, text.size()));
    }
    return out;
}

std::string note_text(const trace::Event& note, std::string_view lang, bool* translated) {
    if (translated != nullptr) *translated = false;
    if (!lang.empty() && lang != "en") {
        std::string t = note.get_str(std::string(lang));
        if (!t.empty()) {
            if (translated != nullptr) *translated = true;
            return t;
        }
    }
    return note.get_str("text");
}

Result<AtSpec> parse_at(std::string_view text) {
    AtSpec a;
    if (!text.empty() && text[0] == '#') {
        if (text.size() == 1) return Error{"expected an event number after '#'", std::string(text)};
        std::uint64_t n = 0;
        for (char c : text.substr(1)) {
            if (c < '0' || c > '9' || n > 1'000'000'000'000ull) {
                return Error{"an event is written #N with N a number (e.g. #42)", std::string(text)};
            }
            n = n * 10 + static_cast<std::uint64_t>(c - '0');
        }
        a.is_event = true;
        a.event = n;
        return a;
    }
    auto d = parse_duration(text);
    if (!d) return Error{"expected a time like 1.5s, 250ms, 2h30m or an event like #42", std::string(text)};
    a.t = d->ns();
    return a;
}

Result<std::pair<int, int>> parse_size(std::string_view text) {
    const std::size_t x = text.find('x');
    const auto num = [](std::string_view s, int& out) {
        if (s.empty() || s.size() > 5) return false;
        out = 0;
        for (char c : s) {
            if (c < '0' || c > '9') return false;
            out = out * 10 + (c - '0');
        }
        return out >= 64 && out <= 16384;
    };
    int w = 0, h = 0;
    if (x == std::string_view::npos || !num(text.substr(0, x), w) || !num(text.substr(x + 1), h)) {
        return Error{"expected WIDTHxHEIGHT, e.g. 1920x1080 (64..16384 each)", std::string(text)};
    }
    return std::make_pair(w, h);
}

}  // namespace postino::viz
