// Boost.Asio for the proxies' event loops. Only the files that drive sockets
// include this (Asio is slow to compile); the library is compiled once, in
// asio_impl.cpp (BOOST_ASIO_SEPARATE_COMPILATION).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

namespace srt::proxy {

namespace asio = boost::asio;
using error_code = boost::system::error_code;

// Every socket a proxy handles (Unix or TCP client, TCP destination) has this
// one type, so that the relay and the sessions need no templates.
using Socket = asio::generic::stream_protocol::socket;
using Executor = asio::any_io_executor;

}  // namespace srt::proxy
