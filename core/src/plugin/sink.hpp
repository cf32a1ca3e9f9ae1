// An srt_sink that collects what a plugin writes into a std::string.
#pragma once

#include <srt/plugin.h>

#include <string>

namespace srt::plugin {

class StringSink {
 public:
  StringSink() : sink_{this, &StringSink::append} {}
  StringSink(const StringSink &) = delete;
  StringSink &operator=(const StringSink &) = delete;

  srt_sink *sink() { return &sink_; }
  const std::string &text() const { return text_; }

 private:
  // Bounds what a misbehaving plugin can make srt hold.
  static constexpr std::size_t kMaxBytes = 256 * 1024 * 1024;

  static void append(void *ctx, const char *data, std::size_t len) {
    auto *self = static_cast<StringSink *>(ctx);
    if (!data || self->text_.size() + len > kMaxBytes) return;
    self->text_.append(data, len);
  }

  std::string text_;
  srt_sink sink_;
};

}  // namespace srt::plugin
