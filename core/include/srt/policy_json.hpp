// Policy IR <-> JSON (Boost.JSON), header-only so that plugins built out of
// tree parse the IR exactly as the core writes it.
//
// Writing never fails. Reading throws srt::ir::JsonError naming the JSON path
// of the first problem (e.g. `filesystem.mounts[3].access: unknown value
// "rw"`). Unknown fields are ignored on reading so that a plugin built for an
// older IR minor revision still reads a newer one.
#pragma once

#include <srt/policy.hpp>

#include <boost/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace srt::ir {

class JsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace json_detail {

namespace json = boost::json;

inline const json::value &field(const json::object &o, std::string_view key, const std::string &where) {
  auto it = o.find(key);
  if (it == o.end()) throw JsonError(where + "." + std::string(key) + ": missing");
  return it->value();
}

inline const json::object &as_object(const json::value &v, const std::string &where) {
  if (!v.is_object()) throw JsonError(where + ": expected an object");
  return v.get_object();
}

inline const json::array &as_array(const json::value &v, const std::string &where) {
  if (!v.is_array()) throw JsonError(where + ": expected an array");
  return v.get_array();
}

inline std::string as_string(const json::value &v, const std::string &where) {
  if (!v.is_string()) throw JsonError(where + ": expected a string");
  return std::string(v.get_string());
}

inline bool as_bool(const json::value &v, const std::string &where) {
  if (!v.is_bool()) throw JsonError(where + ": expected true or false");
  return v.get_bool();
}

inline std::int64_t as_int(const json::value &v, const std::string &where) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v.get_uint64());
  throw JsonError(where + ": expected an integer");
}

inline std::uint16_t as_port(const json::value &v, const std::string &where) {
  auto n = as_int(v, where);
  if (n < 1 || n > 65535) throw JsonError(where + ": expected a port number 1..65535");
  return static_cast<std::uint16_t>(n);
}

inline std::string opt_string(const json::object &o, std::string_view key, const std::string &where) {
  auto it = o.find(key);
  return it == o.end() ? std::string() : as_string(it->value(), where + "." + std::string(key));
}

inline bool opt_bool(const json::object &o, std::string_view key, const std::string &where) {
  auto it = o.find(key);
  return it == o.end() ? false : as_bool(it->value(), where + "." + std::string(key));
}

template <class E, std::size_t N>
E as_enum(const json::value &v, const std::string &where, const E (&values)[N]) {
  auto s = as_string(v, where);
  for (E e : values)
    if (s == to_string(e)) return e;
  throw JsonError(where + ": unknown value \"" + s + "\"");
}

inline constexpr Access kAccesses[] = {Access::read_only, Access::read_write, Access::hidden};
inline constexpr Kind kKinds[] = {Kind::dir, Kind::file, Kind::missing};
inline constexpr Placeholder kPlaceholders[] = {Placeholder::none, Placeholder::file, Placeholder::dir};
inline constexpr Op kOps[] = {Op::read, Op::write};
inline constexpr Effect kEffects[] = {Effect::allow, Effect::deny};

inline json::array strings_to_json(const std::vector<std::string> &v) {
  json::array a;
  for (const auto &s : v) a.emplace_back(s);
  return a;
}

inline std::vector<std::string> strings_from_json(const json::value &v, const std::string &where) {
  std::vector<std::string> out;
  const auto &a = as_array(v, where);
  for (std::size_t i = 0; i < a.size(); ++i) out.push_back(as_string(a[i], where + "[" + std::to_string(i) + "]"));
  return out;
}

inline std::vector<std::string> opt_strings(const json::object &o, std::string_view key, const std::string &where) {
  auto it = o.find(key);
  if (it == o.end()) return {};
  return strings_from_json(it->value(), where + "." + std::string(key));
}

}  // namespace json_detail

inline boost::json::value to_json(const Policy &p) {
  namespace json = boost::json;
  using namespace json_detail;
  json::object root;
  root["version"] = p.version;

  json::object fs;
  fs["restricted"] = p.filesystem.restricted;
  json::array mounts;
  for (const auto &m : p.filesystem.mounts) {
    json::object o;
    o["path"] = m.path;
    o["access"] = to_string(m.access);
    o["kind"] = to_string(m.kind);
    if (m.kind == Kind::missing) o["placeholder"] = to_string(m.placeholder);
    if (m.pin) o["pin"] = true;
    o["origin"] = m.origin;
    mounts.emplace_back(std::move(o));
  }
  fs["mounts"] = std::move(mounts);
  json::array rules;
  for (const auto &r : p.filesystem.path_rules) {
    json::object o;
    o["op"] = to_string(r.op);
    o["effect"] = to_string(r.effect);
    o["pattern"] = r.pattern;
    o["glob"] = r.glob;
    o["origin"] = r.origin;
    if (!r.except.empty()) o["except"] = strings_to_json(r.except);
    rules.emplace_back(std::move(o));
  }
  fs["path_rules"] = std::move(rules);
  root["filesystem"] = std::move(fs);

  json::object net;
  net["proxied"] = p.network.proxied;
  json::array drules;
  for (const auto &r : p.network.domain_rules) {
    json::object o;
    o["pattern"] = r.pattern;
    if (r.port) o["port"] = *r.port;
    o["effect"] = to_string(r.effect);
    if (!r.reason.empty()) o["reason"] = r.reason;
    o["origin"] = r.origin;
    drules.emplace_back(std::move(o));
  }
  net["domain_rules"] = std::move(drules);
  net["strict_allowlist"] = p.network.strict_allowlist;
  net["denied_resolved_addresses"] = strings_to_json(p.network.denied_resolved_addresses);
  if (p.network.http_proxy_port) net["http_proxy_port"] = *p.network.http_proxy_port;
  if (p.network.socks_proxy_port) net["socks_proxy_port"] = *p.network.socks_proxy_port;
  root["network"] = std::move(net);

  json::object sock;
  sock["allow_all_unix"] = p.sockets.allow_all_unix;
  sock["allow_unix_paths"] = strings_to_json(p.sockets.allow_unix_paths);
  sock["allow_local_binding"] = p.sockets.allow_local_binding;
  root["sockets"] = std::move(sock);

  json::object proc;
  proc["cwd"] = p.process.cwd;
  proc["allow_pty"] = p.process.allow_pty;
  proc["weaker_nested_sandbox"] = p.process.weaker_nested_sandbox;
  proc["allow_nested_user_namespaces"] = p.process.allow_nested_user_namespaces;
  proc["allow_mach_lookup"] = strings_to_json(p.process.allow_mach_lookup);
  proc["weaker_network_isolation"] = p.process.weaker_network_isolation;
  proc["allow_apple_events"] = p.process.allow_apple_events;
  json::object env;
  for (const auto &[k, v] : p.process.env_set) env[k] = v;
  proc["env_set"] = std::move(env);
  proc["env_unset"] = strings_to_json(p.process.env_unset);
  root["process"] = std::move(proc);

  json::object bopts;
  for (const auto &[backend, opts] : p.backend_options) {
    json::object o;
    for (const auto &[k, v] : opts) o[k] = v;
    bopts[backend] = std::move(o);
  }
  root["backend_options"] = std::move(bopts);

  json::array notes;
  for (const auto &n : p.notes) {
    json::object o;
    o["key"] = n.key;
    o["status"] = n.status;
    o["detail"] = n.detail;
    notes.emplace_back(std::move(o));
  }
  root["notes"] = std::move(notes);
  root["warnings"] = strings_to_json(p.warnings);
  return root;
}

inline Policy policy_from_json(const boost::json::value &v) {
  namespace json = boost::json;
  using namespace json_detail;
  Policy p;
  const auto &root = as_object(v, "policy");
  auto version = as_int(field(root, "version", "policy"), "policy.version");
  if (version < 1 || version > kVersion)
    throw JsonError("policy.version: " + std::to_string(version) + " is not supported (this reader knows up to " +
                    std::to_string(kVersion) + ")");
  p.version = static_cast<int>(version);

  const auto &fs = as_object(field(root, "filesystem", "policy"), "filesystem");
  p.filesystem.restricted = as_bool(field(fs, "restricted", "filesystem"), "filesystem.restricted");
  const auto &mounts = as_array(field(fs, "mounts", "filesystem"), "filesystem.mounts");
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    std::string w = "filesystem.mounts[" + std::to_string(i) + "]";
    const auto &o = as_object(mounts[i], w);
    Mount m;
    m.path = as_string(field(o, "path", w), w + ".path");
    m.access = as_enum(field(o, "access", w), w + ".access", kAccesses);
    m.kind = as_enum(field(o, "kind", w), w + ".kind", kKinds);
    if (auto it = o.find("placeholder"); it != o.end())
      m.placeholder = as_enum(it->value(), w + ".placeholder", kPlaceholders);
    m.pin = opt_bool(o, "pin", w);
    m.origin = opt_string(o, "origin", w);
    if (m.path.empty() || m.path[0] != '/') throw JsonError(w + ".path: expected an absolute path");
    p.filesystem.mounts.push_back(std::move(m));
  }
  if (auto it = fs.find("path_rules"); it != fs.end()) {
    const auto &rules = as_array(it->value(), "filesystem.path_rules");
    for (std::size_t i = 0; i < rules.size(); ++i) {
      std::string w = "filesystem.path_rules[" + std::to_string(i) + "]";
      const auto &o = as_object(rules[i], w);
      PathRule r;
      r.op = as_enum(field(o, "op", w), w + ".op", kOps);
      r.effect = as_enum(field(o, "effect", w), w + ".effect", kEffects);
      r.pattern = as_string(field(o, "pattern", w), w + ".pattern");
      r.glob = opt_bool(o, "glob", w);
      r.origin = opt_string(o, "origin", w);
      r.except = opt_strings(o, "except", w);
      if (r.pattern.empty() || r.pattern[0] != '/') throw JsonError(w + ".pattern: expected an absolute path");
      for (std::size_t k = 0; k < r.except.size(); ++k)
        if (r.except[k].empty() || r.except[k][0] != '/')
          throw JsonError(w + ".except[" + std::to_string(k) + "]: expected an absolute path");
      p.filesystem.path_rules.push_back(std::move(r));
    }
  }

  const auto &net = as_object(field(root, "network", "policy"), "network");
  p.network.proxied = as_bool(field(net, "proxied", "network"), "network.proxied");
  if (auto it = net.find("domain_rules"); it != net.end()) {
    const auto &rules = as_array(it->value(), "network.domain_rules");
    for (std::size_t i = 0; i < rules.size(); ++i) {
      std::string w = "network.domain_rules[" + std::to_string(i) + "]";
      const auto &o = as_object(rules[i], w);
      DomainRule r;
      r.pattern = as_string(field(o, "pattern", w), w + ".pattern");
      if (auto pt = o.find("port"); pt != o.end()) r.port = as_port(pt->value(), w + ".port");
      r.effect = as_enum(field(o, "effect", w), w + ".effect", kEffects);
      r.reason = opt_string(o, "reason", w);
      r.origin = opt_string(o, "origin", w);
      p.network.domain_rules.push_back(std::move(r));
    }
  }
  p.network.strict_allowlist = opt_bool(net, "strict_allowlist", "network");
  p.network.denied_resolved_addresses = opt_strings(net, "denied_resolved_addresses", "network");
  if (auto it = net.find("http_proxy_port"); it != net.end())
    p.network.http_proxy_port = as_port(it->value(), "network.http_proxy_port");
  if (auto it = net.find("socks_proxy_port"); it != net.end())
    p.network.socks_proxy_port = as_port(it->value(), "network.socks_proxy_port");

  const auto &sock = as_object(field(root, "sockets", "policy"), "sockets");
  p.sockets.allow_all_unix = opt_bool(sock, "allow_all_unix", "sockets");
  p.sockets.allow_unix_paths = opt_strings(sock, "allow_unix_paths", "sockets");
  p.sockets.allow_local_binding = opt_bool(sock, "allow_local_binding", "sockets");

  const auto &proc = as_object(field(root, "process", "policy"), "process");
  p.process.cwd = as_string(field(proc, "cwd", "process"), "process.cwd");
  p.process.allow_pty = opt_bool(proc, "allow_pty", "process");
  p.process.weaker_nested_sandbox = opt_bool(proc, "weaker_nested_sandbox", "process");
  p.process.allow_nested_user_namespaces = opt_bool(proc, "allow_nested_user_namespaces", "process");
  p.process.allow_mach_lookup = opt_strings(proc, "allow_mach_lookup", "process");
  p.process.weaker_network_isolation = opt_bool(proc, "weaker_network_isolation", "process");
  p.process.allow_apple_events = opt_bool(proc, "allow_apple_events", "process");
  if (auto it = proc.find("env_set"); it != proc.end()) {
    const auto &env = as_object(it->value(), "process.env_set");
    for (const auto &kv : env)
      p.process.env_set[std::string(kv.key())] = as_string(kv.value(), "process.env_set." + std::string(kv.key()));
  }
  p.process.env_unset = opt_strings(proc, "env_unset", "process");

  if (auto it = root.find("backend_options"); it != root.end()) {
    const auto &bopts = as_object(it->value(), "backend_options");
    for (const auto &b : bopts) {
      std::string w = "backend_options." + std::string(b.key());
      auto &dst = p.backend_options[std::string(b.key())];
      for (const auto &kv : as_object(b.value(), w))
        dst[std::string(kv.key())] = as_string(kv.value(), w + "." + std::string(kv.key()));
    }
  }
  if (auto it = root.find("notes"); it != root.end()) {
    const auto &notes = as_array(it->value(), "notes");
    for (std::size_t i = 0; i < notes.size(); ++i) {
      std::string w = "notes[" + std::to_string(i) + "]";
      const auto &o = as_object(notes[i], w);
      p.notes.push_back(Note{as_string(field(o, "key", w), w + ".key"), as_string(field(o, "status", w), w + ".status"),
                             opt_string(o, "detail", w)});
    }
  }
  p.warnings = opt_strings(root, "warnings", "policy");
  return p;
}

// Parses IR JSON text; throws JsonError on malformed JSON or a malformed IR.
inline Policy policy_from_json_text(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec) throw JsonError("policy: not valid JSON: " + ec.message());
  return policy_from_json(v);
}

}  // namespace srt::ir
