// inplace_function.hpp — a move-only callable stored without heap allocation.
//
// The scheduler stores one callback per event. std::function may allocate for
// any capture larger than two pointers; this type keeps captures of up to
// `Capacity` bytes inline and refuses larger ones at compile time, so
// scheduling an event never allocates (the "no allocation per event" goal of
// the foundation issue).
#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace postino {

template <typename Signature, std::size_t Capacity = 48>
class InplaceFunction;

template <typename R, typename... Args, std::size_t Capacity>
class InplaceFunction<R(Args...), Capacity> {
public:
    InplaceFunction() = default;

    template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, InplaceFunction>>>
    InplaceFunction(F&& f) {  // NOLINT(google-explicit-constructor)
        using Fn = std::decay_t<F>;
        static_assert(sizeof(Fn) <= Capacity, "capture too large for InplaceFunction; capture a pointer instead");
        static_assert(alignof(Fn) <= alignof(std::max_align_t), "over-aligned capture");
        static_assert(std::is_nothrow_move_constructible_v<Fn>, "capture must be nothrow-movable");
        new (&storage_) Fn(std::forward<F>(f));
        ops_ = &kOps<Fn>;
    }

    InplaceFunction(InplaceFunction&& o) noexcept { move_from(o); }
    InplaceFunction& operator=(InplaceFunction&& o) noexcept {
        if (this != &o) {
            reset();
            move_from(o);
        }
        return *this;
    }
    InplaceFunction(const InplaceFunction&) = delete;
    InplaceFunction& operator=(const InplaceFunction&) = delete;
    ~InplaceFunction() { reset(); }

    explicit operator bool() const { return ops_ != nullptr; }

    R operator()(Args... args) { return ops_->call(&storage_, std::forward<Args>(args)...); }

    void reset() {
        if (ops_ != nullptr) {
            if (ops_->destroy != nullptr) ops_->destroy(&storage_);
            ops_ = nullptr;
        }
    }

private:
    // `move` and `destroy` are null for a capture that is trivially copyable
    // and destructible (pointers, numbers: most of a simulation's events),
    // which is moved by copying its bytes and needs no destructor call.
    struct Ops {
        R (*call)(void*, Args&&...);
        void (*move)(void* dst, void* src);
        void (*destroy)(void*);
    };
    template <typename Fn>
    static constexpr bool kTrivial = std::is_trivially_copyable_v<Fn> && std::is_trivially_destructible_v<Fn>;
    template <typename Fn>
    static void move_capture(void* dst, void* src) {
        new (dst) Fn(std::move(*static_cast<Fn*>(src)));
        static_cast<Fn*>(src)->~Fn();
    }
    template <typename Fn>
    static void destroy_capture(void* p) {
        static_cast<Fn*>(p)->~Fn();
    }
    template <typename Fn>
    static constexpr Ops kOps{
        [](void* p, Args&&... args) -> R { return (*static_cast<Fn*>(p))(std::forward<Args>(args)...); },
        kTrivial<Fn> ? nullptr : &move_capture<Fn>,
        kTrivial<Fn> ? nullptr : &destroy_capture<Fn>,
    };

    void move_from(InplaceFunction& o) {
        if (o.ops_ != nullptr) {
            if (o.ops_->move != nullptr) o.ops_->move(&storage_, &o.storage_);
            else std::memcpy(&storage_, &o.storage_, Capacity);
            ops_ = o.ops_;
            o.ops_ = nullptr;
        }
    }

    alignas(std::max_align_t) unsigned char storage_[Capacity];
    const Ops* ops_ = nullptr;
};

}  // namespace postino
