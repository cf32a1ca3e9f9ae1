// Counts one client connection for as long as it lives: held by whatever owns
// the client's socket (the protocol session, then the relay).
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <utility>

namespace srt::proxy {

class ConnectionSlot {
 public:
  using Counter = std::atomic<std::size_t>;
  ConnectionSlot() = default;
  explicit ConnectionSlot(std::shared_ptr<Counter> counter) : counter_(std::move(counter)) {
    if (counter_) counter_->fetch_add(1);
  }
  ConnectionSlot(ConnectionSlot &&o) noexcept = default;
  ConnectionSlot &operator=(ConnectionSlot &&o) noexcept {
    if (this != &o) {
      release();
      counter_ = std::move(o.counter_);
    }
    return *this;
  }
  ConnectionSlot(const ConnectionSlot &) = delete;
  ConnectionSlot &operator=(const ConnectionSlot &) = delete;
  ~ConnectionSlot() { release(); }

 private:
  void release() {
    if (counter_) counter_->fetch_sub(1);
    counter_.reset();
  }
  std::shared_ptr<Counter> counter_;
};

}  // namespace srt::proxy
