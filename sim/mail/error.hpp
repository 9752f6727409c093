// error.hpp — typed parse errors of sim/mail, carried inside postino::Error.
//
// Every parser in sim/mail reports failure as a postino::Error whose `where`
// is "offset N" (octets from the start of the input the caller passed in) and
// whose `what` starts with a stable code name ("bare-cr: ..."). error_code()
// and error_offset() recover the typed values, so tests, the visualizer and
// the SMTP engine can branch on the kind of error without parsing prose.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace postino::mail {

#define POSTINO_MAIL_ERRORS(X)                                                        \
    /* line structure, RFC 5322 §2.1.1 and §2.3 */                                     \
    X(bare_cr, "bare-cr")                                                              \
    X(bare_lf, "bare-lf")                                                              \
    X(nul_octet, "nul-octet")                                                          \
    X(line_too_long, "line-too-long")                                                  \
    X(eight_bit_octet, "eight-bit-octet")                                              \
    X(control_char, "control-char")                                                    \
    /* header section, RFC 5322 §2.2 and §3.6 */                                       \
    X(field_name_invalid, "field-name-invalid")                                        \
    X(missing_colon, "missing-colon")                                                  \
    X(ws_before_colon, "ws-before-colon")                                              \
    X(continuation_first, "continuation-first")                                        \
    X(blank_continuation, "blank-continuation")                                        \
    X(header_too_large, "header-too-large")                                            \
    X(header_unterminated, "header-unterminated")                                      \
    X(fold_impossible, "fold-impossible")                                              \
    X(duplicate_field, "duplicate-field")                                              \
    X(missing_field, "missing-field")                                                  \
    /* addresses, RFC 5322 §3.4 and RFC 5321 §4.1.2, §4.5.3.1 */                       \
    X(address_syntax, "address-syntax")                                                \
    X(local_part_too_long, "local-part-too-long")                                      \
    X(domain_too_long, "domain-too-long")                                              \
    X(label_too_long, "label-too-long")                                                \
    X(path_too_long, "path-too-long")                                                  \
    X(unterminated_quote, "unterminated-quote")                                        \
    X(unterminated_comment, "unterminated-comment")                                    \
    X(comment_too_deep, "comment-too-deep")                                            \
    /* MIME header fields, RFC 2045 §5 and §6, RFC 2231 */                             \
    X(content_type_syntax, "content-type-syntax")                                      \
    X(parameter_syntax, "parameter-syntax")                                            \
    X(duplicate_parameter, "duplicate-parameter")                                      \
    X(unknown_transfer_encoding, "unknown-transfer-encoding")                          \
    X(composite_encoding, "composite-encoding")                                        \
    /* multipart structure, RFC 2046 §5.1 */                                           \
    X(missing_boundary, "missing-boundary")                                            \
    X(boundary_invalid, "boundary-invalid")                                            \
    X(no_first_boundary, "no-first-boundary")                                          \
    X(unterminated_multipart, "unterminated-multipart")                                \
    X(nesting_too_deep, "nesting-too-deep")                                            \
    X(too_many_parts, "too-many-parts")                                                \
    /* transfer encodings, RFC 2045 §6.7, §6.8, RFC 4648 */                            \
    X(base64_invalid_char, "base64-invalid-char")                                      \
    X(base64_bad_padding, "base64-bad-padding")                                        \
    X(base64_truncated, "base64-truncated")                                            \
    X(base64_data_after_padding, "base64-data-after-padding")                          \
    X(qp_bad_escape, "qp-bad-escape")                                                  \
    X(qp_lowercase_hex, "qp-lowercase-hex")                                            \
    X(qp_line_too_long, "qp-line-too-long")                                            \
    X(qp_unencoded_octet, "qp-unencoded-octet")                                        \
    /* the rest */                                                                     \
    X(date_syntax, "date-syntax")                                                      \
    X(status_syntax, "status-syntax")                                                  \
    X(dsn_syntax, "dsn-syntax")                                                        \
    X(not_a_report, "not-a-report")

enum class Errc : std::uint8_t {
#define POSTINO_X(id, name) id,
    POSTINO_MAIL_ERRORS(POSTINO_X)
#undef POSTINO_X
};

// The stable name of a code, e.g. "bare-cr".
std::string_view errc_name(Errc code);

// An Error with what = "<code-name>: <detail>" and where = "offset <offset>".
Error make_error(Errc code, std::size_t offset, std::string_view detail);

// The same error moved by `delta` octets (a nested parser reports offsets
// relative to its own input; the caller adds where that input started).
Error shift_error(const Error& e, std::size_t delta);

// The typed values back from an Error made by make_error (nullopt otherwise).
std::optional<Errc> error_code(const Error& e);
std::optional<std::size_t> error_offset(const Error& e);

}  // namespace postino::mail
