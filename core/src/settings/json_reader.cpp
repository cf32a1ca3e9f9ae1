#include "settings/json_reader.hpp"

#include "util/strings.hpp"

#include <fmt/format.h>

namespace srt::settings_detail {

std::string type_name(const boost::json::value &v) {
  switch (v.kind()) {
    case boost::json::kind::null: return "null";
    case boost::json::kind::bool_: return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64: return "an integer";
    case boost::json::kind::double_: return "a number";
    case boost::json::kind::string: return "a string";
    case boost::json::kind::array: return "an array";
    case boost::json::kind::object: return "an object";
  }
  return "a value";
}

std::string Reader::type_name() const { return settings_detail::type_name(v_); }

void Reader::fail(const std::string &message) const {
  std::string where = path_.empty() ? std::string("(top level)") : path_;
  throw SettingsError(fmt::format("{}: {}: {}", ctx_.name, where, message));
}

void Reader::warn(const std::string &message) const {
  if (ctx_.warnings) ctx_.warnings->push_back(fmt::format("{}: {}: {}", ctx_.name, path_, message));
}

std::string Reader::string() const {
  if (!v_.is_string()) fail(fmt::format("expected a string, got {}", type_name()));
  return std::string(v_.get_string());
}

std::string Reader::non_empty_string() const {
  auto s = string();
  if (s.empty()) fail("must not be empty");
  return s;
}

bool Reader::boolean() const {
  if (!v_.is_bool()) fail(fmt::format("expected true or false, got {}", type_name()));
  return v_.get_bool();
}

std::int64_t Reader::integer(std::int64_t min, std::int64_t max) const {
  std::int64_t n;
  if (v_.is_int64()) {
    n = v_.get_int64();
  } else if (v_.is_uint64()) {
    fail(fmt::format("must be an integer from {} to {}", min, max));
  } else if (v_.is_double() && v_.get_double() == static_cast<double>(static_cast<std::int64_t>(v_.get_double()))) {
    n = static_cast<std::int64_t>(v_.get_double());
  } else {
    fail(fmt::format("expected an integer from {} to {}, got {}", min, max, type_name()));
  }
  if (n < min || n > max) fail(fmt::format("must be an integer from {} to {}, got {}", min, max, n));
  return n;
}

std::vector<std::string> Reader::string_list(bool non_empty_items) const {
  if (!v_.is_array()) fail(fmt::format("expected an array of strings, got {}", type_name()));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v_.get_array().size(); ++i) {
    auto item = at(i);
    out.push_back(non_empty_items ? item.non_empty_string() : item.string());
  }
  return out;
}

std::string Reader::one_of(std::initializer_list<std::string_view> allowed) const {
  auto s = string();
  std::string list;
  for (auto a : allowed) {
    if (s == a) return s;
    list += (list.empty() ? "" : ", ") + util::quoted(a);
  }
  fail(fmt::format("{} is not one of {}", util::quoted(s), list));
}

const boost::json::object &Reader::object() const {
  if (!v_.is_object()) fail(fmt::format("expected an object, got {}", type_name()));
  return v_.get_object();
}

std::string Reader::child_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void Reader::expect_keys(std::initializer_list<std::string_view> keys, bool strict) const {
  const auto &o = object();
  std::vector<std::string_view> known(keys);
  for (const auto &kv : o) {
    std::string_view k = kv.key();
    bool found = false;
    for (auto known_key : known) found = found || known_key == k;
    if (found) {
      if (ctx_.present) ctx_.present->insert(child_path(k));
      continue;
    }
    auto near = util::nearest(k, known);
    std::string hint = near.empty() ? std::string() : fmt::format(" (did you mean {}?)", util::quoted(child_path(near)));
    if (strict) fail(fmt::format("unknown key {}{}; this object accepts no other keys", util::quoted(k), hint));
    if (ctx_.warnings)
      ctx_.warnings->push_back(fmt::format("{}: {}: unknown key, ignored{}", ctx_.name, child_path(k), hint));
  }
}

std::optional<Reader> Reader::get(std::string_view key) const {
  const auto &o = object();
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  return Reader(it->value(), child_path(key), ctx_);
}

Reader Reader::at(std::size_t index) const {
  if (!v_.is_array()) fail(fmt::format("expected an array, got {}", type_name()));
  return Reader(v_.get_array().at(index), fmt::format("{}[{}]", path_, index), ctx_);
}

std::size_t Reader::size() const {
  if (!v_.is_array()) fail(fmt::format("expected an array, got {}", type_name()));
  return v_.get_array().size();
}

}  // namespace srt::settings_detail
