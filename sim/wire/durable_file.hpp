// durable_file.hpp — the POSIX file steps that make "written" mean
// "survives a crash": write to a temporary name, fsync the file, rename it
// into place, fsync the directory (the rename itself is then durable).
// Used by the Maildir store and the spool of `postino serve`; a reader never
// sees a partial file under the final name, because rename(2) is atomic.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace postino::wire {

// Writes `bytes` to `tmp_path`, fsyncs it, renames it to `final_path` and
// fsyncs the directory of `final_path`. On failure the temporary file is
// removed and the error names the path and the system's reason.
Status write_durably(const std::string& tmp_path, const std::string& final_path, std::string_view bytes);
// Creates a directory (and its parents) with mode 0700; fine if it exists.
Status make_dirs(const std::string& path);
// fsync of a directory (after an unlink or rename in it).
Status sync_dir(const std::string& path);
// The whole file, or an error.
Result<std::string> read_file(const std::string& path);
// Names of the regular files of a directory, sorted (never in readdir order).
Result<std::vector<std::string>> list_files(const std::string& dir);
// Size in octets of a regular file (0 when it is gone).
std::uint64_t file_size(const std::string& path);
bool file_exists(const std::string& path);
// unlink(2); true when the file is gone afterwards (removed or already absent).
bool remove_file(const std::string& path);
// Checks that `dir` is a writable directory by creating and removing a probe file.
Status check_writable(const std::string& dir);
// "dir/name" (or "dir/sub/name"), built in one string.
std::string path_in(std::string_view dir, std::string_view name);
std::string path_in(std::string_view dir, std::string_view sub, std::string_view name);

}  // namespace postino::wire
