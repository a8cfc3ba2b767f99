#pragma once
// write_file_atomically: replaces `path` with `bytes` so that readers see either the old file or the
// complete new one, never a partial file, even after a crash (Note [Atomic replace]).
#include <filesystem>
#include <span>
#include <string_view>

namespace syn::train {

// Note [Atomic replace]
// The bytes go to a new temporary file in the same directory (".<name>.tmp-XXXXXX", created by
// mkstemp, so never a clash), which is flushed to disk (fsync) and then renamed over `path` (rename is
// atomic within one file system); finally the directory is fsynced so that the rename itself is
// durable. On any failure the temporary file is removed and `path` is left as it was (an existing
// file is not lost), and a syn::Error names the path and the system's reason.
void write_file_atomically(const std::filesystem::path& path, std::span<const char> bytes);

// Checks, before any work, that write_file_atomically(path, ...) can succeed as far as the file system
// tells now: `path` is not a directory and a temporary file can be created (and is removed again) in
// its directory. ValueError naming `what` (the option, e.g. "--out"), the path and the reason.
void check_writable(const std::filesystem::path& path, std::string_view what);

}  // namespace syn::train
