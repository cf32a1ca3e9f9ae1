// `srt-enter forward`: the host side of an external proxy (the settings'
// httpProxyPort / socksProxyPort). srt listens on the Unix socket that the
// sandbox's bridge connects to and runs this helper, which relays each
// connection to the proxy's port on the host's 127.0.0.1:
//
//   srt-enter forward --ready-fd N [--to FD=PORT]...
//
// FD is an inherited listening Unix socket. Once serving, writes "R" to the
// ready fd (or the reason it cannot, and exits 125); then serves until its
// parent (srt) exits.
#pragma once

namespace srt::enter {

[[noreturn]] void run_forward(int argc, char **argv);

}  // namespace srt::enter
