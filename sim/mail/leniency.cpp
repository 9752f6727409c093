// leniency.cpp — names of the named leniencies (docs/mail.md lists them).
#include "mail/leniency.hpp"

#include <array>

namespace postino::mail {
namespace {
constexpr std::array kNames{
#define POSTINO_X(id, name) std::string_view(name),
    POSTINO_MAIL_LENIENCIES(POSTINO_X)
#undef POSTINO_X
};
}  // namespace

std::string_view leniency_name(Leniency l) { return kNames[static_cast<std::size_t>(l)]; }

std::string Leniencies::names() const {
    std::string out;
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (!has(static_cast<Leniency>(i))) continue;
        if (!out.empty()) out += ", ";
        out += kNames[i];
    }
    return out;
}

}  // namespace postino::mail
