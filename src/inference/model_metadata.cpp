#include "inference/model_metadata.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace sn44::inference {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw Error(ErrorKind::unsupported, "model '" + path.string() + "': " + what);
}

// "names" is {"0": "ball", ...} (Python dict keys become strings) or a plain list.
std::vector<std::string> parse_names(const nlohmann::json& names, const std::filesystem::path& path) {
  std::vector<std::string> result;
  if (names.is_array()) {
    for (const auto& name : names) result.push_back(name.get<std::string>());
    return result;
  }
  if (!names.is_object()) fail(path, "metadata 'names' is neither a list nor a mapping");
  result.resize(names.size());
  for (const auto& [key, value] : names.items()) {
    size_t index = 0;
    try {
      index = std::stoul(key);
    } catch (const std::exception&) {
      fail(path, "metadata 'names' has a non-numeric key '" + key + "'");
    }
    if (index >= result.size()) fail(path, "metadata 'names' skips class ids");
    result[index] = value.get<std::string>();
  }
  return result;
}

// A Python dict of class names as str() writes it: {0: 'ball', 1: "goalkeeper's"}, with
// backslash escapes inside the quotes. Hand-written: it is the one Python literal ultralytics
// leaves in its ONNX files, and no JSON parser reads it.
nlohmann::json parse_python_names(std::string_view text, const std::filesystem::path& path) {
  const auto malformed = [&] { fail(path, "metadata 'names' is not a {id: 'name'} mapping: " + std::string(text)); };
  size_t at = 0;
  const auto skip_spaces = [&] {
    while (at < text.size() && text[at] == ' ') ++at;
  };
  const auto expect = [&](char c) {
    skip_spaces();
    if (at >= text.size() || text[at] != c) malformed();
    ++at;
  };
  nlohmann::json names = nlohmann::json::object();
  expect('{');
  skip_spaces();
  if (at < text.size() && text[at] == '}') return names;
  while (true) {
    skip_spaces();
    const size_t digits = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    if (at == digits || at - digits > 6) malformed();
    const std::string id(text.substr(digits, at - digits));
    expect(':');
    skip_spaces();
    if (at >= text.size() || (text[at] != '\'' && text[at] != '"')) malformed();
    const char quote = text[at++];
    std::string name;
    while (at < text.size() && text[at] != quote) {
      if (text[at] == '\\' && at + 1 < text.size()) ++at;
      name += text[at++];
    }
    if (at >= text.size()) malformed();
    ++at;
    names[id] = name;
    skip_spaces();
    if (at < text.size() && text[at] == ',') {
      ++at;
      continue;
    }
    expect('}');
    skip_spaces();
    if (at != text.size()) malformed();
    return names;
  }
}

}  // namespace

std::string onnx_metadata_as_json(const std::vector<std::pair<std::string, std::string>>& properties,
                                  const std::filesystem::path& path) {
  nlohmann::json metadata = nlohmann::json::object();
  for (const auto& [key, value] : properties) {
    if (key == "names") {
      metadata[key] = parse_python_names(value, path);
      continue;
    }
    // Numbers and lists of numbers read as JSON; anything else ("detect", dates, texts) is kept as text.
    nlohmann::json parsed = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
    metadata[key] = parsed.is_discarded() || parsed.is_object() || parsed.is_string() ? nlohmann::json(value) : parsed;
  }
  return metadata.dump();
}

int yolo_anchor_count(int input_width, int input_height) {
  int anchors = 0;
  for (const int stride : {8, 16, 32}) anchors += (input_width / stride) * (input_height / stride);
  return anchors;
}

ModelInfo parse_model_metadata(std::string_view json_text, const std::filesystem::path& path, const ModelOptions& options) {
  ModelInfo info;
  info.path = path;
  nlohmann::json metadata = nlohmann::json::object();
  if (!json_text.empty()) {
    try {
      metadata = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::exception& error) {
      fail(path, std::string("metadata (config.txt) is not valid JSON: ") + error.what());
    }
  }
  try {
    if (metadata.contains("task")) {
      const auto task = metadata["task"].get<std::string>();
      if (task == "detect") {
        info.task = ModelTask::detect;
      } else if (task == "pose") {
        info.task = ModelTask::pose;
      } else {
        fail(path, "is a '" + task + "' model; the miner runs detect and pose models");
      }
    }
    if (metadata.contains("imgsz")) {
      const auto& size = metadata["imgsz"];
      if (size.is_number_integer()) {
        info.input_height = info.input_width = size.get<int>();
      } else if (size.is_array() && size.size() == 2) {
        info.input_height = size[0].get<int>();
        info.input_width = size[1].get<int>();
      } else {
        fail(path, "metadata 'imgsz' is neither a number nor [height, width]");
      }
    } else if (options.fallback_input_size > 0) {
      info.input_height = info.input_width = options.fallback_input_size;
    } else {
      fail(path, "the file does not say its input size; set the image size explicitly");
    }
    if (metadata.contains("stride")) info.stride = metadata["stride"].get<int>();
    if (metadata.contains("names")) info.class_names = parse_names(metadata["names"], path);
    if (metadata.contains("kpt_shape")) {
      const auto& shape = metadata["kpt_shape"];
      if (!shape.is_array() || shape.size() != 2 || shape[1].get<int>() != 3) {
        fail(path, "metadata 'kpt_shape' must be [keypoints, 3] (x, y, visibility)");
      }
      info.num_keypoints = shape[0].get<int>();
    }
  } catch (const nlohmann::json::exception& error) {
    fail(path, std::string("malformed metadata: ") + error.what());
  }
  if (info.input_width <= 0 || info.input_height <= 0 || info.input_width % 32 != 0 || info.input_height % 32 != 0) {
    fail(path, "input size " + std::to_string(info.input_width) + "x" + std::to_string(info.input_height) +
                   " is not a positive multiple of 32");
  }
  return info;
}

}  // namespace sn44::inference
