#pragma once
// A raw TCP connection to the service on 127.0.0.1: the exact bytes of a request, sent in as many
// pieces and with as many pauses as a test needs, and whatever comes back, without a client
// library tidying either.
#include <string>
#include <utility>
#include <vector>

#include "serve_process.hpp"

namespace imagesprint::test {

class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  /// Sends every byte; false when the server closed the connection first.
  bool send(const std::string& bytes);
  /// Reads until the server closes, `until` appears, or `seconds` pass. closed() tells which.
  /// Returns everything received so far.
  std::string read(int seconds, const std::string& until = "");
  bool closed() const { return closed_; }

 private:
  int fd_;
  bool connected_ = false;
  bool closed_ = false;
  std::string received_;
};

/// The port `server` listens on.
int port_of(const ServeProcess& server);

/// A multipart/form-data body: the text `fields` first, then the `files`, then the closing
/// boundary.
std::string multipart(const std::string& boundary,
                      const std::vector<std::pair<std::string, std::string>>& fields,
                      const std::vector<FilePart>& files = {});

/// The head of a POST with a body of `content_length` bytes: Host, the bearer `token` (if any),
/// the Content-Type and whatever `headers` add ("Name: value" lines).
std::string post_head(int port, const std::string& path, const std::string& token,
                      const std::string& content_type, std::size_t content_length,
                      const std::vector<std::string>& headers = {});

}  // namespace imagesprint::test
