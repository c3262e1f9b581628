#pragma once
// Reading the fields of a JSON document a user supplied (a miner's result, a model's predictions):
// every error names the document and the place in it that is wrong.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace sn44::scoring {

class JsonFields {
 public:
  // `document` names the document in errors: "malformed <document>: <where>: <what>".
  constexpr explicit JsonFields(std::string_view document) : document_(document) {}

  // The parsed text; an error when it is not JSON at all.
  nlohmann::json parse(const std::string& text) const;
  [[noreturn]] void malformed(const std::string& where, const std::string& what) const;
  double number(const nlohmann::json& value, const std::string& where) const;
  int64_t integer(const nlohmann::json& value, const std::string& where) const;
  const nlohmann::json& member(const nlohmann::json& object, const char* key, const std::string& where) const;

 private:
  std::string_view document_;
};

}  // namespace sn44::scoring
