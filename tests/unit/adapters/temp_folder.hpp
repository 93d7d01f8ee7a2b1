#pragma once
// A fresh folder under the system's temporary directory, removed with everything in it when the
// object goes away. Named after the process and a counter, so parallel test processes (ctest -j)
// and several folders in one test never collide.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace imagesprint::test {

class TempFolder {
 public:
  explicit TempFolder(const std::string& purpose = "test") {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("imagesprint-" + purpose + "-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace imagesprint::test
