/*
 * srt plugin ABI, version 1 (C).
 *
 * A plugin is a shared library (.so on Linux, .dylib on macOS) that exports
 * exactly one symbol, `srt_plugin_entry_v1`. Only C types cross this boundary:
 * fixed-width integers, UTF-8 strings with explicit lengths, and function
 * pointers. The policy crosses as IR JSON text (schemas/policy-ir.schema.json).
 *
 * Versioning
 *   - The major version is part of the entry symbol's name and of the linker
 *     version node (SRT_PLUGIN_1). A plugin built for another major version
 *     exports another symbol and is refused at load with a clear message.
 *   - Within a major version, structs only grow at their end. Every struct
 *     starts with `struct_size`; a reader never touches a field that lies
 *     beyond the `struct_size` the writer announced.
 *   - A NULL function pointer means "not supported".
 *
 * Ownership
 *   - Strings passed *into* a plugin (srt_str) are owned by srt and valid only
 *     for the duration of the call.
 *   - Output is never returned as memory: a plugin writes its output into an
 *     srt_sink supplied by srt, so no allocation ever crosses the boundary.
 *   - The descriptor returned by the entry point, its strings and its function
 *     table must stay valid until the process exits. srt never unloads a
 *     plugin.
 *
 * Errors
 *   - Every function returns an int32_t status (SRT_OK on success). On failure
 *     the plugin appends a one-line, human-readable reason to the error sink:
 *     what happened and, when it knows, what the user can do about it.
 *   - No C++ exception, longjmp or signal may escape a plugin function.
 *
 * Threads
 *   - srt calls the entry point and every backend function, and a network
 *     plugin's start and stop, from one thread at a time. Host functions may
 *     be called from any thread the plugin creates.
 *
 * What a plugin may not do
 *   - Print (use srt_host_v1.log), exit the process, install signal handlers,
 *     change the working directory or the process-wide environment.
 */
#ifndef SRT_PLUGIN_H
#define SRT_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SRT_PLUGIN_ABI_MAJOR 1
#define SRT_PLUGIN_ABI_MINOR 3

/* Highest policy IR version (schemas/policy-ir.schema.json) this header knows. */
#define SRT_IR_VERSION 1

/* Status codes returned by every function of the ABI. */
typedef enum srt_status {
  SRT_OK = 0,
  SRT_ERR_INVALID_ARGUMENT = 1, /* the input (IR, request) was malformed */
  SRT_ERR_UNSUPPORTED = 2,      /* the plugin cannot do what was asked */
  SRT_ERR_UNAVAILABLE = 3,      /* a run-time dependency is missing */
  SRT_ERR_INTERNAL = 4          /* a bug or an unexpected failure */
} srt_status;

typedef enum srt_plugin_kind {
  SRT_PLUGIN_BACKEND = 1, /* renders the IR into a sandboxed launch */
  SRT_PLUGIN_NETWORK = 2  /* runs a filtering proxy (HTTP, SOCKS5, ...) */
} srt_plugin_kind;

typedef enum srt_log_level {
  SRT_LOG_DEBUG = 0, /* shown with -d/--debug only */
  SRT_LOG_INFO = 1,
  SRT_LOG_WARN = 2,
  SRT_LOG_ERROR = 3
} srt_log_level;

/* A UTF-8 string with an explicit length; not necessarily NUL-terminated. */
typedef struct srt_str {
  const char *data;
  size_t len;
} srt_str;

/* Where a plugin writes its output. `append` may be called any number of
 * times; the pieces are concatenated. It never fails and never retains the
 * pointer it is given. */
typedef struct srt_sink {
  void *ctx;
  void (*append)(void *ctx, const char *data, size_t len);
} srt_sink;

/* Functions srt offers every plugin. Passed to the entry point; valid until
 * the process exits. Check `struct_size` before using a field added after
 * ABI 1.0 (none yet; network plugins get theirs through srt_net_host_v1). */
typedef struct srt_host_v1 {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  void *ctx;
  /* The only way a plugin prints. Thread-safe. */
  void (*log)(void *ctx, int32_t level, srt_str message);
} srt_host_v1;

/* Backend function table (kind SRT_PLUGIN_BACKEND). */
typedef struct srt_backend_v1 {
  uint32_t struct_size;
  /* Can this backend run here, for this policy? Writes one JSON object to
   * `report`:
   *   {"usable": bool,
   *    "reason": "why not, and what to do (empty when usable)",
   *    "features": {"<feature>": "enforced" | "degraded" | "unsupported", ...},
   *    "feature_notes": {"<feature>": "what is missing (or, enforced, its limits)", ...}  (ABI 1.2)
   *    "host_namespaces": bool,                                      (ABI 1.2)
   *    "keeps_absent_paths": bool}                                   (ABI 1.3)
   * Features: "filesystem", "network", "ipc_isolation", "pid_isolation",
   * "pty". srt refuses to launch when one of the first four is not
   * "enforced", unless the settings accept it (srt.acceptWeaker).
   * "host_namespaces": the sandbox shares the host's mounts, network and
   * processes; srt's proxies then listen on 127.0.0.1 and the request lists
   * their ports (see docs/architecture.md "Launch request and plan").
   * "keeps_absent_paths": the backend's own rules keep a protected path that
   * does not exist from being created (they match paths, not files: Seatbelt),
   * so srt makes no placeholders on the host for it; absent or false, srt
   * makes them (bwrap mounts them, Landlock rules need an existing file).
   * `options` is a JSON object: {"deep": bool} — a deep probe may start
   * processes to check that the mechanism really works; a shallow one (used on
   * every launch) must be fast and side-effect free. Returns SRT_OK when the
   * report was written, whatever it says. */
  int32_t (*probe)(void *self, srt_str policy_json, srt_str options_json,
                   srt_sink *report, srt_sink *error);
  /* Turns the policy and a launch request into a launch plan (JSON, see
   * docs/architecture.md "Launch request and plan"). Pure: starts nothing,
   * writes nothing to disk. */
  int32_t (*render)(void *self, srt_str policy_json, srt_str request_json,
                    srt_sink *plan, srt_sink *error);
} srt_backend_v1;

/* The protocol a network plugin asks a decision for; also what the violation
 * record and the exit summary call the refused attempt. */
typedef enum srt_net_protocol {
  SRT_NET_HTTP = 1,    /* a plain-HTTP request forwarded by the proxy */
  SRT_NET_CONNECT = 2, /* an HTTP CONNECT tunnel */
  SRT_NET_SOCKS5 = 3   /* a SOCKS5 CONNECT tunnel */
} srt_net_protocol;

/* What the core lends one running proxy (passed to `start`, valid until
 * `stop` returns). Every decision lives in the core, so that every network
 * plugin applies the same rules, the same ask callback and live updates,
 * and feeds the same violation record. Thread-safe: call from any thread. */
typedef struct srt_net_host_v1 {
  uint32_t struct_size;
  void *ctx;
  /* May the sandbox reach `host`:`port`, and where exactly may the proxy
   * connect? `host` is as the client spelled it (a name, an IPv4 address in
   * any WHATWG spelling, an IPv6 address without brackets). The core
   * validates and canonicalises it, applies the deny and allow lists, the ask
   * callback, and for allowed names resolves them once and drops every
   * address the resolved-address guard refuses. Writes one JSON object to
   * `verdict`:
   *   {"allow": true, "host": "<canonical>", "addresses": ["192.0.2.1", "2001:db8::1"]}
   *     connect to these addresses, in order, and to nothing else;
   *   {"allow": false, "reason": "host is not on the allow list",
   *    "kind": "allowlist" | "address" | "malformed" | "unreachable"}
   *     "allowlist": the lists (or the ask callback) refused; "address": the
   *     name resolved only to addresses the guard refuses; "malformed": the
   *     host is not a valid host; "unreachable": allowed, but the name does
   *     not resolve (answer as an upstream failure: HTTP 502, SOCKS 04).
   * BLOCKS: it may resolve a name (DNS) and wait for the library's ask
   * callback; never call it from a thread that serves other connections.
   * Returns SRT_OK when a verdict was written. */
  int32_t (*decide)(void *ctx, srt_str host, uint16_t port, int32_t protocol, srt_sink *verdict);
  /* How this proxy prints (to the log of the srt session that started it;
   * shown according to its verbosity). */
  void (*log)(void *ctx, int32_t level, srt_str message);
} srt_net_host_v1;

/* Network plugin function table (kind SRT_PLUGIN_NETWORK): a filtering proxy.
 * The plugin's name says the protocol it speaks ("http", "socks5"). */
typedef struct srt_network_v1 {
  uint32_t struct_size;
  /* Starts one proxy. `config_json`:
   *   {"listen": [{"unix": "/abs/path.sock"}, {"tcp": "127.0.0.1:0"}, ...],
   *    "token": "<secret>" | null}
   * With a token, clients must present it as the password (HTTP
   * Proxy-Authorization Basic, SOCKS5 RFC 1929) with the user name "srt" or
   * "srt.<anything>"; without one, no credentials are asked. The proxy is
   * accepting connections when `start` returns: srt polls nothing. Writes
   *   {"endpoints": [{"unix": "/abs/path.sock"}, {"tcp": "127.0.0.1:41234"}]}
   * (the actual TCP ports) to `endpoints` and a handle for `stop` to
   * `*instance`. Unix socket paths are created by the plugin (mode 0600);
   * their directory belongs to srt. */
  int32_t (*start)(void *self, const srt_net_host_v1 *host, srt_str config_json, void **instance,
                   srt_sink *endpoints, srt_sink *error);
  /* Stops accepting, closes every connection, joins every thread the proxy
   * started and frees `instance`. After it returns the plugin makes no call
   * through the host it was started with. */
  int32_t (*stop)(void *self, void *instance, srt_sink *error);
} srt_network_v1;

/* What the entry point hands back. */
typedef struct srt_plugin_v1 {
  uint32_t struct_size;
  uint16_t abi_major;     /* SRT_PLUGIN_ABI_MAJOR the plugin was built with */
  uint16_t abi_minor;     /* SRT_PLUGIN_ABI_MINOR the plugin was built with */
  int32_t kind;           /* srt_plugin_kind */
  const char *name;       /* NUL-terminated, [a-z0-9-]+, unique among plugins */
  const char *version;    /* NUL-terminated, free form */
  const char *summary;    /* NUL-terminated, one line */
  uint32_t ir_version_max; /* highest IR version the plugin reads */
  void *self;             /* passed back as the first argument of every call */
  const void *table;      /* srt_backend_v1* or srt_network_v1*, per `kind` */
} srt_plugin_v1;

/* The one exported symbol. On success stores a descriptor in *out and
 * returns SRT_OK; on failure appends the reason to `error`. */
typedef int32_t (*srt_plugin_entry_v1_fn)(const srt_host_v1 *host,
                                          const srt_plugin_v1 **out,
                                          srt_sink *error);

#define SRT_PLUGIN_ENTRY_V1_SYMBOL "srt_plugin_entry_v1"

#ifdef __cplusplus
}
#endif

#endif /* SRT_PLUGIN_H */
