#pragma once

// Small helpers shared by the unit tests. Tests run inside a scratch folder of their
// own (see main.cpp), so relative paths land there.

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace aiops::test {

/// Writes a file (creating its folders) relative to the test's scratch folder.
inline void write_file(const std::filesystem::path& path, std::string_view content)
{
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path());
    }
    std::ofstream out(path, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

/// Runs a shell command in the scratch folder; returns its exit status.
int run(const std::string& command);

} // namespace aiops::test
