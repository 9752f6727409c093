// spool_dir.cpp — spool entries written durably, recovered on start
// (RFC 5321 §6.1: responsibility taken with the 250).
#include "wire/spool_dir.hpp"

#include "wire/durable_file.hpp"
#include "wire/maildir_store.hpp"

namespace postino::wire {
namespace {
constexpr std::string_view kMagic = "postino-spool 1\n";
}  // namespace

std::string encode_spool_entry(const SpoolEntry& e) {
    std::string out(kMagic);
    out += "from " + e.sender + "\n";
    for (const auto& r : e.recipients) out += "to " + r + "\n";
    out += "\n";
    out += e.content;
    return out;
}

Result<SpoolEntry> decode_spool_entry(const std::string& id, const std::string& bytes) {
    if (bytes.compare(0, kMagic.size(), kMagic) != 0) return Error{"not a postino spool file", id};
    SpoolEntry e;
    e.id = id;
    std::size_t pos = kMagic.size();
    for (;;) {
        const auto nl = bytes.find('\n', pos);
        if (nl == std::string::npos) return Error{"spool file ends inside its header", id};
        const std::string line = bytes.substr(pos, nl - pos);
        pos = nl + 1;
        if (line.empty()) break;
        if (line.rfind("from ", 0) == 0) {
            e.sender = line.substr(5);
        } else if (line == "from") {
            e.sender.clear();
        } else if (line.rfind("to ", 0) == 0 && valid_account_name(line.substr(3))) {
            e.recipients.push_back(line.substr(3));
        } else {
            return Error{"bad spool header line '" + line + "'", id};
        }
    }
    if (e.recipients.empty()) return Error{"spool file names no recipient", id};
    e.content = bytes.substr(pos);
    return e;
}

Result<SpoolDir> SpoolDir::open(const std::string& data_dir) {
    SpoolDir s;
    s.tmp_ = data_dir + "/spool/tmp";
    s.queue_ = data_dir + "/spool/queue";
    for (const auto* d : {&s.tmp_, &s.queue_}) {
        if (Status st = make_dirs(*d); !st) return st.error();
    }
    if (Status st = check_writable(s.queue_); !st) return st.error();
    if (auto stale = list_files(s.tmp_)) {
        for (const auto& f : *stale) remove_file(s.tmp_ + "/" + f);
    }
    return s;
}

Status SpoolDir::put(const SpoolEntry& e) {
    if (!valid_message_name(e.id)) return Error{"invalid queue id", e.id};
    return write_durably(tmp_ + "/" + e.id, queue_ + "/" + e.id, encode_spool_entry(e));
}

std::vector<SpoolEntry> SpoolDir::recover(std::vector<Error>& bad) const {
    std::vector<SpoolEntry> out;
    auto files = list_files(queue_);
    if (!files) {
        bad.push_back(files.error());
        return out;
    }
    for (const auto& f : *files) {
        auto bytes = read_file(queue_ + "/" + f);
        if (!bytes) {
            bad.push_back(bytes.error());
            continue;
        }
        auto e = decode_spool_entry(f, *bytes);
        if (!e) {
            bad.push_back(Error{e.error().what, queue_ + "/" + f});
            continue;
        }
        out.push_back(std::move(*e));
    }
    return out;
}

// No fsync of the directory: if a crash undoes the unlink, recovery finds the
// entry again and skips the recipients that already have it (exactly once,
// MaildirStore::insert with `once`), so the removal needs no durability.
Status SpoolDir::remove(const std::string& id) {
    if (!remove_file(queue_ + "/" + id)) return Error{"cannot remove spool file", queue_ + "/" + id};
    return {};
}

}  // namespace postino::wire
