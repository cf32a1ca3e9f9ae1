// Reads the exported (dynamic) symbols of an ELF shared library without
// loading it, so that no code of a file runs before it is known to be an srt
// plugin. Only .dynsym is read: a plugin exports one symbol, so this is a
// few hundred bytes, where a full symbol table walk would read megabytes.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace srt::plugin {

// The names of the defined, global dynamic symbols of `path`; nullopt when
// the file is not an ELF shared object this machine can load (with `why`).
std::optional<std::vector<std::string>> elf_exported_symbols(const std::string &path, std::string &why);

}  // namespace srt::plugin
