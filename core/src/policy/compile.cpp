#include "policy/compile.hpp"

namespace srt::policy {

ir::Policy compile_policy(const Settings &settings, const CompileContext &context) {
  ir::Policy p;
  p.process.cwd = context.cwd;
  p.process.allow_pty = settings.allowPty;
  p.process.weaker_nested_sandbox = settings.enableWeakerNestedSandbox;
  p.process.allow_nested_user_namespaces = settings.allowNestedUserNamespaces;
  if (settings.bwrapPath) p.backend_options["bwrap"]["path"] = *settings.bwrapPath;
  compile_network_rules(settings, context.live_network, p);
  compile_environment(settings, context, p);
  compile_filesystem(settings, context, p);
  p.notes = settings_notes(settings);
  return p;
}

}  // namespace srt::policy
