// params_test.cpp — ESMTP parameter syntax (RFC 5321 §4.1.2) and the MAIL
// parameters SIZE (RFC 1870), BODY (RFC 6152, RFC 3030), SMTPUTF8 (RFC 6531).
#include <catch2/catch.hpp>

#include "proto/smtp/params.hpp"

using namespace postino::smtp;

namespace {

MailParamsParse mail(std::string_view s, OfferedMailParams offered = {}) {
    std::vector<EsmtpParam> p;
    REQUIRE(parse_esmtp_params(s, p, offered.smtputf8));
    return interpret_mail_params(p, offered);
}

}  // namespace

TEST_CASE("params: syntax", "[smtp][params]") {
    std::vector<EsmtpParam> p;
    CHECK(parse_esmtp_params("", p));
    CHECK(p.empty());
    REQUIRE(parse_esmtp_params(" SIZE=10 BODY=8BITMIME X-FOO", p));
    REQUIRE(p.size() == 3);
    CHECK(p[0].keyword == "SIZE");
    CHECK(p[0].value == "10");
    CHECK_FALSE(p[2].has_value);
    CHECK_FALSE(parse_esmtp_params("SIZE=10", p));      // no leading SP
    CHECK_FALSE(parse_esmtp_params(" ", p));            // empty keyword
    CHECK_FALSE(parse_esmtp_params("  SIZE=1", p));     // two SPs
    CHECK_FALSE(parse_esmtp_params(" SIZE=", p));       // empty value
    CHECK_FALSE(parse_esmtp_params(" SIZE=a=b", p));    // '=' in value
    CHECK_FALSE(parse_esmtp_params(" -X=1", p));        // keyword starts with '-'
    CHECK_FALSE(parse_esmtp_params(" K=\xC3\xA9", p));  // 8-bit value without SMTPUTF8
    CHECK(parse_esmtp_params(" K=\xC3\xA9", p, true));
}

TEST_CASE("params: SIZE", "[smtp][params]") {
    CHECK(mail(" SIZE=0").params.size == 0U);
    CHECK(mail(" size=12345").params.size == 12345U);
    CHECK(mail(" SIZE=99999999999999999999").params.size == UINT64_MAX);       // 20 digits saturate
    CHECK(mail(" SIZE=123456789012345678901").error == ParamError::BadValue);  // 21 digits
    CHECK(mail(" SIZE=1k").error == ParamError::BadValue);
    CHECK(mail(" SIZE").error == ParamError::BadValue);
    CHECK(mail(" SIZE=1 SIZE=2").error == ParamError::Syntax);
    OfferedMailParams no_size;
    no_size.size = false;
    CHECK(mail(" SIZE=1", no_size).error == ParamError::Unknown);
}

TEST_CASE("params: BODY and SMTPUTF8", "[smtp][params]") {
    CHECK(mail(" BODY=8BITMIME").params.body == BodyType::EightBitMime);
    CHECK(mail(" BODY=7bit").params.body == BodyType::SevenBit);
    CHECK(mail(" BODY=7bit").params.body_given);
    CHECK(mail(" BODY=BINARYMIME").error == ParamError::NotImplemented);
    CHECK(mail(" BODY=8BIT").error == ParamError::BadValue);
    CHECK(mail(" BODY").error == ParamError::BadValue);
    CHECK(mail(" SMTPUTF8").error == ParamError::Unknown);
    OfferedMailParams utf8;
    utf8.smtputf8 = true;
    CHECK(mail(" SMTPUTF8", utf8).params.smtputf8);
    CHECK(mail(" SMTPUTF8=yes", utf8).error == ParamError::Syntax);
    const auto unknown = mail(" X-FOO=1");
    CHECK(unknown.error == ParamError::Unknown);
    CHECK(unknown.keyword == "X-FOO");
}
