// The "http" network plugin: the SDK glue around http_proxy.cpp.
#include "http_proxy.hpp"

SRT_NETWORK_PLUGIN(srt::proxy::http::HttpNetwork, "http", "0.1.0",
                   "Filtering HTTP proxy: CONNECT tunnels and plain http:// requests, each destination decided by srt")
