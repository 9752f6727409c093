// spool_dir.hpp — the durable spool of `postino serve` (DIR/spool/).
//
// RFC 5321 §6.1: a 250 after DATA means the server has taken responsibility
// for the message. So the message and its envelope are written to
// spool/tmp/<id>, fsync'ed and renamed to spool/queue/<id> (directory
// fsync'ed) before the engine sends the 250; only then is it delivered into
// the Maildirs, and the spool file is removed once every recipient has it.
// On start, recover() returns every entry still queued (a crash between the
// 250 and the end of delivery), and files left in spool/tmp/ — never
// acknowledged — are removed.
//
// File format (one entry per file, text header then the content octets):
//   postino-spool 1\n
//   from <reverse-path or empty>\n
//   to <account>\n            (one line per final local recipient)
//   \n
//   <message octets, CRLF lines>
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"

namespace postino::wire {

struct SpoolEntry {
    std::string id;  // the queue id: also the spool file name
    std::string sender;
    std::vector<std::string> recipients;  // local accounts
    std::string content;
};

std::string encode_spool_entry(const SpoolEntry& e);
Result<SpoolEntry> decode_spool_entry(const std::string& id, const std::string& bytes);

class SpoolDir {
public:
    static Result<SpoolDir> open(const std::string& data_dir);
    // Durable before it returns (fsync of the file and of spool/queue/).
    Status put(const SpoolEntry& e);
    // Entries queued, in id order; unreadable files are reported in `bad`.
    std::vector<SpoolEntry> recover(std::vector<Error>& bad) const;
    Status remove(const std::string& id);
    [[nodiscard]] const std::string& queue_dir() const { return queue_; }

private:
    std::string tmp_, queue_;
};

}  // namespace postino::wire
