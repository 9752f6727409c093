// error.cpp — names of the sim/mail error codes and their round trip
// through postino::Error.
#include "mail/error.hpp"

#include <array>
#include <charconv>
#include <string>

namespace postino::mail {
namespace {

constexpr std::array kNames{
#define POSTINO_X(id, name) std::string_view(name),
    POSTINO_MAIL_ERRORS(POSTINO_X)
#undef POSTINO_X
};

constexpr std::string_view kOffsetPrefix = "offset ";

}  // namespace

std::string_view errc_name(Errc code) { return kNames[static_cast<std::size_t>(code)]; }

Error make_error(Errc code, std::size_t offset, std::string_view detail) {
    std::string what(errc_name(code));
    what += ": ";
    what += detail;
    return Error{std::move(what), std::string(kOffsetPrefix) + std::to_string(offset)};
}

Error shift_error(const Error& e, std::size_t delta) {
    const auto off = error_offset(e);
    if (!off) return e;
    return Error{e.what, std::string(kOffsetPrefix) + std::to_string(*off + delta)};
}

std::optional<Errc> error_code(const Error& e) {
    const auto colon = e.what.find(':');
    if (colon == std::string::npos) return std::nullopt;
    const std::string_view name(e.what.data(), colon);
    for (std::size_t i = 0; i < kNames.size(); ++i)
        if (kNames[i] == name) return static_cast<Errc>(i);
    return std::nullopt;
}

std::optional<std::size_t> error_offset(const Error& e) {
    if (e.where.rfind(kOffsetPrefix, 0) != 0) return std::nullopt;
    std::size_t v = 0;
    const char* b = e.where.data() + kOffsetPrefix.size();
    const char* end = e.where.data() + e.where.size();
    auto [p, ec] = std::from_chars(b, end, v);
    if (ec != std::errc() || p != end || p == b) return std::nullopt;
    return v;
}

}  // namespace postino::mail
