// Starts the network bridge: the relay process that carries the sandbox's
// loopback proxy ports to srt's Unix sockets (relay.hpp).
#pragma once

#include "enter/listeners.hpp"
#include "enter/options.hpp"

#include <vector>

namespace srt::enter {

// Starts the relay as a sibling of this process (a child of the sandbox's
// init, not of the command) and closes this process's copies of the
// listeners. The relay is non-dumpable, in its own session, and keeps no fd
// but its own. Returns a descriptor for await_bridge(). Dies (kExitUsage)
// when the relay cannot be started.
int start_bridge(const std::vector<BridgeSpec> &bridges, std::vector<Listener> &listeners);

// Waits until the relay is serving (it has been setting up meanwhile); dies
// (kExitUsage) with the relay's reason when it could not start.
void await_bridge(int ready_fd);

}  // namespace srt::enter
