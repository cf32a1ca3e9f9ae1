// The bwrap backend plugin: the SDK glue around render.cpp and probe.cpp.
#include "probe.hpp"
#include "render.hpp"

#include <srt/plugin.hpp>

namespace {

class BwrapBackend : public srt::sdk::Backend {
 public:
  srt::sdk::ProbeResult probe(const srt::ir::Policy &policy, bool deep) override { return srt::bwrap::probe(policy, deep); }

  srt::LaunchPlan render(const srt::ir::Policy &policy, const srt::LaunchRequest &request) override {
    std::string why;
    auto bwrap = srt::bwrap::find_bwrap(policy, why);
    if (!bwrap) throw srt::sdk::Unavailable(why);
    return srt::bwrap::render(policy, request, *bwrap);
  }
};

}  // namespace

SRT_BACKEND_PLUGIN(BwrapBackend, "bwrap", "0.1.0",
                   "Linux namespaces via bubblewrap: read-only root, writable binds, hidden paths, own network namespace")
