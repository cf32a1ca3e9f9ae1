// The record of one launch's OS-level denials (srt::Violation): deduplicated
// by operation, target and process name, counted, bounded.
//
// Threads: add() and list() may be called from any threads at once.
#pragma once

#include <srt/violations.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace srt::violations {

// Distinct denials remembered one by one; past this, a command provoking
// ever new ones only increments a counter (shown as one "(other denials)"
// entry).
inline constexpr std::size_t kMaxRecordedViolations = 1000;
// The operation of that last entry.
inline constexpr const char *kOtherDenials = "(other denials)";

// "touch(1234)" -> "touch"; anything else unchanged.
std::string process_name(const std::string &process);

class Record {
 public:
  void add(Violation v);
  // In first-seen order, then the "(other denials)" entry if any.
  std::vector<Violation> list() const;

 private:
  mutable std::mutex mu_;
  std::vector<Violation> entries_;
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> index_;
  std::uint64_t unrecorded_ = 0;
};

}  // namespace srt::violations
