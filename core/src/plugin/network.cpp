#include "plugin/network.hpp"

#include "plugin/sink.hpp"

#include <srt/error.hpp>
#include <srt/policy_json.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace srt::plugin {

Network::Network(const PluginInfo &info) : info_(info), table_(static_cast<const srt_network_v1 *>(info.descriptor->table)) {}

void *Network::start(const srt_net_host_v1 *host, const std::string &config_json, std::vector<Endpoint> &endpoints) const {
  StringSink out, error;
  void *instance = nullptr;
  int32_t status = table_->start(info_.descriptor->self, host, srt_str{config_json.data(), config_json.size()}, &instance, out.sink(),
                                 error.sink());
  if (status != SRT_OK)
    throw SandboxError(fmt::format("network plugin \"{}\" ({}) could not start: {}", info_.name, info_.file,
                                   error.text().empty() ? "no reason given" : error.text()));
  try {
    using namespace ir::json_detail;
    boost::system::error_code ec;
    auto v = boost::json::parse(out.text(), ec);
    if (ec) throw ir::JsonError("not valid JSON: " + ec.message());
    const auto &list = as_array(field(as_object(v, "endpoints"), "endpoints", "output"), "endpoints");
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string w = fmt::format("endpoints[{}]", i);
      const auto &o = as_object(list[i], w);
      endpoints.push_back({opt_string(o, "unix", w), opt_string(o, "tcp", w)});
    }
  } catch (const ir::JsonError &e) {
    stop(instance);
    throw SandboxError(fmt::format("network plugin \"{}\" ({}) answered malformed endpoints: {}", info_.name, info_.file, e.what()));
  }
  return instance;
}

std::string Network::stop(void *instance) const noexcept {
  try {
    StringSink error;
    if (table_->stop(info_.descriptor->self, instance, error.sink()) == SRT_OK) return {};
    return fmt::format("network plugin \"{}\" did not stop cleanly: {}", info_.name, error.text());
  } catch (...) {
    return fmt::format("network plugin \"{}\" did not stop cleanly", info_.name);
  }
}

}  // namespace srt::plugin
