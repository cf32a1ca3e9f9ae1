// Every resource limit and default timeout shared by srt's proxies, in one
// place so that a reviewer sees what one client may cost.
#pragma once

#include <chrono>
#include <cstddef>

namespace srt::proxy {

// Threads running the event loop. One: a proxy mostly asks the kernel to
// move bytes (splice), a second thread measured within noise on throughput
// (bench/proxy), and every thread is paid for at every launch (srt starts
// two proxies per command).
inline constexpr unsigned kIoThreads = 1;

// Threads that call NetHost::decide, which blocks on DNS and on the library's
// ask callback. More than the cores: they mostly wait. Started with the first
// decision, so that a command that never connects pays for none.
inline constexpr unsigned kDecideThreads = 4;

// Client connections served at once (each tunnel holds two sockets and, while
// it moves bulk data, a pipe per direction: about 6 descriptors). Clients
// beyond it are accepted and closed at once, so that the backlog drains.
inline constexpr std::size_t kMaxConnections = 4096;

// Connections taken from one listener per wake-up, so that one busy listener
// does not starve the connections already open.
inline constexpr int kAcceptBatch = 64;

// Pause before accepting again after the process ran out of descriptors or
// memory (accepting at once would spin).
inline constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

// A relay direction starts with a small buffer (most tunnels carry little);
// a read that fills it means bulk data, and the direction switches to its
// bulk mode (a larger buffer, or splice through a pipe where available).
inline constexpr std::size_t kRelayInitialBufferBytes = 16 * 1024;
inline constexpr std::size_t kRelayBulkBufferBytes = 256 * 1024;
// Bytes moved per splice() call in bulk mode, and the capacity asked of the
// kernel for each direction's pipe.
inline constexpr std::size_t kSplicePipeBytes = 1024 * 1024;
// Rounds a bulk direction moves before letting other connections run.
inline constexpr int kRelayRoundsPerTurn = 16;

// Bytes a client sent after its request (CONNECT head, SOCKS request) that are
// kept while the decision and the connection to the destination are made.
// The proxy stops reading the client meanwhile, so no more can pile up.
inline constexpr std::size_t kMaxPipelinedBytes = 64 * 1024;

// After a final answer (a refusal, an error) the proxy stops sending and
// reads what the client still sends for a moment before closing: closing
// with unread bytes would reset the connection and could destroy the answer
// before the client reads it.
inline constexpr std::chrono::milliseconds kLingerTimeout{2'000};
inline constexpr std::size_t kMaxLingerBytes = 256 * 1024;

// Default timeouts (each can be shortened through Options, for tests).
// A client must send a complete request head (or SOCKS handshake) within:
inline constexpr std::chrono::milliseconds kRequestHeadTimeout{30'000};
// An HTTP client may stay silent between two requests on one connection for:
inline constexpr std::chrono::milliseconds kKeepAliveIdleTimeout{60'000};
// One attempt to connect to one of the verdict's addresses may take:
inline constexpr std::chrono::milliseconds kConnectTimeout{15'000};
// A forwarded plain-HTTP exchange may move no byte in either direction for:
inline constexpr std::chrono::milliseconds kExchangeIdleTimeout{300'000};

}  // namespace srt::proxy
