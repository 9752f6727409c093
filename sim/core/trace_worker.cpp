// trace_worker.cpp — batches of recorded events and the thread that
// encodes, hashes and hands them to sinks (trace_worker.hpp).
#include "core/trace_worker.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace postino::trace {

void TraceBatch::grow(std::size_t more) {
    if (used_ + more > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("trace batch arena over 4 GiB");
    arena_.resize(std::max({arena_.size() * 2, used_ + more, std::size_t{64} * 1024}));
}

template <typename Record, std::size_t N>
void TraceBatch::keep_record(std::vector<Kept<Record, N>>& into, Kind kind, const Record& r, std::uint64_t seq, Time t) {
    const auto index = static_cast<std::uint32_t>(into.size());
    // Built in place: the record is copied once, then what its views point
    // to is copied into the arena.
    Kept<Record, N>& k = into.emplace_back();
    k.record = r;
    auto views = views_of(k.record);
    const std::size_t uncopied = r.stable_names ? stable_views_of(r) : 0;
    for (std::size_t i = 0; i < uncopied; ++i) k.views[i] = Span{kUncopied, 0};
    for (std::size_t i = uncopied; i < N; ++i) {
        k.views[i] = keep(*views[i]);
        *views[i] = {};
    }
    if constexpr (requires { r.reason; }) {
        // With its NUL, so that restored() gives a C string.
        if (r.reason != nullptr) k.reason = keep(std::string_view(r.reason, std::strlen(r.reason) + 1));
        k.record.reason = nullptr;
    }
    items_.push_back(Item{kind, index, seq, t});
}

void TraceBatch::add(Event e) {
    items_.push_back(Item{Kind::Event, static_cast<std::uint32_t>(events_.size()), e.seq, e.t});
    events_.push_back(std::move(e));
}

void TraceBatch::add(const PacketRecord& r, std::uint64_t seq, Time t) { keep_record(packets_, Kind::Packet, r, seq, t); }
void TraceBatch::add(const SmtpLineRecord& r, std::uint64_t seq, Time t) { keep_record(lines_, Kind::SmtpLine, r, seq, t); }
void TraceBatch::add(const TcpRecord& r, std::uint64_t seq, Time t) { keep_record(tcps_, Kind::Tcp, r, seq, t); }

void TraceBatch::clear() {
    items_.clear();
    events_.clear();
    packets_.clear();
    lines_.clear();
    tcps_.clear();
    used_ = 0;  // the arena keeps its size for the next batch
}

TraceWorker::TraceWorker(std::function<void(const TraceBatch&)> process)
    : process_(std::move(process)), current_(std::make_unique<TraceBatch>()) {}

TraceWorker::~TraceWorker() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    work_.notify_one();
    thread_.join();
}

void TraceWorker::hand_over() {
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    {
        std::unique_lock lock(mutex_);
        done_.wait(lock, [this] { return queued_.size() < kMaxQueued; });
        if (error_) {  // a sink failed: stop the simulation now, as a synchronous recorder would
            auto e = error_;
            error_ = nullptr;
            current_->clear();
            std::rethrow_exception(e);
        }
        queued_.push_back(std::move(current_));
        if (!spare_.empty()) {
            current_ = std::move(spare_.back());
            spare_.pop_back();
        }
    }
    // Emptied here, not on the worker: the batch's events hold strings this
    // thread allocated, and freeing memory on the thread that allocated it
    // is the allocator's fast path.
    if (current_) {
        current_->clear();
    } else {
        current_ = std::make_unique<TraceBatch>();
    }
    work_.notify_one();
}

void TraceWorker::drain() {
    if (!thread_.joinable()) {  // never a full batch: process it here, as a recorder without a worker would
        try {
            process_(*current_);
        } catch (...) {
            current_->clear();
            throw;
        }
        current_->clear();
        return;
    }
    if (!current_->empty()) hand_over();
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return queued_.empty() && !busy_; });
    if (error_) {
        auto e = error_;
        error_ = nullptr;
        std::rethrow_exception(e);
    }
}

void TraceWorker::run() {
    for (;;) {
        std::unique_ptr<TraceBatch> batch;
        bool skip = false;
        {
            std::unique_lock lock(mutex_);
            work_.wait(lock, [this] { return stop_ || !queued_.empty(); });
            if (queued_.empty()) return;  // stop_, with nothing left
            batch = std::move(queued_.front());
            queued_.pop_front();
            busy_ = true;
            skip = error_ != nullptr;
        }
        std::exception_ptr failed;
        if (!skip) {
            try {
                process_(*batch);
            } catch (...) {
                failed = std::current_exception();
            }
        }
        {
            std::lock_guard lock(mutex_);
            if (failed && !error_) error_ = failed;
            spare_.push_back(std::move(batch));
            busy_ = false;
        }
        done_.notify_all();
    }
}

}  // namespace postino::trace
