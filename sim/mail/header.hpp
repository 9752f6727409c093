// header.hpp — RFC 5322 header fields and the header section parser.
//
// RFC 5322 §2.2 (field = name ":" body; names are printable ASCII but ':'),
// §2.2.3 (folding and unfolding), §2.1.1 (998/78 octet lines), §3.6 (how
// many times each field may occur). A field keeps its exact bytes, so a
// parsed header serializes back octet for octet; fields keep their order and
// duplicates are kept. The parser is incremental (feed/finish, DESIGN.md §4)
// and strict; the tolerances it has are named in leniency.hpp.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "mail/leniency.hpp"
#include "mail/lines.hpp"

namespace postino::mail {

// Postino bounds (not RFC limits): a header section larger than this, or with
// more fields, is refused, so a parser's memory is bounded (DESIGN.md §4).
inline constexpr std::size_t kMaxHeaderOctets = std::size_t{1024} * 1024;
inline constexpr std::size_t kMaxHeaderFields = 10000;

class HeaderField {
public:
    // A field from its exact bytes (name through line break, folds kept).
    // Used by the parser, which has already checked them.
    HeaderField(std::string raw, std::size_t name_len, std::size_t value_end);

    // Builds "Name: value" CRLF, folding at whitespace so lines stay within
    // 78 octets where the value allows, and never beyond 998. The value must
    // be printable ASCII and WSP (encode it first: see encoded_word.hpp).
    static Result<HeaderField> make(std::string_view name, std::string_view value);
    // Builds an unstructured field (Subject, Comments) from UTF-8 text,
    // using RFC 2047 encoded words where needed.
    static Result<HeaderField> make_text(std::string_view name, std::string_view utf8);

    [[nodiscard]] std::string_view name() const { return std::string_view(raw_).substr(0, name_len_); }
    [[nodiscard]] const std::string& raw() const { return raw_; }
    // The field body as written: after ':' up to the final line break.
    [[nodiscard]] std::string_view raw_value() const;
    // The field body unfolded (§2.2.3) with leading/trailing WSP removed.
    [[nodiscard]] std::string value() const;
    // The unfolded body with RFC 2047 encoded words decoded (unstructured fields).
    [[nodiscard]] std::string text() const;
    [[nodiscard]] bool is(std::string_view name) const;

private:
    std::string raw_;
    std::size_t name_len_;
    std::size_t value_end_;  // where the final line break starts
};

// Folds "name: value" into lines of at most `width` octets where there is
// whitespace to fold at. Fails if a line would exceed 998 octets.
Result<std::string> fold_field(std::string_view name, std::string_view value, std::size_t width = kFoldLineOctets);

// Unfolds a field body: removes every line break that precedes WSP (§2.2.3).
std::string unfold(std::string_view raw_value);

// An ordered header section.
class Header {
public:
    std::vector<HeaderField> fields;

    [[nodiscard]] const HeaderField* find(std::string_view name) const;
    [[nodiscard]] std::vector<const HeaderField*> find_all(std::string_view name) const;
    [[nodiscard]] std::size_t count(std::string_view name) const;
    // Unfolded value of the first field with this name.
    [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
    void append(HeaderField f) { fields.push_back(std::move(f)); }
    void prepend(HeaderField f) { fields.insert(fields.begin(), std::move(f)); }
    std::size_t remove_all(std::string_view name);
    // The fields' exact bytes, in order (no blank line).
    [[nodiscard]] std::string serialize() const;
};

// RFC 5322 §3.6: Date and From exactly once; Sender, Reply-To, To, Cc, Bcc,
// Message-ID, In-Reply-To, References and Subject at most once.
Status check_field_counts(const Header& h);

struct HeaderSection {
    Header header;
    std::size_t consumed = 0;   // octets of the section, blank line included
    std::size_t separator = 0;  // octets of the blank line: 2 (CRLF), 1 (bare LF) or 0 (input ended)
    Leniencies used;            // leniencies the section needed
};

// Incremental parser of a header section. feed() bytes as they arrive; it
// answers need_more until the blank line that ends the section has been seen,
// then complete (section().consumed says how many of the octets fed belong to
// the section). finish() says the input has ended: a section without a blank
// line ends there. Offsets in errors count from the first octet fed, plus
// `base`.
class HeaderParser {
public:
    enum class State : std::uint8_t { need_more, complete, error };

    explicit HeaderParser(ParseOptions options = {}, std::size_t base = 0);
    State feed(std::string_view bytes);
    State finish();
    [[nodiscard]] State state() const { return state_; }
    [[nodiscard]] const HeaderSection& section() const { return section_; }
    HeaderSection take() { return std::move(section_); }
    [[nodiscard]] const Error& error() const { return error_; }

private:
    ParseOptions options_;
    std::size_t base_;
    std::string buffer_;
    std::size_t pos_ = 0;
    HeaderSection section_;
    State state_ = State::need_more;
    Error error_;
};

// One-shot parse of the header section at the start of `data` (the input is
// complete: a section without a blank line ends with the data).
Result<HeaderSection> parse_header_section(std::string_view data, const ParseOptions& options = {},
                                           std::size_t base = 0);

}  // namespace postino::mail
