#include "scoring/json_fields.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace sn44::scoring {

nlohmann::json JsonFields::parse(const std::string& text) const {
  nlohmann::json body = nlohmann::json::parse(text, nullptr, false);
  if (body.is_discarded()) throw Error(ErrorKind::invalid_argument, "malformed " + std::string(document_) + ": not valid JSON");
  return body;
}

void JsonFields::malformed(const std::string& where, const std::string& what) const {
  throw Error(ErrorKind::invalid_argument, "malformed " + std::string(document_) + ": " + where + ": " + what);
}

double JsonFields::number(const nlohmann::json& value, const std::string& where) const {
  if (!value.is_number()) malformed(where, "expected a number, got " + std::string(value.type_name()));
  return value.get<double>();
}

int64_t JsonFields::integer(const nlohmann::json& value, const std::string& where) const {
  if (!value.is_number_integer()) malformed(where, "expected an integer, got " + value.dump());
  return value.get<int64_t>();
}

const nlohmann::json& JsonFields::member(const nlohmann::json& object, const char* key, const std::string& where) const {
  const auto found = object.find(key);
  if (found == object.end()) malformed(where, std::string("missing \"") + key + "\"");
  return *found;
}

}  // namespace sn44::scoring
