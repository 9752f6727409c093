// trace_model.cpp — reading, validating and indexing a trace for the visualizer.
#include "model/trace_model.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/trace_reader.hpp"
#include "model/classify.hpp"
#include "model/fast_line.hpp"

namespace postino::viz {

TraceModel::TraceModel(std::string name) : name_(std::move(name)) {
    hosts_.emplace_back();  // id 0: the world ("")
    emits_.push_back(false);
    host_ids_.emplace("", 0);
}

TraceModel TraceModel::load_file(const std::string& path) {
    TraceModel m(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        m.error_ = Error{"cannot open trace file (check the path and permissions)", path};
        return m;
    }
    // One read into a string of the file's size: a stream buffer that grows
    // by doubling copies a 182 MB trace about twice over.
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size >= 0) {
        m.text_.resize(static_cast<std::size_t>(size));
        in.read(m.text_.data(), size);
        m.text_.resize(static_cast<std::size_t>(in.gcount()));
    } else {
        std::ostringstream all;  // not seekable (a pipe): read it as a stream
        in.clear();
        all << in.rdbuf();
        m.text_ = std::move(all).str();
    }
    m.feed({});
    m.finish();
    return m;
}

TraceModel TraceModel::from_text(std::string_view text, std::string name) {
    TraceModel m(std::move(name));
    m.feed(text);
    m.finish();
    return m;
}

void TraceModel::fail(std::size_t lineno, std::string what) {
    if (!error_) error_ = Error{std::move(what), name_ + ":" + std::to_string(lineno)};
}

void TraceModel::feed(std::string_view chunk) {
    if (error_ || finished_) return;
    text_.append(chunk);
    while (!error_) {
        const std::size_t nl = text_.find('\n', consumed_);
        if (nl == std::string::npos) break;
        const std::uint64_t off = consumed_;
        consumed_ = nl + 1;
        read_line(std::string_view(text_).substr(off, nl - off), off);
    }
}

void TraceModel::finish() {
    if (error_ || finished_) return;
    if (consumed_ < text_.size()) {
        const std::uint64_t off = consumed_;
        consumed_ = text_.size();
        read_line(std::string_view(text_).substr(off), off);
    }
    if (lines_ == 0 && !error_) fail(1, "empty file: expected a trace header");
    finished_ = true;
}

void TraceModel::read_line(std::string_view line, std::uint64_t off) {
    const std::size_t lineno = ++lines_;
    if (lineno == 1) {
        // The header goes through the reader itself, so its rules and messages hold.
        std::istringstream one(std::string(line) + "\n");
        auto file = trace::read_trace(one, name_);
        if (!file) {
            header_error_ = true;
            error_ = file.error();
            return;
        }
        header_ = file->header;
        return;
    }
    if (line.empty()) return fail(lineno, "empty line");
    if (!fast_parse_event(line, scratch_)) {
        auto full = trace::parse_event_line(line, name_ + ":" + std::to_string(lineno));
        if (!full) {
            error_ = full.error();
            return;
        }
        scratch_ = std::move(full.value());
    }
    if (scratch_.seq != events_.size()) {
        return fail(lineno, "sequence number " + std::to_string(scratch_.seq) + " out of order (expected " +
                                std::to_string(events_.size()) + ")");
    }
    if (scratch_.t.ns() < last_t_) return fail(lineno, "time goes backwards");
    last_t_ = scratch_.t.ns();
    ingest(scratch_, off, static_cast<std::uint32_t>(line.size()));
}

std::uint32_t TraceModel::intern(std::string_view host) {
    if (host.empty()) return 0;
    if (host == last_host_) return last_host_id_;
    auto it = host_ids_.find(std::string(host));
    std::uint32_t id = 0;
    if (it != host_ids_.end()) {
        id = it->second;
    } else {
        id = static_cast<std::uint32_t>(hosts_.size());
        hosts_.emplace_back(host);
        emits_.push_back(false);
        host_ids_.emplace(std::string(host), id);
    }
    last_host_.assign(host);
    last_host_id_ = id;
    return id;
}

std::vector<std::uint32_t> TraceModel::lane_order() const {
    std::vector<std::uint32_t> out = active_order_;
    for (std::uint32_t h = 1; h < hosts_.size(); ++h) {
        if (h >= active_.size() || !active_[h]) out.push_back(h);
    }
    return out;
}

std::optional<std::uint32_t> TraceModel::host_id(std::string_view name) const {
    auto it = host_ids_.find(std::string(name));
    if (it == host_ids_.end()) return std::nullopt;
    return it->second;
}

std::string_view TraceModel::line(std::size_t i) const {
    const Ev& v = events_[i];
    return std::string_view(text_).substr(v.off, v.len);
}

std::string_view TraceModel::label(std::size_t i) const {
    const Ev& v = events_[i];
    return std::string_view(label_pool_).substr(v.label_off, v.label_len);
}

const trace::Event* TraceModel::detail(std::size_t i) const {
    const Ev& v = events_[i];
    return v.detail == kNone ? nullptr : &details_[v.detail];
}

trace::Event TraceModel::full(std::size_t i) const {
    if (const trace::Event* d = detail(i)) return *d;
    trace::Event e;
    if (!fast_parse_event(line(i), e)) {
        auto r = trace::parse_event_line(line(i), name_);
        if (r) e = std::move(r.value());
    }
    return e;
}

void TraceModel::ingest(const trace::Event& e, std::uint64_t off, std::uint32_t len) {
    const auto i = static_cast<std::uint32_t>(events_.size());
    const EventClass c = classify(e);
    Ev v;
    v.t = e.t.ns();
    v.off = off;
    v.len = len;
    v.conn = e.conn;
    v.host = intern(e.host);
    v.peer = intern(e.peer);
    v.kind = c.kind;
    v.cat = c.cat;
    v.mark = c.mark;
    v.flags = c.flags;
    if (v.host != 0) emits_[v.host] = true;
    if (c.kind != Kind::host && c.kind != Kind::fault) {
        for (const std::uint32_t h : {v.host, v.peer}) {
            if (h == 0) continue;
            if (active_.size() <= h) active_.resize(h + 1, false);
            if (!active_[h]) {
                active_[h] = true;
                active_order_.push_back(h);
            }
        }
    }

    const std::string label = label_of(e);
    v.label_off = static_cast<std::uint32_t>(label_pool_.size());
    v.label_len = static_cast<std::uint16_t>(std::min<std::size_t>(label.size(), 0xFFFF));
    label_pool_.append(label, 0, v.label_len);

    if (c.kind != Kind::segment && c.kind != Kind::datagram && c.kind != Kind::line) {
        v.detail = static_cast<std::uint32_t>(details_.size());
        details_.push_back(e);
        non_transfers_.push_back(i);
    }
    if (c.kind == Kind::fault) {
        std::string target = e.get_str("target");
        const std::string fault = e.get_str("fault");
        if (fault == "port-closed") target = target.substr(0, target.rfind(':'));
        if (fault == "host-down" || fault == "link-down" || fault == "link-change" || fault == "port-closed") {
            v.aux = intern(target);
        }
        if (fault == "host-down") host_fault_t_[v.aux] = v.t;
    }
    if (c.kind == Kind::host && v.host != 0) {
        const auto f = host_fault_t_.find(v.host);
        if (f != host_fault_t_.end() && f->second == v.t) v.flags |= flag::restates;
    }
    if (c.kind == Kind::tcp) {
        const std::string ev = e.get_str("ev");
        if (ev == "connect") conn_client_[e.conn] = v.host;
        if (ev == "established" && e.conn != 0) {
            auto client = conn_client_.find(e.conn);
            const bool is_client = client == conn_client_.end() || client->second == v.host;
            if (is_client && handshakes_.insert(e.conn).second) v.mark = Mark::handshake;
        }
    }
    events_.push_back(v);
    cat_seen_[static_cast<std::size_t>(c.cat)] = true;
    if (c.kind == Kind::segment || c.kind == Kind::datagram || c.kind == Kind::line) build_arrow(e, i);
    const Ev& stored = events_.back();
    if (stored.mark != Mark::none) marks_[static_cast<std::size_t>(stored.mark)].push_back(i);
    if (c.kind == Kind::note) notes_.push_back(i);
    if (c.kind == Kind::message) messages_.push_back(i);
}

void TraceModel::build_arrow(const trace::Event& e, std::uint32_t i) {
    Ev& v = events_[i];
    const auto start = [&](std::uint32_t src, std::uint32_t dst, std::uint16_t extra) {
        Arrow a;
        a.t0 = v.t;
        a.from_ev = i;
        a.src = src;
        a.dst = dst;
        a.kind = v.kind;
        a.cat = v.cat;
        a.flags = static_cast<std::uint16_t>((v.flags & (flag::failure | flag::bounce | flag::retry)) | extra);
        const auto idx = static_cast<std::uint32_t>(arrows_.size());
        arrows_.push_back(a);
        v.arrow = idx;
        return idx;
    };
    const auto complete = [&](std::uint32_t a) {
        Arrow& ar = arrows_[a];
        if (ar.done()) return;
        ar.to_ev = i;
        ar.t1 = v.t;
        ar.flags |= static_cast<std::uint16_t>(v.flags & (flag::lost | flag::failure));
        ar.flags &= static_cast<std::uint16_t>(~flag::one_sided);
        if (ar.t1 - ar.t0 > kShortSpan) long_.push_back(a);
        open_.erase(a);
        if (v.arrow == kNone) v.arrow = a;
    };

    if (v.kind == Kind::segment || v.kind == Kind::datagram) {
        const std::string* ev = nullptr;
        std::int64_t id = 0;
        for (const auto& f : e.fields) {
            if (f.key == "ev") ev = std::get_if<std::string>(&f.value);
            if (f.key == "id") {
                if (const auto* n = std::get_if<std::int64_t>(&f.value)) id = *n;
            }
        }
        if (ev == nullptr) return;
        const std::int64_t key = id * 2 + (v.kind == Kind::datagram ? 1 : 0);
        if (*ev == "send") {
            const bool traced = host_emits(v.peer);
            const std::uint32_t a = start(v.host, v.peer, traced ? 0 : flag::one_sided);
            packets_[key] = a;
            if (traced) open_.insert(a);
            if (v.kind == Kind::segment && !(v.flags & flag::retry) && v.conn != 0) {
                // A data segment's first transmission carries line bytes sent at the same moment.
                const auto len = e.get_int("len").value_or(0);
                const auto seqno = e.get_int("seqno").value_or(0);
                auto st = streams_.find(stream_key(v.conn, v.host));
                if (len > 0 && seqno > 0 && st != streams_.end()) {
                    auto& recent = st->second.recent;
                    const auto first = static_cast<std::uint64_t>(seqno - 1);
                    std::erase_if(recent, [&](const LineSpan& s) { return s.end <= first; });
                    for (const auto& s : recent) {
                        if (s.start <= first && first < s.end && s.t0 == v.t) {
                            arrows_[a].covered_by = s.arrow;
                            break;
                        }
                    }
                }
            }
        } else if (*ev == "recv" || *ev == "lost") {
            auto it = packets_.find(key);
            if (it != packets_.end()) {
                complete(it->second);
                packets_.erase(it);
            }
        }
        return;
    }

    // Application lines: pair by byte offsets in the connection's stream.
    const std::string* dir = nullptr;
    const std::string* bytes = nullptr;
    for (const auto& f : e.fields) {
        if (f.key == "dir") dir = std::get_if<std::string>(&f.value);
        if (f.key == "bytes") {
            if (const auto* b = std::get_if<trace::Bytes>(&f.value)) bytes = &b->data;
        }
    }
    if (dir == nullptr || bytes == nullptr) return;
    const std::uint64_t n = bytes->size();
    if (*dir == "send") {
        Stream& s = streams_[stream_key(v.conn, v.host)];
        // A peer that has reported nothing yet is taken as untraced (flat arrow)
        // until it receives these bytes.
        const bool traced = host_emits(v.peer);
        const std::uint32_t a = start(v.host, v.peer, traced ? 0 : flag::one_sided);
        const LineSpan span{s.sent, s.sent + n, v.t, a};
        v.aux = s.sent <= 0xFFFFFFFEu ? static_cast<std::uint32_t>(s.sent) : kNone;
        s.sent += n;
        s.pending.push_back(span);
        s.recent.push_back(span);
        if (s.recent.size() > 64) s.recent.erase(s.recent.begin());
        if (traced) open_.insert(a);
        return;
    }
    // A received line: it completes the peer's sends whose last octet it brings.
    auto it = streams_.find(stream_key(v.conn, v.peer));
    if (it == streams_.end() || it->second.pending.empty()) {
        // The sender did not trace these bytes (a one-sided trace): a flat arrow.
        const std::uint32_t a = start(v.peer, v.host, flag::one_sided);
        Arrow& ar = arrows_[a];
        ar.to_ev = i;
        ar.t1 = v.t;
        v.aux = kNone;
        return;
    }
    Stream& s = it->second;
    v.aux = s.received <= 0xFFFFFFFEu ? static_cast<std::uint32_t>(s.received) : kNone;
    s.received += n;
    v.arrow = s.pending.front().arrow;
    std::size_t done = 0;
    while (done < s.pending.size() && s.pending[done].end <= s.received) {
        const std::uint32_t a = s.pending[done].arrow;
        const std::uint32_t keep = v.arrow;
        complete(a);
        v.arrow = keep;
        ++done;
    }
    s.pending.erase(s.pending.begin(), s.pending.begin() + static_cast<std::ptrdiff_t>(done));
}

}  // namespace postino::viz
