// A plugin built for a future major version: it exports only the v2 entry.
extern "C" __attribute__((visibility("default"))) int srt_plugin_entry_v2() { return 0; }
