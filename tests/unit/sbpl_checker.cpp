#include "sbpl_checker.hpp"

#include <fmt/format.h>

#include <memory>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>

namespace srt::test {

namespace {

// The operations srt's profiles may use.
const std::set<std::string> kOperations = {
    "default", "file*", "file-read*", "file-read-data", "file-read-metadata", "file-read-xattr", "file-write*",
    "file-write-data", "file-write-create", "file-write-unlink", "file-write-mode", "file-write-owner", "file-write-xattr",
    "file-write-times", "file-ioctl", "file-link", "file-map-executable", "process*", "process-exec", "process-exec*",
    "process-fork", "process-info*", "signal", "mach-lookup", "mach-priv-task-port", "ipc-posix-shm", "ipc-posix-shm*",
    "ipc-posix-sem", "iokit-open", "iokit-get-properties", "sysctl-read", "sysctl-write", "network*", "network-outbound",
    "network-inbound", "network-bind", "system-socket", "user-preference-read", "distributed-notification-post",
    "pseudo-tty", "lsopen", "appleevent-send"};

// Filters and the shape of their arguments.
enum class Arg { string, regex, filter, symbol_or_string, any };
struct FilterSpec {
  const char *name;
  Arg arg;
};
const FilterSpec kFilters[] = {
    {"literal", Arg::string},       {"subpath", Arg::string},           {"prefix", Arg::string},
    {"regex", Arg::regex},          {"path-regex", Arg::regex},         {"require-not", Arg::filter},
    {"require-all", Arg::filter},   {"require-any", Arg::filter},       {"global-name", Arg::string},
    {"global-name-prefix", Arg::string}, {"local", Arg::any},           {"remote", Arg::any},
    {"socket-domain", Arg::symbol_or_string}, {"socket-type", Arg::symbol_or_string}, {"socket-protocol", Arg::symbol_or_string},
    {"sysctl-name", Arg::string},   {"sysctl-name-prefix", Arg::string}, {"target", Arg::symbol_or_string},
    {"with", Arg::any},             {"vnode-type", Arg::symbol_or_string}, {"iokit-registry-entry-class", Arg::string},
    {"iokit-user-client-class", Arg::string}, {"ipc-posix-name", Arg::string}, {"ipc-posix-name-prefix", Arg::string},
    {"appleevent-destination", Arg::string}, {"preference-domain", Arg::string},
};

struct Node {
  enum Kind { list, symbol, string, regex } kind = list;
  std::string text;  // symbol name or the unescaped literal
  int line = 0;
  std::vector<std::unique_ptr<Node>> items;
};

class Parser {
 public:
  Parser(std::string_view s, std::vector<std::string> &problems) : s_(s), problems_(problems) {}

  std::vector<std::unique_ptr<Node>> parse() {
    std::vector<std::unique_ptr<Node>> top;
    for (;;) {
      skip_space();
      if (i_ >= s_.size()) break;
      if (s_[i_] == ')') {
        problem("')' without a matching '('");
        ++i_;
        continue;
      }
      if (auto n = node()) top.push_back(std::move(n));
    }
    return top;
  }

 private:
  void problem(const std::string &what) { problems_.push_back(fmt::format("line {}: {}", line_, what)); }

  void skip_space() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\n') ++line_;
      if (c == ';') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
        continue;
      }
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++i_;
    }
  }

  std::unique_ptr<Node> node() {
    auto n = std::make_unique<Node>();
    n->line = line_;
    char c = s_[i_];
    if (c == '(') {
      ++i_;
      for (;;) {
        skip_space();
        if (i_ >= s_.size()) {
          problem(fmt::format("'(' opened on line {} is never closed", n->line));
          return n;
        }
        if (s_[i_] == ')') {
          ++i_;
          return n;
        }
        if (auto child = node()) n->items.push_back(std::move(child));
      }
    }
    if (c == '"' || (c == '#' && i_ + 1 < s_.size() && s_[i_ + 1] == '"')) {
      n->kind = c == '#' ? Node::regex : Node::string;
      i_ += c == '#' ? 2 : 1;
      while (i_ < s_.size() && s_[i_] != '"') {
        if (s_[i_] == '\n') problem("a newline inside a string literal");
        if (static_cast<unsigned char>(s_[i_]) < 0x20) problem("a control character inside a string literal");
        if (s_[i_] == '\\' && n->kind == Node::string) {
          if (i_ + 1 >= s_.size()) break;
          char e = s_[i_ + 1];
          if (e != '"' && e != '\\') problem(fmt::format("unknown escape \\{} in a string literal", e));
          n->text += e;
          i_ += 2;
          continue;
        }
        n->text += s_[i_++];
      }
      if (i_ >= s_.size()) {
        problem(fmt::format("string literal opened on line {} is never closed", n->line));
        return n;
      }
      ++i_;
      return n;
    }
    n->kind = Node::symbol;
    while (i_ < s_.size() && std::string_view(" \t\r\n();\"").find(s_[i_]) == std::string_view::npos) n->text += s_[i_++];
    if (n->text.empty()) {
      problem(fmt::format("unexpected character '{}'", s_[i_]));
      ++i_;
      return nullptr;
    }
    return n;
  }

  std::string_view s_;
  std::vector<std::string> &problems_;
  std::size_t i_ = 0;
  int line_ = 1;
};

void check_regex(const Node &n, std::vector<std::string> &problems) {
  try {
    std::regex re(n.text, std::regex::extended);
  } catch (const std::regex_error &e) {
    problems.push_back(fmt::format("line {}: the regex {} does not compile: {}", n.line, n.text, e.what()));
  }
}

void check_filter(const Node &n, std::vector<std::string> &problems) {
  if (n.kind != Node::list || n.items.empty() || n.items[0]->kind != Node::symbol) {
    problems.push_back(fmt::format("line {}: expected a filter like (subpath \"...\")", n.line));
    return;
  }
  const std::string &name = n.items[0]->text;
  const FilterSpec *spec = nullptr;
  for (const auto &f : kFilters)
    if (name == f.name) spec = &f;
  if (!spec) {
    problems.push_back(fmt::format("line {}: unknown filter {}", n.line, name));
    return;
  }
  if (n.items.size() < 2) problems.push_back(fmt::format("line {}: ({}) needs an argument", n.line, name));
  for (std::size_t k = 1; k < n.items.size(); ++k) {
    const Node &a = *n.items[k];
    switch (spec->arg) {
      case Arg::string:
        if (a.kind != Node::string) problems.push_back(fmt::format("line {}: ({} ...) takes a string", a.line, name));
        break;
      case Arg::regex:
        if (a.kind != Node::string && a.kind != Node::regex) problems.push_back(fmt::format("line {}: ({} ...) takes a regex", a.line, name));
        else check_regex(a, problems);
        break;
      case Arg::filter: check_filter(a, problems); break;
      case Arg::symbol_or_string:
        if (a.kind == Node::list) problems.push_back(fmt::format("line {}: ({} ...) takes a name", a.line, name));
        break;
      case Arg::any:
        if (a.kind == Node::list) check_filter(a, problems);
        break;
    }
  }
}

}  // namespace

std::vector<std::string> check_sbpl(std::string_view profile) {
  std::vector<std::string> problems;
  auto top = Parser(profile, problems).parse();
  bool version = false;
  for (const auto &form : top) {
    if (form->kind != Node::list || form->items.empty() || form->items[0]->kind != Node::symbol) {
      problems.push_back(fmt::format("line {}: expected a form like (allow ...)", form->line));
      continue;
    }
    const std::string &head = form->items[0]->text;
    if (head == "version") {
      version = form->items.size() == 2 && form->items[1]->text == "1";
      if (!version) problems.push_back(fmt::format("line {}: expected (version 1)", form->line));
      continue;
    }
    if (head != "allow" && head != "deny") {
      problems.push_back(fmt::format("line {}: unknown form {}", form->line, head));
      continue;
    }
    std::size_t k = 1;
    for (; k < form->items.size() && form->items[k]->kind == Node::symbol; ++k)
      if (!kOperations.count(form->items[k]->text))
        problems.push_back(fmt::format("line {}: unknown operation {}", form->items[k]->line, form->items[k]->text));
    if (k == 1) problems.push_back(fmt::format("line {}: ({} ...) names no operation", form->line, head));
    for (; k < form->items.size(); ++k) check_filter(*form->items[k], problems);
  }
  if (!version) problems.insert(problems.begin(), "the profile has no (version 1)");
  return problems;
}

namespace {

bool covers(const std::string &rule_op, std::string_view op) {
  if (rule_op == "default" || rule_op == op) return true;
  return !rule_op.empty() && rule_op.back() == '*' && op.substr(0, rule_op.size() - 1) == std::string_view(rule_op).substr(0, rule_op.size() - 1);
}

bool filter_matches(const Node &f, std::string_view path) {
  if (f.kind != Node::list || f.items.empty()) return false;
  const std::string &name = f.items[0]->text;
  auto arg = [&](std::size_t i) -> const Node * { return i < f.items.size() ? f.items[i].get() : nullptr; };
  if (name == "literal") return arg(1) && arg(1)->text == path;
  if (name == "subpath") {
    if (!arg(1)) return false;
    std::string_view base = arg(1)->text;
    return path == base || (path.substr(0, base.size()) == base && path.size() > base.size() && (base == "/" || path[base.size()] == '/'));
  }
  if (name == "regex") return arg(1) && std::regex_search(std::string(path), std::regex(arg(1)->text, std::regex::extended));
  if (name == "require-not") return arg(1) && !filter_matches(*arg(1), path);
  if (name == "require-all" || name == "require-any") {
    bool all = name == "require-all";
    for (std::size_t i = 1; i < f.items.size(); ++i)
      if (filter_matches(*f.items[i], path) != all) return !all;
    return all;
  }
  return false;
}

}  // namespace

struct SbplModel::Rules {
  std::vector<std::unique_ptr<Node>> forms;
};

SbplModel::SbplModel(std::string_view profile) : rules_(std::make_unique<Rules>()) {
  auto problems = check_sbpl(profile);
  if (!problems.empty()) throw std::invalid_argument("malformed profile: " + problems.front());
  std::vector<std::string> ignored;
  rules_->forms = Parser(profile, ignored).parse();
}

SbplModel::~SbplModel() = default;

bool SbplModel::allows(std::string_view operation, std::string_view path) const {
  bool allowed = false;
  for (const auto &form : rules_->forms) {
    const std::string &head = form->items[0]->text;
    if (head != "allow" && head != "deny") continue;
    std::size_t k = 1;
    bool op = false;
    for (; k < form->items.size() && form->items[k]->kind == Node::symbol; ++k) op = op || covers(form->items[k]->text, operation);
    if (!op) continue;
    bool match = k == form->items.size();  // no filter: every path
    for (std::size_t i = k; i < form->items.size() && !match; ++i) {
      const Node &f = *form->items[i];
      // (with message ...) is a modifier, not a filter.
      if (f.kind == Node::list && !f.items.empty() && f.items[0]->text == "with") {
        match = k + 1 == form->items.size();
        continue;
      }
      match = filter_matches(f, path);
    }
    if (match) allowed = head == "allow";
  }
  return allowed;
}

}  // namespace srt::test
