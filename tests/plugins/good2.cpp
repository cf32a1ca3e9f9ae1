// A well-formed backend that is never usable: proves loading works and that
// an unusable backend is reported, not used.
#include <srt/plugin.hpp>

namespace {
class Good2 : public srt::sdk::Backend {
 public:
  srt::sdk::ProbeResult probe(const srt::ir::Policy &, bool) override {
    srt::sdk::ProbeResult r;
    r.reason = "test plugin: never usable";
    return r;
  }
  srt::LaunchPlan render(const srt::ir::Policy &, const srt::LaunchRequest &) override {
    throw srt::sdk::Unsupported("test plugin renders nothing");
  }
};
}  // namespace

SRT_BACKEND_PLUGIN(Good2, "test-good", "1.0", "same name, second file")
