// durable_file.cpp — write, fsync, rename, fsync the directory (POSIX).
#include "wire/durable_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace postino::wire {
namespace {

Error sys_error(const std::string& what, const std::string& path) {
    return Error{what + ": " + std::strerror(errno), path};
}

std::string parent_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

}  // namespace

Status sync_dir(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return sys_error("cannot open directory", path);
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) return sys_error("cannot fsync directory", path);
    return {};
}

Status write_durably(const std::string& tmp_path, const std::string& final_path, std::string_view bytes) {
    const int fd = ::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return sys_error("cannot create file", tmp_path);
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            Error e = sys_error("cannot write file", tmp_path);
            ::close(fd);
            ::unlink(tmp_path.c_str());
            return e;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        Error e = sys_error("cannot fsync file", tmp_path);
        ::close(fd);
        ::unlink(tmp_path.c_str());
        return e;
    }
    ::close(fd);
    if (::rename(tmp_path.c_str(), final_path.c_str()) != 0) {
        Error e = sys_error("cannot rename into place", final_path);
        ::unlink(tmp_path.c_str());
        return e;
    }
    return sync_dir(parent_of(final_path));
}

Status make_dirs(const std::string& path) {
    std::string cur;
    std::size_t i = 0;
    while (i <= path.size()) {
        const auto next = path.find('/', i);
        cur = path.substr(0, next == std::string::npos ? path.size() : next);
        if (!cur.empty() && ::mkdir(cur.c_str(), 0700) != 0 && errno != EEXIST) {
            return sys_error("cannot create directory", cur);
        }
        if (next == std::string::npos) break;
        i = next + 1;
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return Error{"is not a directory", path};
    return {};
}

Result<std::string> read_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return sys_error("cannot open file", path);
    std::string out;
    char buf[64 * 1024];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            Error e = sys_error("cannot read file", path);
            ::close(fd);
            return e;
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

Result<std::vector<std::string>> list_files(const std::string& dir) {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return sys_error("cannot list directory", dir);
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (name.empty() || name[0] == '.') continue;
        struct stat st {};
        if (::stat(path_in(dir, name).c_str(), &st) == 0 && S_ISREG(st.st_mode)) names.push_back(name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

std::uint64_t file_size(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return 0;
    return static_cast<std::uint64_t>(st.st_size);
}

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

bool remove_file(const std::string& path) { return ::unlink(path.c_str()) == 0 || errno == ENOENT; }

Status check_writable(const std::string& dir) {
    const std::string probe = dir + "/.postino-write-test";
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return sys_error("data directory is not writable", dir);
    ::close(fd);
    ::unlink(probe.c_str());
    return {};
}

std::string path_in(std::string_view dir, std::string_view name) {
    std::string p;
    p.reserve(dir.size() + 1 + name.size());
    return p.append(dir).append("/").append(name);
}

std::string path_in(std::string_view dir, std::string_view sub, std::string_view name) {
    std::string p;
    p.reserve(dir.size() + sub.size() + 2 + name.size());
    return p.append(dir).append("/").append(sub).append("/").append(name);
}

}  // namespace postino::wire
