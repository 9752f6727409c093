// result.hpp — a value or an error for people, without exceptions.
//
// Parsers and loaders in Postino return Result<T>: either the value, or an
// Error saying what is wrong and where. C++20 has no std::expected (C++23), so
// this is the small subset the project needs.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace postino {

// What went wrong, for a person: `where` is "file:line:col", an offset, a
// field name — whatever locates the problem; `what` is one sentence.
struct Error {
    std::string what;
    std::string where;

    [[nodiscard]] std::string message() const {
        return where.empty() ? what : where + ": " + what;
    }
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    [[nodiscard]] const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

// Result of an operation with no value.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
    [[nodiscard]] bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    [[nodiscard]] const Error& error() const { return error_; }

private:
    Error error_;
    bool ok_ = true;
};

}  // namespace postino
