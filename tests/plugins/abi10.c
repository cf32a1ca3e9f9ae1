/* A backend plugin written in C against the frozen ABI 1.0 header
 * (tests/abi/v1.0/srt/plugin.h): today's srt must still load it and call
 * its table. */
#include <srt/plugin.h>

#include <string.h>

static void put(srt_sink *sink, const char *text) {
  if (sink && sink->append) sink->append(sink->ctx, text, strlen(text));
}

static int32_t probe(void *self, srt_str policy_json, srt_str options_json, srt_sink *report, srt_sink *error) {
  (void)self;
  (void)policy_json;
  (void)options_json;
  (void)error;
  put(report, "{\"usable\": true, \"reason\": \"\", \"features\": {\"filesystem\": \"unsupported\"}}");
  return SRT_OK;
}

static int32_t render(void *self, srt_str policy_json, srt_str request_json, srt_sink *plan, srt_sink *error) {
  (void)self;
  (void)policy_json;
  (void)request_json;
  (void)plan;
  put(error, "the ABI 1.0 test backend renders nothing");
  return SRT_ERR_UNSUPPORTED;
}

static const srt_backend_v1 kTable = {sizeof(srt_backend_v1), probe, render};
static const srt_plugin_v1 kDescriptor = {sizeof(srt_plugin_v1), SRT_PLUGIN_ABI_MAJOR, SRT_PLUGIN_ABI_MINOR, SRT_PLUGIN_BACKEND,
                                          "test-abi10", "1.0", "built against the ABI 1.0 header", SRT_IR_VERSION, NULL, &kTable};

__attribute__((visibility("default"))) int32_t srt_plugin_entry_v1(const srt_host_v1 *host, const srt_plugin_v1 **out,
                                                                   srt_sink *error) {
  if (!host || host->abi_major != SRT_PLUGIN_ABI_MAJOR) {
    put(error, "needs plugin ABI 1.x");
    return SRT_ERR_UNSUPPORTED;
  }
  *out = &kDescriptor;
  return SRT_OK;
}
