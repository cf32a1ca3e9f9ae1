// A stand-in for the core's decisions: a srt_net_host_v1 whose decide()
// answers from a small table and records every question.
#pragma once

#include <srt/plugin.hpp>

#include <boost/json.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace srt::test {

struct NetRule {
  bool allow = false;
  std::vector<std::string> addresses;  // when allowed
  std::string canonical;               // when allowed; empty: the host as asked
  std::string reason = "host is not on the allow list";
  std::string kind = "allowlist";
};

struct NetQuestion {
  std::string host;
  std::uint16_t port;
  int protocol;
};

class TestNetHost {
 public:
  TestNetHost() : table_{sizeof(srt_net_host_v1), this, &TestNetHost::decide, &TestNetHost::log} {}
  TestNetHost(const TestNetHost &) = delete;
  TestNetHost &operator=(const TestNetHost &) = delete;

  void allow(const std::string &host, std::vector<std::string> addresses, std::string canonical = {}) {
    std::lock_guard lock(mutex_);
    rules_[host] = NetRule{true, std::move(addresses), std::move(canonical), {}, {}};
  }
  void deny(const std::string &host, std::string reason, std::string kind = "allowlist") {
    std::lock_guard lock(mutex_);
    rules_[host] = NetRule{false, {}, {}, std::move(reason), std::move(kind)};
  }
  std::vector<NetQuestion> questions() const {
    std::lock_guard lock(mutex_);
    return questions_;
  }
  std::vector<std::string> log_lines() const {
    std::lock_guard lock(mutex_);
    return log_;
  }
  const srt_net_host_v1 *table() const { return &table_; }
  sdk::NetHost net() const { return sdk::NetHost(&table_); }

 private:
  static int32_t decide(void *ctx, srt_str host, uint16_t port, int32_t protocol, srt_sink *verdict) {
    auto *self = static_cast<TestNetHost *>(ctx);
    std::string h(host.data, host.len);
    NetRule rule;
    {
      std::lock_guard lock(self->mutex_);
      self->questions_.push_back({h, port, protocol});
      if (auto it = self->rules_.find(h); it != self->rules_.end()) rule = it->second;
    }
    boost::json::object o;
    o["allow"] = rule.allow;
    if (rule.allow) {
      o["host"] = rule.canonical.empty() ? h : rule.canonical;
      boost::json::array a;
      for (const auto &x : rule.addresses) a.emplace_back(x);
      o["addresses"] = std::move(a);
    } else {
      o["reason"] = rule.reason;
      o["kind"] = rule.kind;
    }
    auto text = boost::json::serialize(o);
    verdict->append(verdict->ctx, text.data(), text.size());
    return SRT_OK;
  }

  static void log(void *ctx, int32_t, srt_str message) {
    auto *self = static_cast<TestNetHost *>(ctx);
    std::lock_guard lock(self->mutex_);
    self->log_.emplace_back(message.data, message.len);
  }

  srt_net_host_v1 table_;
  mutable std::mutex mutex_;
  std::map<std::string, NetRule> rules_;
  std::vector<NetQuestion> questions_;
  std::vector<std::string> log_;
};

}  // namespace srt::test
