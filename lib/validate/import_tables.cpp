#include "validate/import_tables.hpp"

#include "core/strings.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace aiops::validate {

namespace {

/// Calls visit with the words of each line that is neither blank nor a comment.
template <typename Visit> void for_each_entry(std::string_view text, Visit&& visit)
{
    std::vector<std::string_view> words;
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        std::string_view line = core::trim(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
        if (line.empty() || line.front() == '#') {
            continue;
        }
        words.clear();
        while (!line.empty()) {
            const std::size_t space = std::min(line.find(' '), line.size());
            words.push_back(line.substr(0, space));
            line = core::trim(line.substr(space));
        }
        visit(words);
    }
}

StringMap<StdlibSpan> read_python_stdlib()
{
    StringMap<StdlibSpan> modules;
    for_each_entry(embedded_import_table("python_stdlib.txt"), [&](const auto& words) {
        StdlibSpan span;
        for (std::size_t i = 1; i < words.size(); ++i) {
            const auto version = parse_python_version(words[i].substr(1));
            if (version && words[i].front() == '+') {
                span.since = *version;
            } else if (version && words[i].front() == '-') {
                span.removed = *version;
            }
        }
        modules.emplace(std::string(words[0]), span);
    });
    return modules;
}

ImportTables read_tables()
{
    ImportTables tables;
    tables.python_stdlib = read_python_stdlib();
    for_each_entry(embedded_import_table("python_packages.txt"), [&](const auto& words) {
        auto& packages = tables.python_packages[std::string(words[0])];
        packages.assign(words.begin() + 1, words.end());
    });
    for_each_entry(embedded_import_table("node_builtins.txt"), [&](const auto& words) {
        tables.node_builtins.emplace(std::string(words[0]), words.size() > 1 && words[1] == "!");
    });
    for_each_entry(embedded_import_table("go_std.txt"),
                   [&](const auto& words) { tables.go_std.emplace(words[0]); });
    for_each_entry(embedded_import_table("java_jdk.txt"),
                   [&](const auto& words) { tables.java_jdk.emplace(words[0]); });
    return tables;
}

} // namespace

std::string format_version(PythonVersion version)
{
    return fmt::format("{}.{}", version.major, version.minor);
}

std::optional<PythonVersion> parse_python_version(std::string_view text)
{
    PythonVersion version;
    const char* end = text.data() + text.size();
    auto [after_major, major_error] = std::from_chars(text.data(), end, version.major);
    if (major_error != std::errc() || after_major == end || *after_major != '.') {
        return std::nullopt;
    }
    auto [after_minor, minor_error] = std::from_chars(after_major + 1, end, version.minor);
    if (minor_error != std::errc() || (after_minor != end && *after_minor != '.')) {
        return std::nullopt;
    }
    return version;
}

bool java_import_in(std::string_view name, const std::function<bool(std::string_view)>& package)
{
    for (std::size_t end = name.size(); end != std::string_view::npos && end > 0;
         end = end == 0 ? std::string_view::npos : name.rfind('.', end - 1)) {
        if (!package(name.substr(0, end))) {
            continue;
        }
        return end == name.size()
               || (end + 1 < name.size()
                   && std::isupper(static_cast<unsigned char>(name[end + 1])) != 0);
    }
    return false;
}

const ImportTables& import_tables()
{
    static const ImportTables tables = read_tables();
    return tables;
}

} // namespace aiops::validate
