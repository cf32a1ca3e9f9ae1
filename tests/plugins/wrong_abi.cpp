// Claims plugin ABI 2 in its descriptor while exporting the v1 symbol.
#include <srt/plugin.h>

namespace {
const srt_backend_v1 table = {sizeof(srt_backend_v1), nullptr, nullptr};
const srt_plugin_v1 descriptor = {sizeof(srt_plugin_v1), 2, 0, SRT_PLUGIN_BACKEND, "test-wrong-abi", "1", "wrong ABI", 1, nullptr, &table};
}  // namespace

extern "C" __attribute__((visibility("default"))) int32_t srt_plugin_entry_v1(const srt_host_v1 *, const srt_plugin_v1 **out,
                                                                              srt_sink *) {
  *out = &descriptor;
  return SRT_OK;
}
