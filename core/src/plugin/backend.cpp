#include "plugin/backend.hpp"

#include "plugin/sink.hpp"

#include <srt/error.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace srt::plugin {

namespace {

srt_str str(const std::string &s) { return srt_str{s.data(), s.size()}; }

boost::json::value parse_output(const std::string &text, const char *what, const PluginInfo &info) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec)
    throw SandboxError(fmt::format("backend \"{}\" ({}) returned a {} that is not valid JSON: {}", info.name, info.file, what, ec.message()));
  return v;
}

}  // namespace

Backend::Backend(const PluginInfo &info) : info_(info), table_(static_cast<const srt_backend_v1 *>(info.descriptor->table)) {}

void Backend::fail(const char *what, int32_t status, const std::string &error) const {
  throw SandboxError(fmt::format("backend \"{}\" ({}): {} failed (status {}): {}", info_.name, info_.file, what, status,
                                 error.empty() ? "no reason given" : error));
}

Probe Backend::probe(const std::string &policy_json, bool deep) const {
  StringSink report, error;
  std::string options = deep ? R"({"deep":true})" : R"({"deep":false})";
  ScopedPluginLog scoped(info_.log);
  int32_t status = table_->probe(info_.descriptor->self, str(policy_json), str(options), report.sink(), error.sink());
  if (status != SRT_OK) fail("probe", status, error.text());
  auto v = parse_output(report.text(), "probe report", info_);
  Probe p;
  try {
    using namespace ir::json_detail;
    const auto &o = as_object(v, "probe");
    p.usable = as_bool(field(o, "usable", "probe"), "probe.usable");
    p.reason = opt_string(o, "reason", "probe");
    if (auto it = o.find("features"); it != o.end())
      for (const auto &kv : as_object(it->value(), "probe.features"))
        p.features[std::string(kv.key())] = as_string(kv.value(), "probe.features." + std::string(kv.key()));
    if (auto it = o.find("feature_notes"); it != o.end())
      for (const auto &kv : as_object(it->value(), "probe.feature_notes"))
        p.feature_notes[std::string(kv.key())] = as_string(kv.value(), "probe.feature_notes." + std::string(kv.key()));
    p.host_namespaces = opt_bool(o, "host_namespaces", "probe");
    p.keeps_absent_paths = opt_bool(o, "keeps_absent_paths", "probe");
  } catch (const ir::JsonError &e) {
    throw SandboxError(fmt::format("backend \"{}\" ({}) returned a malformed probe report: {}", info_.name, info_.file, e.what()));
  }
  if (!p.usable && p.reason.empty()) p.reason = "the backend gave no reason";
  return p;
}

LaunchPlan Backend::render(const std::string &policy_json, const LaunchRequest &request) const {
  StringSink plan, error;
  std::string request_json = boost::json::serialize(to_json(request));
  ScopedPluginLog scoped(info_.log);
  int32_t status = table_->render(info_.descriptor->self, str(policy_json), str(request_json), plan.sink(), error.sink());
  if (status != SRT_OK) fail("render", status, error.text());
  auto v = parse_output(plan.text(), "launch plan", info_);
  try {
    return launch_plan_from_json(v);
  } catch (const ir::JsonError &e) {
    throw SandboxError(fmt::format("backend \"{}\" ({}) returned a malformed launch plan: {}", info_.name, info_.file, e.what()));
  }
}

}  // namespace srt::plugin
