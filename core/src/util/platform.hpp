// SRT_LINUX_EXTRAS is 1 where srt uses what only Linux has (signalfd, memfd,
// clone, pipe2 and SOCK_CLOEXEC, getdents64, SCM_CREDENTIALS, close_range)
// and 0 where it takes the portable POSIX path written for macOS. The unit
// tests also build that path on Linux (SRT_POSIX_FALLBACKS), so that CI runs
// the code a Mac runs. Kernel features with no POSIX path at all (seccomp,
// Landlock, namespaces) stay under __linux__.
#pragma once

#if defined(__linux__) && !defined(SRT_POSIX_FALLBACKS)
#define SRT_LINUX_EXTRAS 1
#else
#define SRT_LINUX_EXTRAS 0
#endif
