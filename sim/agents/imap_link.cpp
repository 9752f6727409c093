// imap_link.cpp — the IMAP server engine over simulated TCP (DESIGN.md §2.1).
// See imap_link.hpp.
#include "agents/imap_link.hpp"

#include "proto/imap/trace_line.hpp"

namespace postino::agents {

ImapLink::~ImapLink() { cancel_timer(); }

void ImapLink::attach(ClosedHandler on_closed) {
    on_closed_ = std::move(on_closed);
    std::weak_ptr<ImapLink> weak = shared_from_this();
    conn_->on_data = [weak](std::string_view d) {
        if (auto self = weak.lock()) {
            self->engine_->handle_bytes(self->net_.now(), d);
            self->pump();
        }
    };
    conn_->on_eof = [weak] {
        if (auto self = weak.lock()) {
            self->engine_->handle_closed(self->net_.now());
            self->pump();
            self->conn_->close();
        }
    };
    conn_->on_closed = [weak](net::CloseReason r) {
        if (auto self = weak.lock()) {
            if (!self->finished_) {
                self->engine_->handle_closed(self->net_.now());
                self->pump();
            }
            self->finished_ = true;
            self->cancel_timer();
            if (self->on_closed_) self->on_closed_(r);
        }
    };
}

void ImapLink::start() {
    engine_->start(net_.now());
    pump();
}

void ImapLink::mailbox_changed() {
    if (finished_) return;
    engine_->handle_mailbox_changed(net_.now());
    pump();
}

void ImapLink::pump() {
    for (;;) {
        std::string out = engine_->poll_output();
        bool any = !out.empty();
        if (any && !finished_) conn_->send(out);
        while (auto ev = engine_->poll_event()) {
            any = true;
            for (auto& te : imap::trace_events(*ev, conn_->host_name(), conn_->peer_name(), conn_->id()))
                net_.trace().emit(std::move(te));
            if (const auto* c = std::get_if<imap::CloseEvent>(&*ev); c && c->by_engine) close_after_drain_ = true;
        }
        if (!any) break;
    }
    if (close_after_drain_ && !closed_by_us_ && !finished_) {
        closed_by_us_ = true;
        conn_->close();
    }
    arm_timer();
}

void ImapLink::cancel_timer() {
    if (timer_.valid()) net_.scheduler().cancel(timer_);
    timer_ = EventId{};
}

void ImapLink::arm_timer() {
    cancel_timer();
    if (finished_) return;
    const auto d = engine_->next_deadline();
    if (!d) return;
    std::weak_ptr<ImapLink> weak = shared_from_this();
    timer_ = net_.scheduler().schedule_at(*d, [weak] {
        if (auto self = weak.lock()) {
            self->timer_ = EventId{};
            self->engine_->handle_timeout(self->net_.now());
            self->pump();
        }
    });
}

}  // namespace postino::agents
