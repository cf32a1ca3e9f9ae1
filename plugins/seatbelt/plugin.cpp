// The Seatbelt backend plugin: the SDK glue around render.cpp.
#include "render.hpp"

#include <srt/plugin.hpp>

#include <random>

namespace {

class SeatbeltBackend : public srt::sdk::Backend {
 public:
  srt::sdk::ProbeResult probe(const srt::ir::Policy &policy, bool) override { return srt::seatbelt::probe(policy); }

  srt::LaunchPlan render(const srt::ir::Policy &policy, const srt::LaunchRequest &request) override {
    std::random_device random;  // the OS's generator (getentropy / getrandom)
    std::uint64_t marker = (static_cast<std::uint64_t>(random()) << 32) | random();
    return srt::seatbelt::render(policy, request, marker);
  }
};

}  // namespace

SRT_BACKEND_PLUGIN(SeatbeltBackend, "seatbelt", "0.1.0",
                   "macOS Seatbelt (sandbox-exec) with a profile rendered from the policy; elsewhere it only renders")
