// Starts the network bridge: the relay process that carries the sandbox's
// loopback proxy ports to srt's Unix sockets (relay.hpp).
#pragma once

#include "enter/listeners.hpp"
#include "enter/options.hpp"

#include <vector>

namespace srt::enter {

// Forks the relay so that it is not a child of the command (an intermediate
// process forks it and exits; this process reaps the intermediate), waits
// until it is serving, and closes this process's copies of the listeners.
// The relay is non-dumpable, in its own session, and keeps no fd but its
// own. Dies (kExitUsage) when the relay cannot be started.
void start_bridge(const std::vector<BridgeSpec> &bridges, std::vector<Listener> &listeners);

}  // namespace srt::enter
