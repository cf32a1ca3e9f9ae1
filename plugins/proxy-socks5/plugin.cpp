// The "socks5" network plugin: the SDK glue around socks5_proxy.cpp.
#include "socks5_proxy.hpp"

SRT_NETWORK_PLUGIN(srt::proxy::socks5::Socks5Network, "socks5", "0.1.0",
                   "Filtering SOCKS5 proxy (CONNECT only), each destination decided by srt")
