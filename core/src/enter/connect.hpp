// `srt-enter connect HOST PORT`: an SSH ProxyCommand for use inside the
// sandbox (GIT_SSH_COMMAND), so that no socat is needed. It opens an HTTP
// CONNECT tunnel through srt's proxy (found from $HTTP_PROXY, reached at
// 127.0.0.1 on its port through the bridge) and joins stdin/stdout to it.
//
// Exit status: 0 when both directions ended cleanly; 1 when the proxy could
// not be reached, refused the tunnel (`srt: proxy refused HOST:PORT: <status
// line>` on stderr) or the tunnel broke; kExitUsage for bad arguments or a
// missing/unusable $HTTP_PROXY.
#pragma once

namespace srt::enter {

// argv: HOST PORT (what follows "connect").
int run_connect(int argc, char **argv);

}  // namespace srt::enter
