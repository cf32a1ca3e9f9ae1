// Errors raised by the srt library. Every message says what happened, where
// (a file, a JSON path, a path on disk) and, when there is one, what to do.
// The library never exits the process and never prints: callers decide.
#pragma once

#include <stdexcept>
#include <string>

namespace srt {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The settings (file, JSON string or struct) are unusable; nothing ran.
class SettingsError : public Error {
 public:
  using Error::Error;
};

// A policy could not be compiled (e.g. a glob matched too much, a path could
// not be inspected); nothing ran.
class PolicyError : public Error {
 public:
  using Error::Error;
};

// No usable backend, a plugin failed, or the sandbox could not be set up.
class SandboxError : public Error {
 public:
  using Error::Error;
};

}  // namespace srt
