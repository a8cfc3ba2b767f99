#include "synapse/train/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "synapse/core/error.hpp"

namespace syn::train {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const char* step, int error) {
  throw Error(detail::concat("cannot write '", path.string(), "': ", step, ": ", std::strerror(error)));
}

// Closes the descriptor and removes the temporary file unless released.
class TempFile {
 public:
  explicit TempFile(std::string name) : name_(std::move(name)) {
    std::vector<char> templ(name_.begin(), name_.end());
    templ.push_back('\0');
    fd_ = mkstemp(templ.data());
    name_ = templ.data();
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!released_) ::unlink(name_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const { return fd_; }
  const std::string& name() const { return name_; }
  // Closes the descriptor; returns 0 or errno.
  int close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }
  void release() { released_ = true; }

 private:
  std::string name_;
  int fd_ = -1;
  bool released_ = false;
};

std::filesystem::path directory_of(const std::filesystem::path& path) {
  return path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
}

// ".<name>.tmp-XXXXXX" beside path (Note [Atomic replace]).
std::string temp_template(const std::filesystem::path& path) {
  std::string name = ".";  // appended, not a + chain: GCC 12 warns falsely (-Wrestrict) on that
  name += path.filename().string();
  name += ".tmp-XXXXXX";
  return (directory_of(path) / name).string();
}

}  // namespace

void check_writable(const std::filesystem::path& path, std::string_view what) {
  const std::string where = detail::concat(what, ": cannot write '", path.string(), "'");
  SYN_CHECK_T(ValueError, !path.empty() && path.has_filename(), where, ": expected a file name");
  std::error_code ec;
  SYN_CHECK_T(ValueError, !std::filesystem::is_directory(path, ec), where,
              ": is a directory (expected a file name)");
  const std::filesystem::path dir = directory_of(path);
  SYN_CHECK_T(ValueError, std::filesystem::is_directory(dir, ec), where, ": its directory '", dir.string(),
              "' ", std::filesystem::exists(dir, ec) ? "is not a directory" : "does not exist");
  TempFile probe(temp_template(path));
  SYN_CHECK_T(ValueError, probe.fd() >= 0, where, ": cannot create a file in '", dir.string(),
              "': ", std::strerror(errno));
}

void write_file_atomically(const std::filesystem::path& path, std::span<const char> bytes) {
  const std::filesystem::path dir = directory_of(path);
  TempFile temp(temp_template(path));
  if (temp.fd() < 0) fail(path, "creating a temporary file", errno);
  if (::fchmod(temp.fd(), 0644) != 0) fail(path, "setting permissions", errno);  // mkstemp gives 0600
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(temp.fd(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(path, "writing", n < 0 ? errno : EIO);
    done += static_cast<size_t>(n);
  }
  if (::fsync(temp.fd()) != 0) fail(path, "flushing to disk", errno);
  if (const int error = temp.close()) fail(path, "closing", error);
  if (::rename(temp.name().c_str(), path.c_str()) != 0)
    fail(path, "renaming the temporary file over it", errno);
  temp.release();
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); dfd >= 0) {
    ::fsync(dfd);  // makes the rename durable; the file is already complete either way
    ::close(dfd);
  }
}

}  // namespace syn::train
