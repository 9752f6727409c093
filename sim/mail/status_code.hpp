// status_code.hpp — enhanced mail system status codes as a typed value.
//
// RFC 3463 §2 (class.subject.detail: class 2, 4 or 5; subject and detail of
// one to three digits), §3 (the meaning of each subject and detail), RFC 4954
// §6 (the X.5.6, X.7.8, X.7.9 and X.7.11 authentication codes) and X.7.10
// "Encryption Needed" from the RFC 5248 registry.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace postino::mail {

// RFC 3463 §2: subject and detail are at most three digits.
inline constexpr int kMaxStatusPart = 999;

struct EnhancedStatus {
    int klass = 2;   // 2 success, 4 persistent transient failure, 5 permanent failure
    int subject = 0;
    int detail = 0;

    // Strict "c.s.d" with no leading zeros (except a lone "0").
    static Result<EnhancedStatus> parse(std::string_view s);
    [[nodiscard]] std::string str() const;
    // "Bad destination mailbox address" for X.1.1; the subject's "Other or
    // undefined ..." text for a detail RFC 3463 does not list.
    [[nodiscard]] std::string_view meaning() const;
    [[nodiscard]] std::string_view class_meaning() const;    // "Permanent Failure"
    [[nodiscard]] std::string_view subject_meaning() const;  // "Addressing Status"
    [[nodiscard]] bool known() const;                        // listed in the table
    [[nodiscard]] bool is_success() const { return klass == 2; }
    [[nodiscard]] bool is_transient() const { return klass == 4; }
    [[nodiscard]] bool is_permanent() const { return klass == 5; }
    auto operator<=>(const EnhancedStatus&) const = default;
};

// The codes a Postino MTA uses most, named (RFC 3463 §3.2–§3.5).
namespace status {
inline constexpr EnhancedStatus kDelivered{2, 0, 0};
inline constexpr EnhancedStatus kBadMailbox{5, 1, 1};         // no such user
inline constexpr EnhancedStatus kBadSystem{5, 1, 2};          // no such domain
inline constexpr EnhancedStatus kMailboxFull{5, 2, 2};
inline constexpr EnhancedStatus kMailboxFullTemp{4, 2, 2};
inline constexpr EnhancedStatus kTooBig{5, 3, 4};
inline constexpr EnhancedStatus kNoAnswer{4, 4, 1};
inline constexpr EnhancedStatus kBadConnection{4, 4, 2};
inline constexpr EnhancedStatus kExpired{4, 4, 7};
inline constexpr EnhancedStatus kExpiredPermanent{5, 4, 7};
inline constexpr EnhancedStatus kRoutingLoop{5, 4, 6};
inline constexpr EnhancedStatus kUnableToRoute{5, 4, 4};
}  // namespace status

}  // namespace postino::mail
