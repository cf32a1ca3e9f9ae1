// A cursor over a JSON document that knows its JSON path, so that every
// settings error names where it is, and that records which keys were seen so
// that unknown keys can be reported with the nearest known one.
#pragma once

#include <srt/error.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace srt::settings_detail {

class Reader;

// Shared state of one parse: the document name, warnings, present keys.
struct ParseContext {
  std::string name;
  std::vector<std::string> *warnings = nullptr;
  std::set<std::string> *present = nullptr;
};

class Reader {
 public:
  Reader(const boost::json::value &v, std::string path, ParseContext &ctx) : v_(v), path_(std::move(path)), ctx_(ctx) {}

  const std::string &path() const { return path_; }
  const boost::json::value &value() const { return v_; }
  ParseContext &context() const { return ctx_; }

  // Throws SettingsError "name: path: message".
  [[noreturn]] void fail(const std::string &message) const;
  void warn(const std::string &message) const;

  // Type checks.
  std::string string() const;
  std::string non_empty_string() const;
  bool boolean() const;
  std::int64_t integer(std::int64_t min, std::int64_t max) const;
  std::vector<std::string> string_list(bool non_empty_items = true) const;
  // A string that must be one of `allowed`.
  std::string one_of(std::initializer_list<std::string_view> allowed) const;

  // Object access. `keys` lists every key this object may hold; any other key
  // is a warning (or an error when `strict`) naming the nearest known key.
  // Call once per object before reading fields.
  void expect_keys(std::initializer_list<std::string_view> keys, bool strict = false) const;
  std::optional<Reader> get(std::string_view key) const;
  Reader at(std::size_t index) const;
  std::size_t size() const;  // array length; fails when not an array
  bool is_object() const { return v_.is_object(); }
  bool is_string() const { return v_.is_string(); }
  std::string type_name() const;

 private:
  const boost::json::object &object() const;
  std::string child_path(std::string_view key) const;

  const boost::json::value &v_;
  std::string path_;
  ParseContext &ctx_;
};

std::string type_name(const boost::json::value &v);

}  // namespace srt::settings_detail
