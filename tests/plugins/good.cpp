// A well-formed backend that is never usable: proves loading works and that
// an unusable backend is reported, not used. Built twice (test-good2) to
// check that a second plugin with the same name is reported, not used. Its
// render names the policy's working directory, so that a test can tell which
// policy the SDK handed it.
#include <srt/plugin.hpp>

namespace {
class Good : public srt::sdk::Backend {
 public:
  srt::sdk::ProbeResult probe(const srt::ir::Policy &, bool) override {
    srt::sdk::ProbeResult r;
    r.reason = "test plugin: never usable";
    return r;
  }
  srt::LaunchPlan render(const srt::ir::Policy &policy, const srt::LaunchRequest &) override {
    throw srt::sdk::Unsupported("test plugin renders nothing (cwd " + policy.process.cwd + ")");
  }
};
}  // namespace

#ifdef SRT_TEST_SECOND_COPY
SRT_BACKEND_PLUGIN(Good, "test-good", "1.0", "same name, second file")
#else
SRT_BACKEND_PLUGIN(Good, "test-good", "1.0", "test plugin that loads")
#endif
