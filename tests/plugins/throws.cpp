// A plugin whose C++ constructor throws: the SDK macro must turn that into an
// error status, never let it cross into srt.
#include <srt/plugin.hpp>

#include <stdexcept>

namespace {
class Throws : public srt::sdk::Backend {
 public:
  Throws() { throw std::runtime_error("constructor failed on purpose"); }
  srt::sdk::ProbeResult probe(const srt::ir::Policy &, bool) override { return {}; }
  srt::LaunchPlan render(const srt::ir::Policy &, const srt::LaunchRequest &) override { return {}; }
};
}  // namespace

SRT_BACKEND_PLUGIN(Throws, "test-throws", "1.0", "throws")
