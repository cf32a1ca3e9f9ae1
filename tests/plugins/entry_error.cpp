// An entry point that refuses to load, with a reason.
#include <srt/plugin.h>

#include <cstring>

extern "C" __attribute__((visibility("default"))) int32_t srt_plugin_entry_v1(const srt_host_v1 *, const srt_plugin_v1 **,
                                                                              srt_sink *error) {
  const char *why = "needs /dev/test-device, which is missing";
  error->append(error->ctx, why, std::strlen(why));
  return SRT_ERR_UNAVAILABLE;
}
