// `imagesprint convert`, the binary itself: what a user at a terminal sees when an input or the
// output folder is wrong, or the disk refuses a write. Exit code 0 all converted, 1 some file
// failed (each named with its reason), 2 the command itself could not run; never an abort.
// And `imagesprint --version`.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>

#include "support/corpus.hpp"

namespace imagesprint {
namespace {

namespace fs = std::filesystem;

struct Ran {
  int exit_code = -1;  // -1: ended by a signal
  int signal = 0;
  std::string output;  // stdout and stderr
};

/// Runs `imagesprint ARGS` through the shell (`prefix` runs first in that shell: `ulimit -f 8;`,
/// say), in `folder`.
Ran imagesprint(const std::string& args, const fs::path& folder, const std::string& prefix = "") {
  const std::string line = "cd '" + folder.string() + "' && " + prefix + " exec " +
                           IMAGESPRINT_BINARY_PATH + " " + args + " 2>&1";
  Ran ran;
  FILE* pipe = ::popen(("/bin/bash -c \"" + line + "\"").c_str(), "r");
  if (pipe == nullptr) return ran;
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) {
    ran.output.append(buffer, n);
  }
  const int status = ::pclose(pipe);
  if (WIFEXITED(status)) ran.exit_code = WEXITSTATUS(status);
  // bash reports a child a signal ended as 128 + the signal.
  if (ran.exit_code > 128) ran.signal = ran.exit_code - 128;
  return ran;
}

std::set<std::string> files_in(const fs::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.insert(entry.path().filename());
  return names;
}

class ConvertCli : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() /
              ("imagesprint-convert-cli-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
    fs::create_directories(folder_ / "in");
    fs::copy_file(test::corpus("photos/fallenleaf-2560x1600.jpg"), folder_ / "in" / "leaf.jpg");
    fs::copy_file(test::corpus("edge/with-alpha.png"), folder_ / "in" / "alpha.png");
  }
  void TearDown() override { fs::remove_all(folder_); }

  fs::path folder_;
};

TEST_F(ConvertCli, ConvertsAFolderAndNamesTheFileItCouldNot) {
  std::ofstream(folder_ / "in" / "notes.txt") << "not an image\n";
  std::ofstream(folder_ / "in" / ".DS_Store") << "Bud1";  // hidden: left out, not failed
  const Ran ran = imagesprint("convert in -o out --width 64 --format webp", folder_);
  EXPECT_EQ(ran.exit_code, 1) << ran.output;
  EXPECT_EQ(files_in(folder_ / "out"), (std::set<std::string>{"leaf.webp", "alpha.webp"}));
  EXPECT_NE(ran.output.find("notes.txt: unsupported file type"), std::string::npos) << ran.output;
  EXPECT_NE(ran.output.find("2 ok, 1 failed"), std::string::npos) << ran.output;
}

TEST_F(ConvertCli, AMissingInputIsNamedWithTheSystemsReason) {
  const Ran ran = imagesprint("convert in/leaf.jpg in/gone.jpg -o out --width 64", folder_);
  EXPECT_EQ(ran.exit_code, 1) << ran.output;
  EXPECT_NE(ran.output.find("gone.jpg: No such file or directory"), std::string::npos)
      << ran.output;
  EXPECT_EQ(files_in(folder_ / "out"), (std::set<std::string>{"leaf.jpg"}));
}

// An output folder that is a file aborted the process (an uncaught filesystem_error).
TEST_F(ConvertCli, AnOutputFolderThatIsAFileIsAnErrorNotAnAbort) {
  std::ofstream(folder_ / "taken") << "a file\n";
  const Ran ran = imagesprint("convert in -o taken --width 64", folder_);
  EXPECT_EQ(ran.signal, 0) << ran.output;
  EXPECT_EQ(ran.exit_code, 2) << ran.output;
  EXPECT_NE(ran.output.find("-o taken: cannot make the folder: Not a directory"), std::string::npos)
      << ran.output;
}

// Under a file-size limit the first large output ended the process (SIGXFSZ). Now each output
// that does not fit fails with the reason, and the small one is still written.
TEST_F(ConvertCli, AFileSizeLimitFailsTheFilesNotTheProcess) {
  const Ran ran =
      imagesprint("convert in -o out --format png", folder_, "ulimit -f 64;");  // 64 KiB
  EXPECT_EQ(ran.signal, 0) << ran.output;
  EXPECT_EQ(ran.exit_code, 1) << ran.output;
  EXPECT_NE(ran.output.find("leaf.png: File too large"), std::string::npos) << ran.output;
  EXPECT_EQ(files_in(folder_ / "out"), (std::set<std::string>{"alpha.png"}));
}

/// Width and height from a PNG's IHDR chunk; {0, 0} when the file is not a PNG.
std::pair<int, int> png_size(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  unsigned char head[24] = {};
  in.read(reinterpret_cast<char*>(head), sizeof head);
  if (in.gcount() != sizeof head || head[1] != 'P' || head[2] != 'N' || head[3] != 'G') return {};
  const auto be32 = [&](int at) {
    return (head[at] << 24) | (head[at + 1] << 16) | (head[at + 2] << 8) | head[at + 3];
  };
  return {be32(16), be32(20)};
}

// The flags become the API's options JSON (one validation path): a cover crop to an exact box
// with a watermark, and a bad value refused naming its field, before any file is read.
TEST_F(ConvertCli, FlagsBecomeTheSameOptionsTheApiTakes) {
  const Ran ran = imagesprint(
      "convert in/leaf.jpg -o out --width 200 --height 100 --fit cover --gravity attention "
      "--format png --watermark-text Hi --watermark-position TOP_LEFT --watermark-opacity 0.9",
      folder_);
  EXPECT_EQ(ran.exit_code, 0) << ran.output;
  EXPECT_EQ(png_size(folder_ / "out" / "leaf.png"), std::make_pair(200, 100)) << ran.output;

  const Ran refused = imagesprint("convert in -o refused --quality 150", folder_);
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("quality: expected an integer from 1 to 100, got 150"),
            std::string::npos)
      << refused.output;
  EXPECT_FALSE(fs::exists(folder_ / "refused"));
}

TEST_F(ConvertCli, VersionNamesTheReleaseAndItsLibvips) {
  const Ran ran = imagesprint("--version", folder_);
  EXPECT_EQ(ran.exit_code, 0) << ran.output;
  EXPECT_TRUE(ran.output.starts_with("imagesprint ")) << ran.output;
  EXPECT_NE(ran.output.find("(libvips 8."), std::string::npos) << ran.output;
}

}  // namespace
}  // namespace imagesprint
