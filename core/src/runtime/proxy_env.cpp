#include "runtime/proxy_env.hpp"

#include <fmt/format.h>

namespace srt::runtime {

namespace {

// Never proxied: the sandbox's own loopback (where nothing but the bridge
// listens) and private ranges, as the reference sets it.
constexpr const char *kNoProxy = "localhost,127.0.0.1,::1,169.254.0.0/16,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16";

// "srt:TOKEN@", or nothing for a proxy that asks for no credentials.
std::string userinfo(const std::string &token) { return token.empty() ? "" : fmt::format("{}:{}@", kProxyUser, token); }

}  // namespace

std::map<std::string, std::string> proxy_environment(const ProxyAddress &at, const std::string &http_token,
                                                     const std::string &socks_token, const std::string &enter_path,
                                                     const std::string &java_tool_options) {
  std::string http = fmt::format("http://{}{}:{}", userinfo(http_token), at.host, at.http_port);
  std::string socks = fmt::format("socks5h://{}{}:{}", userinfo(socks_token), at.host, at.socks_port);
  std::map<std::string, std::string> env;
  for (const char *name : {"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy", "GRPC_PROXY",
                           "grpc_proxy", "DOCKER_HTTP_PROXY", "DOCKER_HTTPS_PROXY", "npm_config_proxy", "npm_config_https_proxy",
                           "YARN_HTTP_PROXY", "YARN_HTTPS_PROXY", "PIP_PROXY"})
    env[name] = http;
  env["FTP_PROXY"] = socks;
  env["ftp_proxy"] = socks;
  env["NO_PROXY"] = kNoProxy;
  env["no_proxy"] = kNoProxy;
  env["npm_config_noproxy"] = kNoProxy;
  // rsync speaks HTTP CONNECT to RSYNC_PROXY and takes user:password@ (the
  // reference points it at the SOCKS port without credentials: always 407).
  env["RSYNC_PROXY"] = fmt::format("{}{}:{}", userinfo(http_token), at.host, at.http_port);
  env["GIT_CONFIG_PARAMETERS"] = "'http.proxyAuthMethod=basic'";
  env["GIT_SSH_COMMAND"] =
      fmt::format("ssh -o ControlMaster=no -o ControlPath=none -o ProxyCommand='{} connect %h %p'", enter_path);
  env["CLOUDSDK_PROXY_TYPE"] = "http";
  env["CLOUDSDK_PROXY_ADDRESS"] = at.host;
  env["CLOUDSDK_PROXY_PORT"] = std::to_string(at.http_port);
  if (!http_token.empty()) {
    env["CLOUDSDK_PROXY_USERNAME"] = kProxyUser;
    env["CLOUDSDK_PROXY_PASSWORD"] = http_token;
  }
  // The JVM ignores *_PROXY. The standard properties route HTTP(S) clients to
  // the HTTP proxy (Maven and Gradle read proxyUser/proxyPassword; the JDK
  // disables Basic for tunnels unless told otherwise) and plain sockets to
  // the SOCKS proxy, whose credentials the JDK reads from java.net.socks.*.
  std::string java = fmt::format(
      "-Dhttp.proxyHost={2} -Dhttp.proxyPort={0} -Dhttps.proxyHost={2} -Dhttps.proxyPort={0} "
      "-Dhttp.nonProxyHosts=localhost|127.*|[::1] -DsocksProxyHost={2} -DsocksProxyPort={1}",
      at.http_port, at.socks_port, at.host);
  if (!http_token.empty())
    java += fmt::format(
        " -Dhttp.proxyUser={0} -Dhttp.proxyPassword={1} -Dhttps.proxyUser={0} -Dhttps.proxyPassword={1}"
        " -Djdk.http.auth.tunneling.disabledSchemes= -Djdk.http.auth.proxying.disabledSchemes=",
        kProxyUser, http_token);
  if (!socks_token.empty())
    java += fmt::format(" -Djava.net.socks.username={} -Djava.net.socks.password={}", kProxyUser, socks_token);
  env["JAVA_TOOL_OPTIONS"] = java_tool_options.empty() ? java : java + " " + java_tool_options;
  return env;
}

}  // namespace srt::runtime
