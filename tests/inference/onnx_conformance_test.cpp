// The ONNX backend against ONNX's own conformance cases (Debian package libonnx-testdata, ONNX
// 1.12: small models with inputs and expected outputs). Every case made only of operators the
// backend runs either gives the expected outputs, to the tolerance of ONNX's own test runner, or
// is refused with ErrorKind::unsupported, as listed here with the reason.

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "inference/onnx_graph.h"

namespace sn44::inference {
namespace {

namespace fs = std::filesystem;

fs::path conformance_cases() {
  const char* folder = std::getenv("SN44_ONNX_TEST_CASES");
  return folder != nullptr ? fs::path(folder) : fs::path("/usr/share/libonnx-testdata/data");
}

// The cases refused, and why. YOLOv8 exports use none of these forms.
const std::map<std::string, std::string>& refused_cases() {
  static const std::map<std::string, std::string> cases = [] {
    std::map<std::string, std::string> refused;
    const auto add = [&](const std::string& reason, std::initializer_list<const char*> names) {
      for (const char* name : names) refused.emplace(name, reason);
    };
    add("a data type the backend does not run (float16, bfloat16, string)",
        {"test_cast_BFLOAT16_to_FLOAT", "test_cast_DOUBLE_to_FLOAT16", "test_cast_FLOAT16_to_DOUBLE",
         "test_cast_FLOAT16_to_FLOAT", "test_cast_FLOAT_to_BFLOAT16", "test_cast_FLOAT_to_FLOAT16", "test_cast_FLOAT_to_STRING",
         "test_cast_STRING_to_FLOAT", "test_castlike_BFLOAT16_to_FLOAT_expanded", "test_castlike_DOUBLE_to_FLOAT16_expanded",
         "test_castlike_FLOAT16_to_DOUBLE_expanded", "test_castlike_FLOAT16_to_FLOAT_expanded",
         "test_castlike_FLOAT_to_BFLOAT16_expanded", "test_castlike_FLOAT_to_FLOAT16_expanded",
         "test_castlike_FLOAT_to_STRING_expanded", "test_castlike_STRING_to_FLOAT_expanded"});
    add("optional and sequence values", {"test_identity_opt", "test_identity_sequence"});
    add("auto_pad", {"test_conv_with_autopad_same", "test_maxpool_2d_same_lower", "test_maxpool_2d_same_upper",
                     "test_maxpool_2d_precomputed_same_upper"});
    add("windows that are not 2-D", {"test_maxpool_1d_default", "test_maxpool_3d_default", "test_Conv1d", "test_Conv1d_dilated",
                                     "test_Conv1d_groups", "test_Conv1d_pad1", "test_Conv1d_pad1size1", "test_Conv1d_pad2",
                                     "test_Conv1d_pad2size1", "test_Conv1d_stride", "test_Conv3d", "test_Conv3d_dilated",
                                     "test_Conv3d_dilated_strided", "test_Conv3d_groups", "test_Conv3d_no_bias",
                                     "test_Conv3d_stride", "test_Conv3d_stride_padding", "test_MaxPool1d",
                                     "test_MaxPool1d_stride", "test_MaxPool1d_stride_padding_dilation", "test_MaxPool3d",
                                     "test_MaxPool3d_stride", "test_MaxPool3d_stride_padding", "test_operator_maxpool"});
    add("pooling indices", {"test_maxpool_with_argmax_2d_precomputed_pads", "test_maxpool_with_argmax_2d_precomputed_strides"});
    add("Resize modes other than nearest/asymmetric/floor",
        {"test_resize_downsample_scales_cubic", "test_resize_downsample_scales_cubic_A_n0p5_exclude_outside",
         "test_resize_downsample_scales_cubic_align_corners", "test_resize_downsample_scales_linear",
         "test_resize_downsample_scales_linear_align_corners", "test_resize_downsample_scales_nearest",
         "test_resize_downsample_sizes_cubic", "test_resize_downsample_sizes_linear_pytorch_half_pixel",
         "test_resize_downsample_sizes_nearest", "test_resize_downsample_sizes_nearest_tf_half_pixel_for_nn",
         "test_resize_tf_crop_and_resize", "test_resize_upsample_scales_cubic",
         "test_resize_upsample_scales_cubic_A_n0p5_exclude_outside", "test_resize_upsample_scales_cubic_align_corners",
         "test_resize_upsample_scales_cubic_asymmetric", "test_resize_upsample_scales_linear",
         "test_resize_upsample_scales_linear_align_corners", "test_resize_upsample_scales_nearest",
         "test_resize_upsample_sizes_cubic", "test_resize_upsample_sizes_nearest",
         "test_resize_upsample_sizes_nearest_ceil_half_pixel", "test_resize_upsample_sizes_nearest_floor_align_corners",
         "test_resize_upsample_sizes_nearest_round_prefer_ceil_asymmetric"});
    add("Slice with negative steps", {"test_slice_neg_steps"});
    return refused;
  }();
  return cases;
}

struct ConformanceCase {
  std::string name;
  fs::path folder;
  onnx::ModelProto model;
};

// The cases whose every node is an operator the backend runs.
std::vector<ConformanceCase> cases_of_known_operators(const fs::path& root) {
  const std::vector<std::string> known = onnx_operators();
  std::vector<ConformanceCase> cases;
  for (const char* group : {"node", "pytorch-converted", "pytorch-operator", "simple"}) {
    if (!fs::is_directory(root / group)) continue;
    for (const fs::directory_entry& entry : fs::directory_iterator(root / group)) {
      const fs::path model_file = entry.path() / "model.onnx";
      if (!fs::exists(model_file)) continue;
      onnx::ModelProto model = read_onnx_file(model_file, model_file.string());
      const bool all_known = std::all_of(model.graph().node().begin(), model.graph().node().end(), [&](const onnx::NodeProto& node) {
        return onnx_default_domain(node.domain()) &&
               std::find(known.begin(), known.end(), node.op_type()) != known.end();
      });
      if (all_known) cases.push_back({entry.path().filename().string(), entry.path(), std::move(model)});
    }
  }
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return cases;
}

torch::Tensor read_tensor(const fs::path& file) {
  onnx::TensorProto proto;
  std::ifstream stream(file, std::ios::binary);
  if (!proto.ParseFromIstream(&stream)) throw Error(ErrorKind::corrupt_data, file.string() + " is not a tensor");
  return tensor_from_onnx(proto, file.string());
}

// input_0.pb, input_1.pb, ... (or output_N.pb) of one data set, in order.
std::vector<torch::Tensor> read_tensors(const fs::path& data_set, const std::string& prefix) {
  std::vector<torch::Tensor> tensors;
  for (int i = 0; fs::exists(data_set / (prefix + std::to_string(i) + ".pb")); ++i) {
    tensors.push_back(read_tensor(data_set / (prefix + std::to_string(i) + ".pb")));
  }
  return tensors;
}

// How `output` differs from `expected` (empty when it does not), judged as ONNX's runner does:
// same type and shape, values within atol 1e-7 + rtol 1e-3.
std::string difference(const torch::Tensor& output, const torch::Tensor& expected) {
  if (output.scalar_type() != expected.scalar_type()) {
    return std::string("type ") + c10::toString(output.scalar_type()) + ", expected " + c10::toString(expected.scalar_type());
  }
  if (output.sizes() != expected.sizes()) {
    return "shape " + c10::str(output.sizes()) + ", expected " + c10::str(expected.sizes());
  }
  const torch::Tensor values = output.contiguous();
  if (expected.is_floating_point() ? !torch::allclose(values, expected, 1e-3, 1e-7, /*equal_nan=*/true) : !values.equal(expected)) {
    return "values differ by up to " + std::to_string((values.to(torch::kFloat64) - expected.to(torch::kFloat64)).abs().max().item<double>());
  }
  return {};
}

TEST(OnnxConformance, EachCaseOfTheOperatorsItRunsGivesTheExpectedOutputsOrIsRefused) {
  const fs::path root = conformance_cases();
  if (!fs::is_directory(root / "node")) {
    GTEST_SKIP() << "no ONNX conformance cases at " << root << " (Debian package libonnx-testdata, or SN44_ONNX_TEST_CASES)";
  }
  std::set<std::string> passed;
  std::set<std::string> refused;
  for (const ConformanceCase& conformance_case : cases_of_known_operators(root)) {
    const std::string& name = conformance_case.name;
    const bool expect_refusal = refused_cases().count(name) > 0;
    try {
      const OnnxGraph graph(conformance_case.model, torch::kCPU, name);
      bool matched = true;
      for (const fs::directory_entry& data_set : fs::directory_iterator(conformance_case.folder)) {
        if (data_set.path().filename().string().rfind("test_data_set_", 0) != 0) continue;
        const std::vector<torch::Tensor> expected = read_tensors(data_set.path(), "output_");
        const std::vector<torch::Tensor> outputs = graph.run(read_tensors(data_set.path(), "input_"));
        if (outputs.size() != expected.size()) {
          ADD_FAILURE() << name << ": " << outputs.size() << " outputs, expected " << expected.size();
          matched = false;
          continue;
        }
        for (size_t i = 0; i < outputs.size(); ++i) {
          const std::string differs = difference(outputs[i], expected[i]);
          if (!differs.empty()) {
            ADD_FAILURE() << name << " (" << data_set.path().filename().string() << ") output " << i << ": " << differs;
            matched = false;
          }
        }
      }
      if (matched) passed.insert(name);
      EXPECT_FALSE(expect_refusal) << name << " runs now; take it off the list of refused cases";
    } catch (const Error& error) {
      if (error.kind() == ErrorKind::unsupported && expect_refusal) {
        refused.insert(name);
      } else {
        ADD_FAILURE() << name << ": " << to_string(error.kind()) << ": " << error.what();
      }
    }
  }
  for (const auto& [name, reason] : refused_cases()) {
    EXPECT_EQ(refused.count(name), 1U) << name << " is listed as refused (" << reason << ") but was not";
  }
  // The forms YOLOv8 exports use (float, int8 and dynamic=True; YOLO11's MatMul) are among the
  // cases that pass.
  for (const char* name : {"test_basic_conv_with_padding", "test_conv_with_strides_and_asymmetric_padding", "test_Conv2d_depthwise",
                           "test_Conv2d_groups", "test_maxpool_2d_pads", "test_maxpool_2d_ceil", "test_upsample_nearest",
                           "test_split_variable_parts_2d", "test_split_equal_parts_default_axis", "test_slice_negative_axes",
                           "test_softmax_axis_1", "test_Softmax", "test_reshape_zero_and_negative_dim", "test_transpose_all_permutations_3",
                           "test_gather_negative_indices", "test_unsqueeze_negative_axes", "test_shape_start_1_end_negative_1",
                           "test_div_uint8", "test_expand_dim_changed", "test_concat_3d_axis_negative_2", "test_basic_convinteger",
                           "test_convinteger_with_padding", "test_dynamicquantizelinear", "test_dynamicquantizelinear_max_adjusted",
                           "test_dynamicquantizelinear_min_adjusted", "test_matmul_2d", "test_matmul_4d", "test_matmulinteger",
                           "test_range_float_type_positive_delta", "test_constantofshape_int_zeros"}) {
    EXPECT_EQ(passed.count(name), 1U) << name << " did not pass";
  }
  std::cout << passed.size() << " conformance cases passed, " << refused.size() << " refused as listed\n";
}

}  // namespace
}  // namespace sn44::inference
