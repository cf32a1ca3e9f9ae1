// `srt policy explain`: the compiled IR, the accepted-but-not-enforced keys,
// what the backend would run, and per-path verdicts. Runs nothing.
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "runtime/locations.hpp"

#include <srt/landlock.hpp>
#include <srt/policy_json.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <set>

extern char **environ;

namespace srt::cli {

namespace {

std::string shell_word(const std::string &a) {
  if (!a.empty() && a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == std::string::npos)
    return a;
  std::string out = "'";
  for (char c : a) {
    if (c == '\'') out += "'\\''";
    else if (c == '\0') out += "\\0";
    else out += c;
  }
  return out + "'";
}

std::string mount_label(const ir::Mount &m) {
  if (m.pin) return "pin";
  if (m.kind == ir::Kind::missing) return fmt::format("{} (absent; placeholder {})", ir::to_string(m.access), ir::to_string(m.placeholder));
  return ir::to_string(m.access);
}

// srt's filter is installed by srt-enter when srt gives it one (Linux: the
// plan runs or binds srt-enter, passing it --seccomp-fd), by the core itself
// for plans that run the command directly, or by a launcher that reports
// itself (it took the request's filter descriptor). Where srt has no seccomp
// (macOS) it gives none.
bool applies_syscall_filter(const LaunchPlan &plan, const std::string &enter) {
  if (plan.confine.syscall_filter || !plan.launcher_status.empty()) return true;
  bool enter_named = false, filter_passed = false;
  auto scan = [&](const std::string &s) {
    enter_named = enter_named || s.find(enter) != std::string::npos;
    filter_passed = filter_passed || s.find("--seccomp-fd") != std::string::npos;
  };
  for (const auto &a : plan.argv) scan(a);
  for (const auto &f : plan.files) scan(f.content);
  return enter_named && filter_passed;
}

struct BackendView {
  std::string name;
  std::optional<BackendStatus> status;
  std::optional<LaunchPlan> plan;
  bool syscall_filter = false;  // the plan applies srt's system-call filter
  std::string error;
};

BackendView backend_view(const Sandbox &sandbox, const ir::Policy &policy, const Invocation &inv) {
  BackendView v;
  try {
    v.name = inv.backend.empty() && sandbox.settings().srt.backend == "auto" ? sandbox.choose_backend(policy)
             : !inv.backend.empty()                                        ? inv.backend
                                                                           : sandbox.settings().srt.backend;
  } catch (const Error &e) {
    v.error = e.what();
    return v;
  }
  for (auto &b : sandbox.backends(policy, false))
    if (b.name == v.name) v.status = b;
  if (!v.status) {
    v.error = fmt::format("no backend plugin \"{}\" found (see `srt backends`)", v.name);
    return v;
  }
  try {
    Command cmd;
    cmd.argv = {"<command>"};
    v.plan = sandbox.render(policy, v.name, cmd);
    v.syscall_filter = applies_syscall_filter(*v.plan, runtime::locate(inv.plugin_dirs).enter);
  } catch (const Error &e) {
    v.error = e.what();
  }
  return v;
}

template <typename Add>
void print_confinement(const LaunchPlan::Confinement &c, Add &add) {
  if (c.empty()) return;
  std::vector<std::string> steps;
  if (c.die_with_parent) steps.push_back("killed when srt dies");
  if (c.new_session) steps.push_back("new session");
  if (c.no_new_privs) steps.push_back("no_new_privs");
  if (c.drop_capabilities) steps.push_back("every capability dropped (as root)");
  if (c.landlock) steps.push_back("Landlock");
  if (c.syscall_filter) steps.push_back("descriptors above 2 closed, the system-call filter; then the command itself (no srt-enter)");
  std::string joined;
  for (const auto &st : steps) joined += (joined.empty() ? "" : ", ") + st;
  add("  srt confines the launched process before exec: " + joined);
  if (!c.landlock) return;
  const auto &r = *c.landlock;
  add(fmt::format("  Landlock ruleset (ABI {}): restricts {}", r.abi, landlock::fs_names(r.handled_fs)));
  add(fmt::format("    and TCP {}; scoped: {}", landlock::net_names(r.handled_net), landlock::scope_names(r.scoped)));
  add(fmt::format("    allows only ({} paths, {} ports):", r.paths.size(), r.ports.size()));
  for (const auto &rule : r.paths) add(fmt::format("      {} beneath {}  <- {}", landlock::fs_names(rule.access), rule.path, rule.why));
  for (const auto &rule : r.ports) add(fmt::format("      {} to port {}  <- {}", landlock::net_names(rule.access), rule.port, rule.why));
}

void print_text(const Sandbox &sandbox, const ir::Policy &p, const BackendView &b, const std::vector<PathVerdict> &paths) {
  std::string out;
  auto add = [&](const std::string &s) { out += s + "\n"; };
  add(fmt::format("settings: {}", sandbox.settings_source()));
  add(fmt::format("working directory: {}", p.process.cwd));
  add("");
  if (!p.filesystem.restricted) add("filesystem: not restricted (filesystem.disabled)");
  add("filesystem (in mount order; a deeper path overrides a shallower one):");
  for (const auto &m : p.filesystem.mounts) add(fmt::format("  {:<11} {}  <- {}", mount_label(m), m.path, m.origin));
  add("");
  add("network:");
  add(p.network.proxied ? "  through srt's proxies" : "  none: the sandbox has its own network namespace with only a loopback interface");
  for (const auto &r : p.network.domain_rules)
    add(fmt::format("  {} {}{}  <- {}", ir::to_string(r.effect), r.pattern, r.port ? fmt::format(":{}", *r.port) : "", r.origin));
  if (p.network.proxied) {
    add(fmt::format("  deny first, then allow; unmatched hosts: {}",
                    p.network.strict_allowlist ? "refused (strictAllowlist)" : "refused (the library's ask callback may allow them)"));
    add("  allowed host names must not resolve to loopback, link-local, metadata or this host's addresses");
    for (const auto &a : p.network.denied_resolved_addresses) add(fmt::format("  nor to {}  <- network.deniedResolvedAddresses", a));
  }
  std::string unix_paths;
  for (const auto &path : p.sockets.allow_unix_paths) unix_paths += (unix_paths.empty() ? "" : ", ") + path;
  add(fmt::format("  unix sockets: {}", p.sockets.allow_all_unix ? "all allowed (allowAllUnixSockets)"
                                        : unix_paths.empty()      ? "refused"
                                                                  : "refused, except beneath " + unix_paths + " with the seatbelt backend"));
  add("");
  add("process:");
  add(p.process.allow_pty ? "  shares srt's terminal (allowPty)" : "  new session without a controlling terminal");
  for (const auto &[k, v] : p.process.env_set) add(fmt::format("  env {}={}", k, v));
  for (const auto &k : p.process.env_unset) add(fmt::format("  env unset {}", k));
  if (!p.notes.empty()) {
    add("");
    add("accepted but not enforced by this build:");
    for (const auto &n : p.notes) add(fmt::format("  {} [{}]: {}", n.key, n.status, n.detail));
  }
  for (const auto &w : sandbox.warnings()) add("settings warning: " + w);
  for (const auto &w : p.warnings) add("warning: " + w);
  add("");
  if (!b.error.empty()) {
    add(fmt::format("backend{}: {}", b.name.empty() ? "" : " " + b.name, b.error));
  } else {
    add(fmt::format("backend {} ({}): {}", b.name, b.status->file, b.status->usable ? "usable here" : "NOT usable here: " + b.status->reason));
    std::string feats;
    for (const auto &[k, v] : b.status->features) feats += fmt::format("{}{} {}", feats.empty() ? "" : ", ", k, v);
    add("  enforces: " + feats);
    for (const auto &[k, v] : b.status->feature_notes) add(fmt::format("    {}: {}", k, v));
    if (b.status->keeps_absent_paths)
      add("  absent protected paths: kept absent by the backend's own rules; srt makes no placeholders for them");
    if (b.syscall_filter) {
      add("  system-call filter (applied just before the command's exec; other architectures' calls are refused):");
      for (const auto &r : syscall_filter(p, b.status->host_namespaces))
        add(r.when == "always" ? fmt::format("    {}: {}", r.syscalls, r.action) : fmt::format("    {}: {} when {}", r.syscalls, r.action, r.when));
    }
    add("  runs:");
    // A multi-line argument (Seatbelt's profile) is printed below as it is.
    std::string line = "   ";
    std::vector<std::size_t> blocks;
    for (std::size_t i = 0; i < b.plan->argv.size(); ++i) {
      const auto &a = b.plan->argv[i];
      if (a.find('\n') == std::string::npos) {
        line += " " + shell_word(a);
      } else {
        line += fmt::format(" <argument {}, below>", i);
        blocks.push_back(i);
      }
    }
    add(line);
    for (auto i : blocks) {
      add(fmt::format("  argument {}:", i));
      std::string_view text = b.plan->argv[i];
      while (!text.empty()) {
        auto end = text.find('\n');
        auto piece = text.substr(0, end);
        add(piece.empty() ? "" : "    " + std::string(piece));
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
      }
    }
    if (const auto &log = b.plan->violation_log) {
      std::string argv;
      for (const auto &a : log->argv) argv += " " + shell_word(a);
      add(fmt::format("  denials read from ({} format, marker {}):{}", log->format, log->marker, argv));
    }
    for (const auto &f : b.plan->files) {
      std::string words;
      std::size_t start = 0;
      while (start < f.content.size()) {
        auto end = f.content.find('\0', start);
        if (end == std::string::npos) end = f.content.size();
        words += " " + shell_word(f.content.substr(start, end - start));
        start = end + 1;
      }
      add(fmt::format("  fd {} ({}):{}", f.fd, f.name, words));
    }
    print_confinement(b.plan->confine, add);
    std::set<std::string> own;
    for (char **e = environ; e && *e; ++e) own.insert(*e);
    std::string changed;
    for (const auto &e : b.plan->env)
      if (!own.count(e)) changed += "    " + e + "\n";
    if (!changed.empty()) out += "  with environment changes (the proxies' password is made at launch):\n" + changed;
  }
  for (const auto &v : paths) {
    add("");
    add(fmt::format("{}{}:", v.path, v.real != v.path ? " (-> " + v.real + ")" : ""));
    add(fmt::format("  readable: {}, writable: {}{}", v.readable ? "yes" : "no", v.writable ? "yes" : "no",
                    v.note.empty() ? "" : " (" + v.note + ")"));
    if (v.decided_by) add(fmt::format("  decided by: {}  [mount {} {}]", v.decided_by->origin, mount_label(*v.decided_by), v.decided_by->path));
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
}

void print_json(const Sandbox &sandbox, const ir::Policy &p, const BackendView &b, const std::vector<PathVerdict> &paths) {
  auto root = ir::to_json(p);
  boost::json::object ex;
  ex["settings"] = sandbox.settings_source();
  boost::json::array sw;
  for (const auto &w : sandbox.warnings()) sw.emplace_back(w);
  ex["settings_warnings"] = std::move(sw);
  boost::json::object bo;
  bo["name"] = b.name;
  if (!b.error.empty()) bo["error"] = b.error;
  if (b.status) {
    bo["file"] = b.status->file;
    bo["usable"] = b.status->usable;
    bo["reason"] = b.status->reason;
    boost::json::object f;
    for (const auto &[k, v] : b.status->features) f[k] = v;
    bo["features"] = std::move(f);
  }
  if (b.plan) bo["plan"] = to_json(*b.plan);
  boost::json::array filter;
  if (b.syscall_filter)
    for (const auto &r : syscall_filter(p, b.status && b.status->host_namespaces)) filter.push_back(boost::json::object{{"syscalls", r.syscalls}, {"when", r.when}, {"action", r.action}});
  bo["syscall_filter"] = std::move(filter);
  ex["backend"] = std::move(bo);
  boost::json::array pa;
  for (const auto &v : paths) {
    boost::json::object o;
    o["path"] = v.path;
    o["real"] = v.real;
    o["exists"] = v.exists;
    o["readable"] = v.readable;
    o["writable"] = v.writable;
    if (v.decided_by) {
      o["origin"] = v.decided_by->origin;
      o["mount"] = v.decided_by->path;
    }
    if (!v.note.empty()) o["note"] = v.note;
    pa.emplace_back(std::move(o));
  }
  ex["paths"] = std::move(pa);
  root.as_object()["explain"] = std::move(ex);
  std::string text = boost::json::serialize(root) + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
}

}  // namespace

int explain(const Invocation &inv) {
  Sandbox sandbox = make_sandbox(inv);
  ir::Policy policy = sandbox.compile();
  BackendView b = backend_view(sandbox, policy, inv);
  std::vector<PathVerdict> paths;
  for (const auto &p : inv.paths) paths.push_back(explain_path(policy, p));
  if (inv.json) print_json(sandbox, policy, b, paths);
  else print_text(sandbox, policy, b, paths);
  return 0;
}

}  // namespace srt::cli
