#pragma once

#include "core/error.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace aiops::validate {

// What the readers of manifests (manifests.cpp, requirements_files.cpp,
// manifests_node_go.cpp) share: errors at a position, and the pieces of a
// requirement line that are not PEP 508.

/// An input error "shown:line:column: what".
core::Error input_error(const std::string& shown, int line, int column, std::string_view what);

/// An input error at a byte offset of the text.
core::Error input_error_at(const std::string& shown,
                           std::string_view text,
                           std::size_t offset,
                           std::string_view what);

/// A character of a Python distribution name.
bool is_name_char(char c);

bool is_space(char c);

/// Removes a comment: '#' at the start or after white space ("pkg==1  # pinned"), not the
/// one of "git+https://host/repo#egg=pkg".
std::string_view strip_comment(std::string_view line);

/// Whether a requirement is a bare URL or path ("git+https://...#egg=x", "./dist/x.whl")
/// rather than a name: its first word, up to white space or a marker's ';', looks like one.
bool looks_like_url_or_path(std::string_view spec);

/// The package of a URL or local path: its `#egg=` name, or the name of a wheel or
/// source archive file ("dist/pkg_name-1.0-py3-none-any.whl" is "pkg_name").
std::optional<std::string> url_package(std::string_view spec);

} // namespace aiops::validate
