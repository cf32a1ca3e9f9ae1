#include "policy/compile.hpp"

#include "policy/paths.hpp"

namespace srt::policy {

ir::Policy compile_policy(const Settings &settings, const CompileContext &context) {
  ir::Policy p;
  p.process.cwd = context.cwd;
  p.process.allow_pty = settings.allowPty;
  p.process.weaker_nested_sandbox = settings.enableWeakerNestedSandbox;
  p.process.allow_nested_user_namespaces = settings.allowNestedUserNamespaces;
  if (settings.bwrapPath) p.backend_options["bwrap"]["path"] = *settings.bwrapPath;
  p.process.allow_mach_lookup = settings.network.allowMachLookup;
  p.process.weaker_network_isolation = settings.enableWeakerNetworkIsolation;
  p.process.allow_apple_events = settings.allowAppleEvents;
  compile_network_rules(settings, context.live_network, p);
  for (auto &path : p.sockets.allow_unix_paths) path = expand_path(path, context.cwd, context.home);
  compile_environment(settings, context, p);
  compile_filesystem(settings, context, p);
  p.notes = settings_notes(settings);
  return p;
}

}  // namespace srt::policy
