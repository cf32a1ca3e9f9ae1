#include "violations/record.hpp"

#include <algorithm>
#include <cctype>

namespace srt::violations {

std::string process_name(const std::string &process) {
  if (process.empty() || process.back() != ')') return process;
  auto open = process.rfind('(');
  if (open == std::string::npos || open + 2 >= process.size()) return process;
  bool digits = std::all_of(process.begin() + static_cast<std::ptrdiff_t>(open) + 1, process.end() - 1,
                            [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
  return digits ? process.substr(0, open) : process;
}

void Record::add(Violation v) {
  auto key = std::make_tuple(v.operation, v.target, process_name(v.process));
  std::uint64_t n = v.count ? v.count : 1;
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it != index_.end()) {
    entries_[it->second].count += n;
  } else if (entries_.size() >= kMaxRecordedViolations) {
    unrecorded_ += n;
  } else {
    v.count = n;
    index_.emplace(std::move(key), entries_.size());
    entries_.push_back(std::move(v));
  }
}

std::vector<Violation> Record::list() const {
  std::lock_guard lock(mu_);
  auto out = entries_;
  if (unrecorded_) out.push_back({kOtherDenials, "", "", "other denials, not recorded one by one", unrecorded_});
  return out;
}

}  // namespace srt::violations
