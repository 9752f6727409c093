// trace_file.cpp — a JSON Lines trace flushed event by event.
#include "wire/trace_file.hpp"

namespace postino::wire {

Result<std::unique_ptr<TraceFile>> TraceFile::open(const std::string& path, const std::string& generator) {
    std::unique_ptr<TraceFile> f(new TraceFile());
    f->out_.open(path, std::ios::binary | std::ios::trunc);
    if (!f->out_) return Error{"cannot write trace file (check the directory exists and is writable)", path};
    f->writer_ = std::make_unique<trace::JsonlWriter>(f->out_, trace::Header{trace::kFormatVersion, 0, "serve", generator});
    f->out_.flush();
    return f;
}

void TraceFile::on_event(const trace::Event& e) {
    writer_->on_event(e);
    out_.flush();
}

}  // namespace postino::wire
