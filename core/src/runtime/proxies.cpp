#include "runtime/proxies.hpp"

#include "util/strings.hpp"

#include <srt/error.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <charconv>

#include <sys/random.h>
#include <unistd.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>
#include <tuple>

namespace srt::runtime {

namespace {

constexpr std::size_t kTokenBytes = 16;
constexpr std::size_t kMaxSocketPath = sizeof(sockaddr_un{}.sun_path) - 1;

net::Protocol protocol_from(int32_t p) {
  switch (p) {
    case SRT_NET_CONNECT: return net::Protocol::connect;
    case SRT_NET_SOCKS5: return net::Protocol::socks5;
    default: return net::Protocol::http;
  }
}

}  // namespace

std::string make_proxy_token() {
  unsigned char bytes[kTokenBytes];
  static_assert(sizeof bytes <= 256, "getentropy returns at most 256 bytes");
  if (::getentropy(bytes, sizeof bytes) != 0)
    throw SandboxError(fmt::format("cannot make a proxy password: getentropy: {}", std::strerror(errno)));
  std::string hex;
  for (unsigned char b : bytes) hex += fmt::format("{:02x}", b);
  return hex;
}

Proxies::Proxies(plugin::Registry &registry, std::shared_ptr<net::Decider> decider, const std::string &session_dir,
                 std::function<void(int, const std::string &)> log, std::string token, bool http, bool socks, bool loopback_tcp)
    : decider_(std::move(decider)), log_(std::move(log)), token_(std::move(token)) {
  host_.struct_size = sizeof host_;
  host_.ctx = this;
  host_.decide = &Proxies::decide;
  host_.log = &Proxies::log;
  std::string http_socket = session_dir + "/" + kHttpSocketName;
  std::string socks_socket = session_dir + "/" + kSocksSocketName;
  if (http_socket.size() > kMaxSocketPath || socks_socket.size() > kMaxSocketPath)
    throw SandboxError(fmt::format("srt's runtime directory path is too long for a Unix socket ({} > {} bytes): {}; "
                                   "set XDG_RUNTIME_DIR or TMPDIR to a shorter directory",
                                   socks_socket.size(), kMaxSocketPath, util::quoted(session_dir)));
  try {
    for (const auto &[name, path, wanted] : {std::tuple{"http", http_socket, http}, std::tuple{"socks5", socks_socket, socks}}) {
      if (!wanted) continue;
      const auto *info = registry.find(SRT_PLUGIN_NETWORK, name);
      if (!info)
        throw SandboxError(fmt::format("the network plugin \"{}\" is not installed, so srt cannot give the sandbox the network access its "
                                       "settings allow (see `srt backends -d`); reinstall srt",
                                       name));
      plugin::Network plugin(*info);
      boost::json::object config;
      boost::json::array listen;
      if (loopback_tcp) listen.push_back(boost::json::object{{"tcp", "127.0.0.1:0"}});
      else listen.push_back(boost::json::object{{"unix", path}});
      config["listen"] = std::move(listen);
      config["token"] = token_;
      std::vector<plugin::Endpoint> endpoints;
      void *instance = plugin.start(&host_, boost::json::serialize(config), endpoints);
      running_.emplace_back(plugin, instance);
      if (loopback_tcp) (std::string_view(name) == "http" ? http_port_ : socks_port_) = tcp_port(name, endpoints);
    }
  } catch (...) {
    stop();
    throw;
  }
}

std::uint16_t Proxies::tcp_port(const char *name, const std::vector<plugin::Endpoint> &endpoints) {
  for (const auto &e : endpoints) {
    auto colon = e.tcp.rfind(':');
    if (colon == std::string::npos) continue;
    unsigned port = 0;
    auto [end, ec] = std::from_chars(e.tcp.data() + colon + 1, e.tcp.data() + e.tcp.size(), port);
    if (ec == std::errc{} && end == e.tcp.data() + e.tcp.size() && port > 0 && port <= 65535) return static_cast<std::uint16_t>(port);
  }
  throw SandboxError(fmt::format("the network plugin \"{}\" did not say which TCP port it listens on", name));
}

Proxies::~Proxies() { stop(); }

std::vector<std::string> Proxies::stop() {
  std::vector<std::string> problems;
  for (auto &[plugin, instance] : running_)
    if (auto msg = plugin.stop(instance); !msg.empty()) problems.push_back(msg);
  running_.clear();
  return problems;
}

int32_t Proxies::decide(void *ctx, srt_str host, uint16_t port, int32_t protocol, srt_sink *verdict) {
  try {
    auto *self = static_cast<Proxies *>(ctx);
    auto d = self->decider_->decide(std::string_view(host.data ? host.data : "", host.len), port, protocol_from(protocol));
    boost::json::object o;
    o["allow"] = d.allow;
    if (d.allow) {
      o["host"] = d.host;
      boost::json::array a;
      for (const auto &addr : d.addresses) a.emplace_back(addr.to_string());
      o["addresses"] = std::move(a);
    } else {
      o["reason"] = d.reason;
      o["kind"] = d.kind;
    }
    std::string text = boost::json::serialize(o);
    if (verdict && verdict->append) verdict->append(verdict->ctx, text.data(), text.size());
    return SRT_OK;
  } catch (...) {
    return SRT_ERR_INTERNAL;  // the SDK turns this into a refusal
  }
}

void Proxies::log(void *ctx, int32_t level, srt_str message) {
  auto *self = static_cast<Proxies *>(ctx);
  if (self->log_) self->log_(level, std::string(message.data ? message.data : "", message.data ? message.len : 0));
}

}  // namespace srt::runtime
