// Calls into a loaded backend plugin through its C table, turning sinks and
// status codes into C++ values and srt::SandboxError.
#pragma once

#include "plugin/registry.hpp"

#include <srt/launch.hpp>
#include <srt/policy.hpp>

#include <map>
#include <string>

namespace srt::plugin {

struct Probe {
  bool usable = false;
  std::string reason;
  std::map<std::string, std::string> features;
  std::map<std::string, std::string> feature_notes;  // feature -> what is missing, for those not enforced
  bool host_namespaces = false;
  bool keeps_absent_paths = false;  // no placeholders needed (ProbeResult)
};

class Backend {
 public:
  explicit Backend(const PluginInfo &info);
  const PluginInfo &info() const { return info_; }
  const std::string &name() const { return info_.name; }

  // Throws SandboxError when the plugin fails or answers malformed JSON.
  Probe probe(const std::string &policy_json, bool deep) const;
  LaunchPlan render(const std::string &policy_json, const LaunchRequest &request) const;

 private:
  [[noreturn]] void fail(const char *what, int32_t status, const std::string &error) const;
  const PluginInfo &info_;
  const srt_backend_v1 *table_;
};

}  // namespace srt::plugin
