// Small helpers shared by srt-enter's parts: exit codes, fatal errors and
// EINTR-safe I/O. srt-enter is single-threaded and links no Boost.
#pragma once

#include <cstddef>
#include <string_view>

namespace srt::enter {

// Exit statuses when the command did not run (srt maps them for the user).
inline constexpr int kExitUsage = 125;          // srt-enter itself failed
inline constexpr int kExitNotExecutable = 126;  // the command exists but cannot run
inline constexpr int kExitNotFound = 127;       // no such command

// Prints "srt-enter: <message>" to stderr and exits with kExitUsage. Used for
// everything that must stop the command from running (never run it with
// part of the sandbox missing).
[[noreturn]] void die(const char *format, ...) __attribute__((format(printf, 1, 2)));

// Like die(), with ": strerror(errno)" appended.
[[noreturn]] void die_errno(const char *format, ...) __attribute__((format(printf, 1, 2)));

// Writes all of `data` (retrying on EINTR and short writes). Returns false
// with errno set on failure. Sockets get MSG_NOSIGNAL-like behaviour only if
// the caller ignores SIGPIPE.
bool write_all(int fd, const void *data, std::size_t size);

// The largest descriptor number srt-enter accepts on its command line (srt
// passes small ones; this only bounds the parse).
inline constexpr int kMaxFd = 1 << 20;

// A decimal number of at most 9 digits, no sign, no more than `max`. For
// descriptor numbers, ports and signals on srt-enter's command lines.
bool parse_number(std::string_view s, int max, int &out);

// Without close_range, descriptors are handled one by one up to here.
inline constexpr int kMaxFdScan = 65536;

// Marks every descriptor from `lowest` up close-on-exec, so that the command
// inherits none of them (what srt's caller had open, srt's own channels).
// Dies when that cannot be done.
void cloexec_from(int lowest);

// A TCP port: 1-65535.
bool parse_port(std::string_view s, int &out);

// close(2) for fds this process owns; EINTR still releases the fd on Linux,
// so it is not retried.
void close_fd(int fd);

}  // namespace srt::enter
