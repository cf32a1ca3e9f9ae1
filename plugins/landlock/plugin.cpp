// The Landlock backend plugin: the SDK glue around probe.cpp and render.cpp.
#include "abi.hpp"
#include "probe.hpp"
#include "render.hpp"

#include <srt/plugin.hpp>

namespace {

class LandlockBackend : public srt::sdk::Backend {
 public:
  srt::sdk::ProbeResult probe(const srt::ir::Policy &policy, bool) override { return srt::landlock_backend::probe(policy); }

  srt::LaunchPlan render(const srt::ir::Policy &policy, const srt::LaunchRequest &request) override {
    auto abi = srt::landlock_backend::query_abi();
    if (abi.version < 1) throw srt::sdk::Unavailable(abi.why);
    return srt::landlock_backend::render(policy, request, abi.version);
  }
};

}  // namespace

SRT_BACKEND_PLUGIN(LandlockBackend, "landlock", "0.1.0",
                   "Landlock and seccomp, no namespaces: for containers and CI where bwrap cannot create user namespaces")
