// trace_reader.cpp — JSON Lines trace reader with file:line diagnostics.
#include "core/trace_reader.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/trace_schema.hpp"

namespace postino::trace {
namespace {

using Json = nlohmann::ordered_json;

// A bytes field is a JSON string whose code points are all <= U+00FF; each
// code point is one octet. nlohmann hands us UTF-8, so decode it.
bool utf8_to_octets(const std::string& in, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < in.size();) {
        const auto c = static_cast<unsigned char>(in[i]);
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
            ++i;
        } else if ((c & 0xE0) == 0xC0 && i + 1 < in.size()) {
            const unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(in[i + 1]) & 0x3Fu);
            if (cp > 0xFF) return false;
            out.push_back(static_cast<char>(cp));
            i += 2;
        } else {
            return false;
        }
    }
    return true;
}

Error at(const std::string& where, std::string what) { return Error{std::move(what), where}; }

}  // namespace

Result<Event> parse_event_line(std::string_view line, const std::string& where) {
    Json j;
    try {
        j = Json::parse(line);
    } catch (const Json::parse_error& e) {
        return at(where, std::string("not valid JSON (") + e.what() + ")");
    }
    if (!j.is_object()) return at(where, "expected a JSON object per line");
    Event e;
    bool has_seq = false, has_t = false, has_kind = false, has_host = false;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& key = it.key();
        const Json& v = it.value();
        if (key == "seq") {
            if (!v.is_number_unsigned()) return at(where, "\"seq\" must be a non-negative integer");
            e.seq = v.get<std::uint64_t>();
            has_seq = true;
        } else if (key == "t") {
            if (!v.is_number_integer()) return at(where, "\"t\" must be an integer (nanoseconds)");
            e.t = Duration::from_ns(v.get<std::int64_t>());
            has_t = true;
        } else if (key == "kind") {
            if (!v.is_string()) return at(where, "\"kind\" must be a string");
            e.kind = v.get<std::string>();
            has_kind = true;
        } else if (key == "host") {
            if (!v.is_string()) return at(where, "\"host\" must be a string");
            e.host = v.get<std::string>();
            has_host = true;
        } else if (key == "peer") {
            if (!v.is_string()) return at(where, "\"peer\" must be a string");
            e.peer = v.get<std::string>();
        } else if (key == "conn") {
            if (!v.is_number_unsigned()) return at(where, "\"conn\" must be a non-negative integer");
            e.conn = v.get<std::uint64_t>();
        } else if (is_bytes_key(key)) {
            if (!v.is_string()) return at(where, "\"" + key + "\" must be a string of octets");
            std::string raw;
            if (!utf8_to_octets(v.get<std::string>(), raw)) {
                return at(where, "\"" + key + "\" holds a character above \\u00ff; bytes fields carry octets");
            }
            e.set_bytes(key, raw);
        } else if (v.is_boolean()) {
            e.set(key, v.get<bool>());
        } else if (v.is_number_integer()) {
            e.set(key, v.get<std::int64_t>());
        } else if (v.is_string()) {
            e.set(key, v.get<std::string>());
        } else {
            return at(where, "field \"" + key + "\" must be an integer, boolean or string");
        }
    }
    if (!has_seq) return at(where, "missing \"seq\"");
    if (!has_t) return at(where, "missing \"t\"");
    if (!has_kind) return at(where, "missing \"kind\"");
    if (!has_host) return at(where, "missing \"host\"");
    if (std::string problem = validate(e); !problem.empty()) return at(where, problem);
    return e;
}

Result<TraceFile> read_trace(std::istream& in, const std::string& name) {
    TraceFile file;
    std::string line;
    std::size_t lineno = 0;
    Time last_t{};
    while (std::getline(in, line)) {
        ++lineno;
        const std::string where = name + ":" + std::to_string(lineno);
        if (lineno == 1) {
            Json h;
            try {
                h = Json::parse(line);
            } catch (const Json::parse_error& e) {
                return at(where, std::string("header is not valid JSON (") + e.what() + ")");
            }
            if (!h.is_object() || !h.contains("postino_trace")) {
                return at(where, "not a Postino trace: the first line must be the header {\"postino_trace\":1,...}");
            }
            if (!h["postino_trace"].is_number_integer() || h["postino_trace"].get<int>() != kFormatVersion) {
                return at(where, "unsupported trace format version (this build reads version " +
                                     std::to_string(kFormatVersion) + ")");
            }
            file.header.version = kFormatVersion;
            if (h.contains("seed") && h["seed"].is_number_unsigned()) file.header.seed = h["seed"].get<std::uint64_t>();
            if (h.contains("scenario") && h["scenario"].is_string()) file.header.scenario = h["scenario"].get<std::string>();
            if (h.contains("generator") && h["generator"].is_string()) file.header.generator = h["generator"].get<std::string>();
            continue;
        }
        if (line.empty()) return at(where, "empty line");
        auto ev = parse_event_line(line, where);
        if (!ev) return ev.error();
        if (ev->seq != file.events.size()) {
            return at(where, "sequence number " + std::to_string(ev->seq) + " out of order (expected " +
                                 std::to_string(file.events.size()) + ")");
        }
        if (ev->t < last_t) return at(where, "time goes backwards");
        last_t = ev->t;
        file.events.push_back(std::move(ev.value()));
    }
    if (lineno == 0) return at(name + ":1", "empty file: expected a trace header");
    return file;
}

Result<TraceFile> read_trace_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"cannot open trace file", path};
    return read_trace(in, path);
}

}  // namespace postino::trace
