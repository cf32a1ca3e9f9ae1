// Blocking one-way copy between two fds, for `srt-enter connect`.
#pragma once

namespace srt::enter {

// Copies from `in` to `out` until EOF on `in`, with splice() when one side is
// a pipe and read/write otherwise. Returns 0, or the errno that stopped it.
// SIGPIPE must be ignored.
int copy_stream(int in, int out);

}  // namespace srt::enter
