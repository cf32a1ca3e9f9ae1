// Writes the seccomp program the core builds for a policy (IR JSON file) to
// stdout, for tests that hand it to srt-enter --seccomp-fd.
//
//   seccomp-program POLICY.json > program.bpf
#include "seccomp/filter.hpp"

#include <srt/error.hpp>
#include <srt/policy_json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: seccomp-program POLICY.json\n");
    return 2;
  }
  try {
    std::ifstream in(argv[1]);
    if (!in) throw std::runtime_error(std::string("cannot open ") + argv[1]);
    std::stringstream text;
    text << in.rdbuf();
    std::string program = srt::seccomp::build_program(srt::ir::policy_from_json_text(text.str()));
    std::cout.write(program.data(), static_cast<std::streamsize>(program.size()));
    std::cout.flush();
    return std::cout ? 0 : 1;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "seccomp-program: %s\n", e.what());
    return 1;
  }
}
