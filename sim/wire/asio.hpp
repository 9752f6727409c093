// asio.hpp — the one include of Boost.Asio for sim/wire, with the g++ 12
// workaround of STACK.md §3 (awaitable.hpp uses std::exchange without
// <utility>), and of Boost.Asio SSL (OpenSSL, for STARTTLS/STLS).
// BOOST_ASIO_HAS_CO_AWAIT comes from the project flags.
#pragma once

#include <utility>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

namespace postino::wire {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
}  // namespace postino::wire
