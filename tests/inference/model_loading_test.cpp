// What an operator sees for a model path that does not lead to a usable model: the kind of error
// and a message naming the file and the cause.

#include <gtest/gtest.h>

#include <fstream>

#include "inference/model.h"
#include "support/expect_error.h"
#include "support/temp_dir.h"

namespace sn44::inference {
namespace {

const ModelOptions kCpu{"cpu", 1, 640};

TEST(ModelLoading, AMissingFileIsNotFound) {
  const testing::TempDir dir;
  testing::expect_error(ErrorKind::not_found, "absent.torchscript': no such file",
                        [&] { load_model(dir / "absent.torchscript", kCpu); });
}

TEST(ModelLoading, AFolderIsNotAFile) {
  const testing::TempDir dir;
  std::filesystem::create_directory(dir / "player.torchscript");
  testing::expect_error(ErrorKind::not_found, "player.torchscript': not a file",
                        [&] { load_model(dir / "player.torchscript", kCpu); });
}

TEST(ModelLoading, AFileThatIsNotTorchScriptIsCorrupt) {
  const testing::TempDir dir;
  std::ofstream(dir / "player.torchscript") << "weights to follow\n";
  testing::expect_error(ErrorKind::corrupt_data, "is not a TorchScript file LibTorch can load",
                        [&] { load_model(dir / "player.torchscript", kCpu); });
}

TEST(ModelLoading, AFileThatIsNotOnnxIsCorrupt) {
  const testing::TempDir dir;
  std::ofstream(dir / "player.onnx") << "weights to follow\n";
  testing::expect_error(ErrorKind::corrupt_data, "player.onnx' is not an ONNX file",
                        [&] { load_model(dir / "player.onnx", kCpu); });
}

}  // namespace
}  // namespace sn44::inference
