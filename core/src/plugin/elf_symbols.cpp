#include "plugin/elf_symbols.hpp"

#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace srt::plugin {

namespace {

// A mapping of the whole file, unmapped on scope exit.
struct Mapping {
  const unsigned char *data = nullptr;
  std::size_t size = 0;
  ~Mapping() {
    if (data) ::munmap(const_cast<unsigned char *>(data), size);
  }
};

template <class T>
const T *at(const Mapping &m, std::uint64_t offset, std::uint64_t count = 1) {
  if (offset > m.size || count > (m.size - offset) / sizeof(T)) return nullptr;
  return reinterpret_cast<const T *>(m.data + offset);
}

}  // namespace

std::optional<std::vector<std::string>> elf_exported_symbols(const std::string &path, std::string &why) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  struct stat st{};
  Mapping m;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= static_cast<off_t>(sizeof(Elf64_Ehdr))) {
    void *p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
      m.data = static_cast<const unsigned char *>(p);
      m.size = static_cast<std::size_t>(st.st_size);
    }
  }
  ::close(fd);
  const auto *eh = at<Elf64_Ehdr>(m, 0);
  if (!eh || std::memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0) {
    why = "not an ELF file";
    return std::nullopt;
  }
  if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB) {
    why = "not a 64-bit little-endian ELF file";
    return std::nullopt;
  }
  if (eh->e_type != ET_DYN) {
    why = "an ELF file, but not a shared library";
    return std::nullopt;
  }
  const auto *sections = at<Elf64_Shdr>(m, eh->e_shoff, eh->e_shnum);
  if (!sections || eh->e_shentsize != sizeof(Elf64_Shdr)) {
    why = "its ELF section table is damaged";
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (unsigned i = 0; i < eh->e_shnum; ++i) {
    const auto &s = sections[i];
    if (s.sh_type != SHT_DYNSYM || s.sh_link >= eh->e_shnum || s.sh_entsize != sizeof(Elf64_Sym)) continue;
    const auto &strtab = sections[s.sh_link];
    const auto *syms = at<Elf64_Sym>(m, s.sh_offset, s.sh_size / sizeof(Elf64_Sym));
    const auto *names = at<char>(m, strtab.sh_offset, strtab.sh_size);
    if (!syms || !names) {
      why = "its dynamic symbol table is damaged";
      return std::nullopt;
    }
    for (std::uint64_t k = 0; k < s.sh_size / sizeof(Elf64_Sym); ++k) {
      const auto &sym = syms[k];
      unsigned bind = ELF64_ST_BIND(sym.st_info);
      if (sym.st_shndx == SHN_UNDEF || (bind != STB_GLOBAL && bind != STB_WEAK) || sym.st_name >= strtab.sh_size) continue;
      out.emplace_back(names + sym.st_name, ::strnlen(names + sym.st_name, strtab.sh_size - sym.st_name));
    }
  }
  return out;
}

}  // namespace srt::plugin
