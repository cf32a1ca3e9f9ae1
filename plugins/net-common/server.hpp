// What both proxies share: the listeners, the event loop threads, the pool
// that asks the core for decisions, the connection limit, and a stop() after
// which no thread, socket or call into the host survives.
#pragma once

#include "asio.hpp"
#include "connection_slot.hpp"
#include "listener.hpp"
#include "options.hpp"

#include <srt/plugin.hpp>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace srt::proxy {

class Server : public sdk::Proxy {
 public:
  // Called on an I/O thread for each accepted client. The socket runs on its
  // own strand: every object serving this client uses that executor.
  using AcceptFn = std::function<void(Socket client, ConnectionSlot slot)>;
  using VerdictFn = std::function<void(sdk::Verdict)>;

  // `name` prefixes log lines ("http proxy").
  Server(std::string name, sdk::NetHost host, const sdk::ProxyConfig &config, Options options);
  ~Server() override;
  Server(const Server &) = delete;
  Server &operator=(const Server &) = delete;

  // Opens every listener and starts the threads; throws (leaving nothing
  // listening) when a listener cannot be opened.
  void start(AcceptFn accept);

  std::vector<sdk::ProxyConfig::Listen> endpoints() const override;
  void stop() override;

  const Options &options() const { return options_; }
  const std::optional<std::string> &token() const { return token_; }
  const std::string &name() const { return name_; }
  // A line in the log of the srt session that started this proxy, prefixed
  // with the proxy's name. Thread-safe.
  void log(srt_log_level level, std::string_view message) const;
  std::size_t live_connections() const { return live_->load(); }

  // Asks the core about host:port on the decision pool (decide blocks) and
  // calls `done` with the verdict on `ex`. Never calls `done` once stop() has
  // begun.
  void decide(std::string host, std::uint16_t port, srt_net_protocol protocol, Executor ex, VerdictFn done);

 private:
  struct Acceptor {
    Listener listener;
    asio::posix::stream_descriptor descriptor;
    asio::steady_timer retry;
    bool failing = false;  // accept() failed and has not succeeded since (logged once)
    Acceptor(asio::io_context &io, Listener l);
  };

  void run_io() noexcept;
  void wait_for_clients(Acceptor &a);
  void accept_ready(Acceptor &a);
  void retry_later(Acceptor &a);
  void take_client(int fd, int family);

  std::string name_;
  sdk::NetHost host_;
  sdk::ProxyConfig config_;
  std::optional<std::string> token_;
  Options options_;
  std::vector<sdk::ProxyConfig::Listen> endpoints_;
  AcceptFn accept_;
  std::shared_ptr<ConnectionSlot::Counter> live_ = std::make_shared<ConnectionSlot::Counter>(0);
  std::atomic<bool> stopping_{false};
  bool stopped_ = false;

  // Destroyed last: destroying it destroys every pending handler, and with
  // them the sessions and sockets they keep alive.
  std::optional<asio::io_context> io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::mutex decide_pool_mu_;                     // creation only (see decide())
  std::optional<asio::thread_pool> decide_pool_;  // started with the first decision
  std::vector<std::unique_ptr<Acceptor>> acceptors_;
  std::vector<std::thread> threads_;
};

}  // namespace srt::proxy
