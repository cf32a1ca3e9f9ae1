// The last thing a proxy says on a connection it refuses or gives up on.
#pragma once

#include "asio.hpp"
#include "connection_slot.hpp"

#include <string>

namespace srt::proxy {

// Writes `reply` (may be empty), ends sending, then reads and discards what
// the client still sends, for at most kLingerTimeout and kMaxLingerBytes,
// before closing. The caller must have no operation pending on `client`
// (cancel() it first).
void reply_then_close(Socket client, std::string reply, ConnectionSlot slot);

}  // namespace srt::proxy
