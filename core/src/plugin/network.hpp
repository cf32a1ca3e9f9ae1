// Calls into a loaded network plugin (a proxy) through its C table, turning
// sinks and status codes into C++ values and srt::SandboxError.
#pragma once

#include "plugin/registry.hpp"

#include <string>
#include <vector>

namespace srt::plugin {

struct Endpoint {
  std::string unix_path;  // one of the two
  std::string tcp;
};

class Network {
 public:
  explicit Network(const PluginInfo &info);
  const std::string &name() const { return info_.name; }

  // Starts one proxy that asks `host` for every decision; `host` must stay
  // valid until stop() returns. Returns the instance handle for stop().
  // Throws SandboxError; nothing is left running then.
  void *start(const srt_net_host_v1 *host, const std::string &config_json, std::vector<Endpoint> &endpoints) const;
  // Never throws: a failure to stop is returned as a message (empty: stopped).
  std::string stop(void *instance) const noexcept;

 private:
  const PluginInfo &info_;
  const srt_network_v1 *table_;
};

}  // namespace srt::plugin
