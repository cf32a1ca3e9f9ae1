#!/usr/bin/env python3
"""Holds schemas/*.schema.json and srt's settings loader together.

Usage: check_schemas.py --srt PATH_TO_SRT --source-root DIR

Checks, one output line each:
  (a) both schemas are valid JSON Schema 2020-12 documents;
  (b) every tests/fixtures/*.json validates against the settings schema, is
      accepted by the loader (`srt policy explain -s FILE --json`, run from a
      temporary directory, exits 0 without settings warnings) and the IR it
      prints validates against the policy IR schema; together the fixtures
      use every key the settings schema names (so the schema names no key the
      loader does not know: it would warn);
  (c) the same for every ```json block of README.md that looks like a
      settings file (an object with network, filesystem, credentials or
      ignoreViolations);
  (d) every tests/fixtures/invalid/*.json is rejected by the loader (exit 125,
      stderr containing the substring named in invalid/expectations.json) and,
      where JSON Schema can express the rule, by the schema as well;
  (e) the IR schema rejects mutated IR documents;
  (f) the domain pattern regexes of the settings schema agree with the loader
      on ordinary patterns.

Exit status: 0 when every check passes, 1 otherwise, 77 (meson's "skipped")
when the jsonschema module is missing, unless CI=true (then 1).

This runs at test time only; srt itself never runs Python. jsonschema is the
Debian package python3-jsonschema (4.10 has Draft202012Validator).
"""

import argparse
import copy
import json
import os
import re
import subprocess
import sys
import tempfile

EXIT_SKIP = 77
SRT_SETTINGS_ERROR = 125  # srt failed before running anything (settings, policy, backend)

# Invalid fixtures whose rule JSON Schema cannot express: the loader rejects
# them, the settings schema accepts them. Each must really be accepted by the
# schema (so that this list stays accurate).
SCHEMA_CANNOT_JUDGE = {
    "inject-host-not-allowed.json":
        "whether an injectHosts entry is covered by network.allowedDomains compares two lists of patterns",
    "proxy-port-range-reversed.json":
        "lowest <= highest compares two array items",
    "proxy-port-range-too-wide.json":
        "highest - lowest < 64 is arithmetic over two array items",
}

# Domain patterns on which the loader (net::parse_domain_pattern) and the
# schema's regexes are compared: (pattern, valid in allowedDomains, valid in
# deniedDomains).
DOMAIN_CASES = [
    ("example.com", True, True),
    ("EXAMPLE.com", True, True),
    ("a_b-c.example.com", True, True),
    ("localhost", True, True),
    ("localhost:8080", True, True),
    ("*.example.com", True, True),
    ("*.example.com:443", True, True),
    ("127.0.0.1", True, True),
    ("127.0.0.1:3000", True, True),
    ("[::1]", True, True),
    ("[2001:db8::1]:443", True, True),
    ("example.com:65535", True, True),
    ("*", False, True),
    ("*:443", False, True),
    ("*.com", False, False),
    ("*.", False, False),
    ("foo*.com", False, False),
    ("*.*.example.com", False, False),
    ("*.127.0.0.1", False, False),
    ("example", False, False),
    ("example.com.", False, False),
    (".example.com", False, False),
    ("a..example.com", False, False),
    ("exa mple.com", False, False),
    ("https://example.com", False, False),
    ("example.com/path", False, False),
    ("example.com:0", False, False),
    ("example.com:080", False, False),
    ("example.com:65536", False, False),
    ("example.com:", False, False),
    ("2001:db8::1", False, False),
    ("::1", False, False),
    ("[::1", False, False),
    ("[zz::1]", False, False),
    ("[::1]x", False, False),
    ("256.1.1.1", False, False),
    ("1.2.3.4.5", False, False),
    ("foo.123", False, False),
]

# Forms the loader accepts (WHATWG shorthand IPv4, canonicalised by the loader)
# that the schema's pattern deliberately rejects; documented in the schema.
DOMAIN_LOADER_ONLY = ["127.1", "0x7f.0.0.1", "2130706433"]


class Checker:
    def __init__(self):
        self.failures = 0
        self.passes = 0

    def ok(self, name, detail=""):
        self.passes += 1
        print(f"ok     {name}" + (f"  ({detail})" if detail else ""))

    def fail(self, name, detail):
        self.failures += 1
        print(f"FAIL   {name}: {detail}")

    def note(self, text):
        print(f"note   {text}")


def schema_errors(validator, doc):
    """The validator's complaints about doc, best first, as short strings."""
    import jsonschema.exceptions

    errors = list(validator.iter_errors(doc))
    if not errors:
        return []
    best = jsonschema.exceptions.best_match(errors)
    where = "/".join(str(p) for p in best.absolute_path) or "(top level)"
    return [f"{where}: {best.message}"[:300]] + [e.message[:120] for e in errors if e is not best]


def run_srt(srt, settings_file, json_output):
    """Runs `srt policy explain -s FILE [--json]` from an empty temporary directory."""
    with tempfile.TemporaryDirectory(prefix="srt-schema-") as cwd:
        argv = [srt, "policy", "explain", "-s", os.path.abspath(settings_file)]
        if json_output:
            argv.append("--json")
        try:
            r = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            return None, "", str(e)
        return r.returncode, r.stdout, r.stderr


def first_line(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[0][:300] if lines else "(no output)"


def check_valid_settings(c, name, path, doc, settings_v, ir_v, srt, ir_docs):
    """(b)/(c): schema-valid, loader-accepted, IR output schema-valid."""
    errs = schema_errors(settings_v, doc)
    if errs:
        c.fail(f"{name}: settings schema", errs[0])
    else:
        c.ok(f"{name}: settings schema accepts it")

    rc, out, err = run_srt(srt, path, json_output=True)
    if rc != 0:
        c.fail(f"{name}: loader", f"`srt policy explain --json` exited {rc}: {first_line(err)}")
        return
    try:
        ir = json.loads(out)
    except ValueError as e:
        c.fail(f"{name}: loader", f"stdout of `srt policy explain --json` is not JSON: {e}")
        return
    warnings = ir.get("explain", {}).get("settings_warnings") if isinstance(ir, dict) else None
    if warnings:
        c.fail(f"{name}: loader", f"accepted with warnings: {warnings[0]}")
    else:
        c.ok(f"{name}: loader accepts it")
    errs = schema_errors(ir_v, ir)
    if errs:
        c.fail(f"{name}: IR schema", errs[0])
    else:
        c.ok(f"{name}: its IR (explain --json) matches the IR schema")
        ir_docs.append((name, ir))


def looks_like_settings(doc):
    return isinstance(doc, dict) and any(k in doc for k in ("network", "filesystem", "credentials",
                                                              "ignoreViolations"))


def readme_blocks(text):
    """The ```json fenced blocks of a Markdown text, with their line numbers."""
    blocks = []
    for m in re.finditer(r"^[ \t]*```json[ \t]*\n(.*?)^[ \t]*```", text, re.MULTILINE | re.DOTALL):
        blocks.append((text.count("\n", 0, m.start()) + 1, m.group(1)))
    return blocks


def schema_key_paths(schema, node=None, prefix=""):
    """Dotted paths of every named property of the settings schema ("network.tlsTerminate.maxTunnels",
    "credentials.files[].path"). Follows local $refs and array items; does not descend into oneOf (the
    {path, literal} form of path entries) or into maps (additionalProperties)."""
    node = schema if node is None else node
    if "$ref" in node:
        target = schema
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        yield from schema_key_paths(schema, target, prefix)
    for key, sub in node.get("properties", {}).items():
        path = f"{prefix}.{key}" if prefix else key
        if sub.get("not") == {}:
            continue  # a key the loader always rejects (network.filterRequest)
        yield path
        yield from schema_key_paths(schema, sub, path)
    if isinstance(node.get("items"), dict):
        yield from schema_key_paths(schema, node["items"], prefix + "[]")


def doc_key_paths(doc, prefix=""):
    """Dotted paths of the keys a settings document uses, in the form of schema_key_paths."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path
            yield from doc_key_paths(value, path)
    elif isinstance(doc, list):
        for item in doc:
            yield from doc_key_paths(item, prefix + "[]")


def ir_mutations():
    """(description, function(doc) -> mutated doc or None when not applicable)."""

    def at(path):
        def get(doc):
            cur = doc
            for p in path:
                if isinstance(cur, list):
                    if not cur:
                        return None
                    cur = cur[p]
                elif isinstance(cur, dict) and p in cur:
                    cur = cur[p]
                else:
                    return None
            return cur
        return get

    def setter(path, value):
        def mutate(doc):
            parent = at(path[:-1])(doc)
            key = path[-1]
            if isinstance(parent, list):
                if not parent or value is DELETE:
                    return None
                parent[key] = value
            elif isinstance(parent, dict):
                if value is DELETE:
                    if key not in parent:
                        return None
                    del parent[key]
                else:
                    parent[key] = value
            else:
                return None
            return doc
        return mutate

    def missing_mount_without_placeholder(doc):
        for m in doc["filesystem"]["mounts"]:
            if m.get("kind") == "missing":
                del m["placeholder"]
                return doc
        return None

    return [
        ('mount access "rw"', setter(["filesystem", "mounts", 0, "access"], "rw")),
        ('mount kind "symlink"', setter(["filesystem", "mounts", 0, "kind"], "symlink")),
        ("placeholder on a mount that is not missing", setter(["filesystem", "mounts", 0, "placeholder"], "dir")),
        ("missing mount without placeholder", missing_mount_without_placeholder),
        ('relative mount path "tmp"', setter(["filesystem", "mounts", -1, "path"], "tmp")),
        ('first mount not "/"', setter(["filesystem", "mounts", 0, "path"], "/usr")),
        ("pin: false (written only when true)", setter(["filesystem", "mounts", 0, "pin"], False)),
        ("mount without origin", setter(["filesystem", "mounts", 0, "origin"], DELETE)),
        ('path rule op "exec"', setter(["filesystem", "path_rules", 0, "op"], "exec")),
        ('path rule effect "block"', setter(["filesystem", "path_rules", 0, "effect"], "block")),
        ('domain rule effect "allowed"', setter(["network", "domain_rules", 0, "effect"], "allowed")),
        ("domain rule port 0", setter(["network", "domain_rules", 0, "port"], 0)),
        ("version 2", setter(["version"], 2)),
        ('version "1"', setter(["version"], "1")),
        ("no network member", setter(["network"], DELETE)),
        ("unknown top-level member", setter(["policy"], {})),
        ("unknown member in process", setter(["process", "uid"], 0)),
        ('note status "unknown"', setter(["notes", 0, "status"], "unknown")),
        ("restricted as a string", setter(["filesystem", "restricted"], "true")),
        ("env_set value not a string", setter(["process", "env_set", "SANDBOX_RUNTIME"], 1)),
        ("explain without settings", setter(["explain", "settings"], DELETE)),
    ]


class _Delete:
    pass


DELETE = _Delete()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--srt", required=True, help="the srt executable")
    ap.add_argument("--source-root", required=True, help="the project's source directory")
    args = ap.parse_args()

    try:
        import jsonschema
    except ImportError:
        msg = ("the Python module jsonschema is missing (Debian/Ubuntu: apt-get install python3-jsonschema; "
               "elsewhere: pip install jsonschema)")
        if os.environ.get("CI") == "true":
            print(f"FAIL   {msg}; CI=true, so this is an error, not a skip")
            return 1
        print(f"skip   {msg}")
        return EXIT_SKIP

    root = args.source_root
    srt = os.path.abspath(args.srt)
    c = Checker()
    if not (os.path.isfile(srt) and os.access(srt, os.X_OK)):
        c.fail("srt", f"{srt} is not an executable file")
        return 1

    # (a) the schemas themselves
    schemas = {}
    for name in ("srt-settings.schema.json", "policy-ir.schema.json"):
        path = os.path.join(root, "schemas", name)
        try:
            with open(path, encoding="utf-8") as f:
                schema = json.load(f)
            if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
                raise ValueError(f"$schema is {schema.get('$schema')!r}, not draft 2020-12")
            jsonschema.Draft202012Validator.check_schema(schema)
        except Exception as e:  # noqa: BLE001 - any problem is a failed check
            c.fail(f"schema {name}", str(e).splitlines()[0][:300])
            continue
        schemas[name] = jsonschema.Draft202012Validator(schema)
        c.ok(f"schema {name} is a valid JSON Schema 2020-12 document")
    if len(schemas) != 2:
        print(f"\n{c.passes} passed, {c.failures} failed")
        return 1
    settings_v = schemas["srt-settings.schema.json"]
    ir_v = schemas["policy-ir.schema.json"]

    # (b) valid fixtures
    ir_docs = []
    used_keys = set()
    fixtures_dir = os.path.join(root, "tests", "fixtures")
    fixtures = sorted(f for f in os.listdir(fixtures_dir) if f.endswith(".json"))
    if not fixtures:
        c.fail("fixtures", f"no *.json in {fixtures_dir}")
    for name in fixtures:
        path = os.path.join(fixtures_dir, name)
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except ValueError as e:
            c.fail(f"fixtures/{name}", f"not JSON: {e}")
            continue
        check_valid_settings(c, f"fixtures/{name}", path, doc, settings_v, ir_v, srt, ir_docs)
        used_keys.update(doc_key_paths(doc))

    # Every key the schema names is used by some valid fixture, so each one went through the loader above
    # without an "unknown key" warning: the schema names no key the loader does not know.
    unused = sorted(set(schema_key_paths(settings_v.schema)) - used_keys)
    if unused:
        c.fail("fixtures cover the schema", "no valid fixture uses " + ", ".join(unused))
    else:
        c.ok("fixtures cover the schema", "every key the settings schema names is used by a valid fixture")

    # (c) README examples
    readme = os.path.join(root, "README.md")
    if not os.path.exists(readme):
        c.ok("README.md examples", "no README.md yet; nothing to check")
    else:
        with open(readme, encoding="utf-8") as f:
            blocks = readme_blocks(f.read())
        checked = 0
        with tempfile.TemporaryDirectory(prefix="srt-readme-") as tmp:
            for line, text in blocks:
                try:
                    doc = json.loads(text)
                except ValueError:
                    continue  # e.g. an IR excerpt with "...": not a settings example
                if not looks_like_settings(doc):
                    continue
                checked += 1
                path = os.path.join(tmp, f"readme-line-{line}.json")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                check_valid_settings(c, f"README.md line {line}", path, doc, settings_v, ir_v, srt, ir_docs)
        if checked == 0:
            c.ok("README.md examples", "README.md has no ```json block that looks like a settings file")

    # (d) invalid fixtures
    invalid_dir = os.path.join(fixtures_dir, "invalid")
    try:
        with open(os.path.join(invalid_dir, "expectations.json"), encoding="utf-8") as f:
            expectations = json.load(f)
    except (OSError, ValueError) as e:
        c.fail("invalid/expectations.json", str(e))
        expectations = {}
    invalid = sorted(f for f in os.listdir(invalid_dir) if f.endswith(".json") and f != "expectations.json")
    for name in sorted(set(expectations) - set(invalid)):
        c.fail(f"invalid/{name}", "named in expectations.json but the file does not exist")
    for name in sorted(set(SCHEMA_CANNOT_JUDGE) - set(invalid)):
        c.fail(f"invalid/{name}", "named in SCHEMA_CANNOT_JUDGE but the file does not exist")
    for name in invalid:
        label = f"invalid/{name}"
        path = os.path.join(invalid_dir, name)
        expected = expectations.get(name)
        if not expected:
            c.fail(label, "no expected error substring in invalid/expectations.json")
        else:
            rc, _, err = run_srt(srt, path, json_output=False)
            if rc != SRT_SETTINGS_ERROR:
                c.fail(f"{label}: loader", f"expected exit status {SRT_SETTINGS_ERROR}, got {rc}: {first_line(err)}")
            elif expected not in err:
                c.fail(f"{label}: loader", f"stderr lacks {expected!r}; it says: {first_line(err)}")
            else:
                c.ok(f"{label}: loader rejects it", expected)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            doc = json.loads(text)
        except ValueError:
            c.ok(f"{label}: schema", "not JSON, so no schema accepts it")
            continue
        errs = schema_errors(settings_v, doc)
        if name in SCHEMA_CANNOT_JUDGE:
            if errs:
                c.fail(f"{label}: schema", "listed in SCHEMA_CANNOT_JUDGE but the schema rejects it "
                                           f"({errs[0]}); remove it from that list")
            else:
                c.ok(f"{label}: schema cannot judge it", SCHEMA_CANNOT_JUDGE[name])
        elif errs:
            c.ok(f"{label}: schema rejects it", errs[0][:120])
        else:
            c.fail(f"{label}: schema", "the settings schema accepts a file the loader rejects")

    # (e) mutated IR documents
    if not ir_docs:
        c.fail("IR mutations", "no IR document to mutate (every explain run failed)")
    else:
        for desc, mutate in ir_mutations():
            for src, ir in ir_docs:
                mutated = mutate(copy.deepcopy(ir))
                if mutated is not None:
                    break
            else:
                c.fail(f"IR mutation {desc}", "no fixture's IR has the member to mutate")
                continue
            if ir_v.is_valid(mutated):
                c.fail(f"IR mutation {desc}", f"the IR schema accepts it (from {src})")
            else:
                c.ok(f"IR schema rejects: {desc}")

    # (f) domain patterns: schema regexes against the loader
    def loader_accepts(doc):
        with tempfile.TemporaryDirectory(prefix="srt-domain-") as tmp:
            path = os.path.join(tmp, "settings.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            rc, _, err = run_srt(srt, path, json_output=False)
            return rc == 0, err

    for key, column in (("allowedDomains", 1), ("deniedDomains", 2)):
        # Every valid case in one file; each invalid case on its own (the loader stops at the first error).
        valid = [case[0] for case in DOMAIN_CASES if case[column]]
        doc = {"network": {key: valid}}
        ok, err = loader_accepts(doc)
        errs = schema_errors(settings_v, doc)
        if not ok:
            c.fail(f"{key}: valid patterns", f"loader rejects: {first_line(err)}")
        elif errs:
            c.fail(f"{key}: valid patterns", f"schema rejects: {errs[0]}")
        else:
            c.ok(f"{key}: loader and schema accept {len(valid)} valid patterns")
        wrong = []
        for case in DOMAIN_CASES:
            if case[column]:
                continue
            doc = {"network": {key: [case[0]]}}
            if loader_accepts(doc)[0]:
                wrong.append(f"loader accepts {case[0]!r}")
            if settings_v.is_valid(doc):
                wrong.append(f"schema accepts {case[0]!r}")
        n_invalid = sum(1 for case in DOMAIN_CASES if not case[column])
        if wrong:
            c.fail(f"{key}: invalid patterns", "; ".join(wrong))
        else:
            c.ok(f"{key}: loader and schema reject {n_invalid} invalid patterns")
        wrong = []
        for pattern in DOMAIN_LOADER_ONLY:
            doc = {"network": {key: [pattern]}}
            if not loader_accepts(doc)[0]:
                wrong.append(f"the loader rejects {pattern!r}")
            if settings_v.is_valid(doc):
                wrong.append(f"the schema accepts {pattern!r}")
        if wrong:
            c.fail(f"{key}: DOMAIN_LOADER_ONLY", "; ".join(wrong))
        else:
            c.ok(f"{key}: {len(DOMAIN_LOADER_ONLY)} shorthand IPv4 forms: loader only, as documented")

    print(f"\n{c.passes} passed, {c.failures} failed")
    return 0 if c.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
