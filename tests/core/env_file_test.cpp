#include "core/env_file.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "core/error.h"
#include "support/temp_dir.h"

namespace sn44 {
namespace {

TEST(EnvFile, ParsesPlainQuotedExportedAndCommentedEntries) {
  const auto entries = parse_env_file(
      "# miner settings\n"
      "NETUID=44\n"
      "export WALLET_NAME = default \n"
      "HOTKEY_NAME=\"hot key\"  # trailing comment\n"
      "SUBTENSOR_ADDRESS='wss://host:443/#x'\n"
      "DEVICE=cuda # inline comment\n"
      "EMPTY=\n"
      "ESCAPED=\"a\\nb\"\n"
      "\n");
  const EnvEntries expected = {{"NETUID", "44"},
                               {"WALLET_NAME", "default"},
                               {"HOTKEY_NAME", "hot key"},
                               {"SUBTENSOR_ADDRESS", "wss://host:443/#x"},
                               {"DEVICE", "cuda"},
                               {"EMPTY", ""},
                               {"ESCAPED", "a\nb"}};
  EXPECT_EQ(entries, expected);
}

TEST(EnvFile, RejectsMalformedLinesNamingTheLine) {
  try {
    parse_env_file("A=1\nnot an assignment\n");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_env_file("A=\"unterminated\n"), Error);
  EXPECT_THROW(parse_env_file("1ABC=x\n"), Error);
}

TEST(EnvFile, LoadSetsOnlyVariablesNotAlreadyInTheEnvironment) {
  testing::TempDir dir;
  std::ofstream(dir / ".env") << "SN44_TEST_ENV_NEW=from-file\nSN44_TEST_ENV_OLD=from-file\n";
  ::setenv("SN44_TEST_ENV_OLD", "from-env", 1);
  ::unsetenv("SN44_TEST_ENV_NEW");

  EXPECT_EQ(load_env_file(dir / ".env"), 1);
  EXPECT_STREQ(std::getenv("SN44_TEST_ENV_NEW"), "from-file");
  EXPECT_STREQ(std::getenv("SN44_TEST_ENV_OLD"), "from-env");
  EXPECT_EQ(load_env_file(dir / "missing.env"), 0);
}

}  // namespace
}  // namespace sn44
