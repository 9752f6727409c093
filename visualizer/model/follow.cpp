// follow.cpp — incremental reading of a growing trace file.
#include "model/follow.hpp"

#include <sys/stat.h>

#include <fstream>
#include <vector>

namespace postino::viz {

FollowReader::Status FollowReader::poll(TraceModel& model) {
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0) return Status::missing;
    const auto size = static_cast<std::uint64_t>(st.st_size);
    const auto inode = static_cast<std::uint64_t>(st.st_ino);
    if ((have_inode_ && inode != inode_) || size < offset_) return Status::restart;
    inode_ = inode;
    have_inode_ = true;
    if (size == offset_) return Status::nothing;
    std::ifstream in(path_, std::ios::binary);
    if (!in) return Status::missing;
    in.seekg(static_cast<std::streamoff>(offset_));
    std::vector<char> buf(static_cast<std::size_t>(std::min<std::uint64_t>(size - offset_, 64ull << 20)));
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) return Status::nothing;
    const std::size_t before = model.size();
    model.feed(std::string_view(buf.data(), got));
    offset_ += got;
    return model.size() > before ? Status::grew : Status::nothing;
}

}  // namespace postino::viz
