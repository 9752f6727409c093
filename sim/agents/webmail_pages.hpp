// webmail_pages.hpp — the HTML pages of the webmail (webmail_app.hpp):
// small, valid HTML5 with one inline style sheet, every text from a message
// or a form escaped (http::html_escape). A message is shown from its MIME
// tree (sim/mail, RFC 2045-2049): its header fields with RFC 2047 encoded
// words decoded, each text/plain part decoded to UTF-8 from its charset,
// every other part as a link to /message/ID/part/N with its type, name and
// size. Nothing a message holds is ever rendered as HTML.
#pragma once

#include <string>
#include <vector>

#include "agents/webmail_app.hpp"

namespace postino::agents::webmail {

struct PageInfo {
    std::string title;    // the app's title
    std::string address;  // the logged-in user, "" when none
    std::string host_name;
};

std::string login_page(const PageInfo& p, const std::string& error, bool password_ok);
std::string inbox_page(const PageInfo& p, const std::vector<Summary>& messages, const std::string& notice);
std::string message_page(const PageInfo& p, const std::string& id, const std::string& raw);
std::string compose_page(const PageInfo& p, const std::string& to, const std::string& subject, const std::string& body,
                         const std::string& in_reply_to);
std::string sent_page(const PageInfo& p, const std::vector<std::string>& to, const std::string& subject,
                      const std::string& server_answer);
std::string error_page(const PageInfo& p, int status, const std::string& text);

// A part of a message by its IMAP path ("1", "2.1"): its decoded octets,
// Content-Type and file name; false when the message has no such leaf.
struct PartContent {
    std::string bytes;
    std::string type;
    std::string filename;
};
bool find_part(const std::string& raw, const std::string& path, PartContent& out);

}  // namespace postino::agents::webmail
