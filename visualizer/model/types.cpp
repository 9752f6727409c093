// types.cpp — names of the model's enums (for labels, filters and the CLI).
#include "model/types.hpp"

#include <array>

namespace postino::viz {
namespace {

constexpr std::array<std::string_view, kKindCount> kKindNames{
    "segment", "tcp", "datagram", "dns", "line", "fault", "note", "host",
    "spool", "mailbox", "message", "ua", "proto"};
constexpr std::array<std::string_view, kCatCount> kCatNames{
    "TCP", "UDP", "DNS", "SMTP", "POP3", "IMAP", "HTTP", "APP", "MAIL", "FAULT", "NOTE"};
constexpr std::array<std::string_view, kMarkCount> kMarkNames{
    "none", "handshake", "delivery", "deferral", "bounce", "fault"};

bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
        if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
        if (x != y) return false;
    }
    return true;
}

}  // namespace

std::string_view to_string(Kind k) { return k < Kind::count ? kKindNames[static_cast<std::size_t>(k)] : "?"; }

std::optional<Kind> kind_from(std::string_view s) {
    for (std::size_t i = 0; i < kKindNames.size(); ++i) {
        if (kKindNames[i] == s) return static_cast<Kind>(i);
    }
    return std::nullopt;
}

std::string_view to_string(Cat c) { return c < Cat::count ? kCatNames[static_cast<std::size_t>(c)] : "?"; }

std::optional<Cat> cat_from(std::string_view s) {
    for (std::size_t i = 0; i < kCatNames.size(); ++i) {
        if (iequal(kCatNames[i], s)) return static_cast<Cat>(i);
    }
    return std::nullopt;
}

std::string_view to_string(Mark m) { return m < Mark::count ? kMarkNames[static_cast<std::size_t>(m)] : "?"; }

}  // namespace postino::viz
