// The `convert` command's use case: local files into a folder, several at once. Each file fails
// alone and with its reason, names never collide, and nothing half-written is left behind.
#include "app/convert_files.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "../adapters/temp_folder.hpp"
#include "support/convert.hpp"
#include "support/corpus.hpp"
#include "support/images.hpp"

namespace imagesprint {
namespace {

namespace fs = std::filesystem;

std::vector<std::uint8_t> read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::set<std::string> files_in(const fs::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.insert(entry.path().filename());
  return names;
}

struct Batch {
  BatchSummary summary;
  std::map<std::string, FileOutcome> outcomes;  // by the input's file name
};

Batch run(const std::vector<fs::path>& inputs, const fs::path& output_dir, const char* options,
          int threads) {
  BatchRequest request;
  request.inputs = inputs;
  request.output_dir = output_dir;
  request.options = test::options(nlohmann::json::parse(options));
  request.threads = threads;
  Batch result;
  std::mutex mutex;
  result.summary = convert_files(request, [&](const FileOutcome& outcome) {
    const std::lock_guard lock(mutex);
    result.outcomes[outcome.input.filename()] = outcome;
  });
  return result;
}

TEST(ConvertFiles, ConvertsEveryFileUnderAUniqueNameOnEveryThread) {
  const test::TempFolder out("convert-files");
  // Two inputs of one base name ("path"), which must not overwrite each other's output.
  const std::vector<fs::path> inputs{test::corpus("photos/path-2560x1600.jpg"),
                                     test::corpus("photos/path-2560x1600.png"),
                                     test::corpus("photos/colorfulcups-2560x1600.jpg")};
  const Batch result = run(inputs, out.path(), R"({"width": 320, "format": "webp"})", 2);

  EXPECT_EQ(result.summary.ok, 3);
  EXPECT_EQ(result.summary.failed, 0);
  EXPECT_EQ(files_in(out.path()),
            (std::set<std::string>{"path-2560x1600.webp", "path-2560x1600-1.webp",
                                   "colorfulcups-2560x1600.webp"}));
  for (const auto& [name, outcome] : result.outcomes) {
    ASSERT_FALSE(outcome.error) << name << ": " << outcome.error->message;
    const auto bytes = read_bytes(outcome.output);
    EXPECT_EQ(test::detected_format(bytes), "webp") << name;
    EXPECT_EQ(bytes.size(), outcome.bytes_out) << name;
    const auto image = test::decode_output(bytes);
    EXPECT_EQ(image.width(), 320) << name;
    EXPECT_EQ(image.height(), 200) << name;
    EXPECT_EQ(outcome.width, 320) << name;
  }
}

TEST(ConvertFiles, ABrokenFileFailsAloneWithItsReason) {
  const test::TempFolder in("convert-files-in");
  const test::TempFolder out("convert-files-out");
  const auto photo = read_bytes(test::corpus("photos/fallenleaf-2560x1600.jpg"));
  {
    std::ofstream cut(in.path() / "cut.jpg", std::ios::binary);
    cut.write(reinterpret_cast<const char*>(photo.data()), 2000);  // the header, a little scan
  }
  const Batch result = run({in.path() / "cut.jpg", test::corpus("photos/fallenleaf-2560x1600.jpg")},
                           out.path(), R"({"width": 200, "format": "png"})", 2);

  EXPECT_EQ(result.summary.ok, 1);
  EXPECT_EQ(result.summary.failed, 1);
  const FileOutcome& cut = result.outcomes.at("cut.jpg");
  ASSERT_TRUE(cut.error);
  EXPECT_EQ(cut.error->code, ErrorCode::corrupt_image) << cut.error->message;
  EXPECT_TRUE(cut.output.empty());
  EXPECT_EQ(files_in(out.path()), (std::set<std::string>{"fallenleaf-2560x1600.png"}));
}

// `convert . -o .` replaced each original with its output, read-only files too. Outputs now
// never take an input's name in the folder they go to; other inputs of that name stay too.
TEST(ConvertFiles, OutputsInTheInputFolderKeepTheOriginals) {
  const test::TempFolder folder("convert-files-same");
  fs::copy_file(test::corpus("photos/fallenleaf-2560x1600.jpg"), folder.path() / "leaf.jpg");
  fs::copy_file(test::corpus("photos/path-2560x1600.png"), folder.path() / "path.png");
  fs::copy_file(test::corpus("photos/path-2560x1600.jpg"), folder.path() / "path.jpg");
  const auto leaf = read_bytes(folder.path() / "leaf.jpg");
  const auto path_jpg = read_bytes(folder.path() / "path.jpg");
  // Relative paths, as `imagesprint convert . -o .` gives them.
  const fs::path cwd = fs::current_path();
  fs::current_path(folder.path());
  const Batch result =
      run({"leaf.jpg", "path.png", "path.jpg"}, ".", R"({"width": 100, "format": "jpeg"})", 2);
  fs::current_path(cwd);

  EXPECT_EQ(result.summary.ok, 3);
  EXPECT_TRUE(read_bytes(folder.path() / "leaf.jpg") == leaf) << "leaf.jpg was overwritten";
  EXPECT_TRUE(read_bytes(folder.path() / "path.jpg") == path_jpg) << "path.jpg was overwritten";
  EXPECT_EQ(files_in(folder.path()),
            (std::set<std::string>{"leaf.jpg", "leaf-1.jpg", "path.png", "path.jpg", "path-1.jpg",
                                   "path-2.jpg"}));
}

// A write the file system refuses (here a file-size limit, as a full disk refuses it) fails
// that file with the system's reason and leaves no file behind, temporary or final.
TEST(ConvertFiles, AWriteTheFileSystemRefusesFailsTheFileAndLeavesNothing) {
  const test::TempFolder out("convert-files-full");
  // The `imagesprint` binary ignores SIGXFSZ from main() on (main/write_signals.cpp); so does
  // this test, or the limit would end it.
  const auto previous_handler = ::signal(SIGXFSZ, SIG_IGN);
  rlimit before{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &before), 0);
  rlimit limited = before;
  limited.rlim_cur = 4096;  // a 1600 px PNG is far more
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
  const Batch result = run({test::corpus("photos/eveningglow-2560x1600.jpg")}, out.path(),
                           R"({"width": 1600, "format": "png"})", 1);
  ::setrlimit(RLIMIT_FSIZE, &before);
  ::signal(SIGXFSZ, previous_handler);

  EXPECT_EQ(result.summary.failed, 1);
  const FileOutcome& outcome = result.outcomes.at("eveningglow-2560x1600.jpg");
  ASSERT_TRUE(outcome.error);
  EXPECT_NE(outcome.error->message.find("File too large"), std::string::npos)
      << outcome.error->message;
  EXPECT_TRUE(outcome.output.empty());
  EXPECT_TRUE(files_in(out.path()).empty());
}

}  // namespace
}  // namespace imagesprint
