#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace aiops::validate {

/// Hashes strings and string views alike, so sets of strings are searched with views.
struct StringHash
{
    using is_transparent = void;

    std::size_t operator()(std::string_view text) const
    {
        return std::hash<std::string_view>{}(text);
    }
};

using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;
template <typename T>
using StringMap = std::unordered_map<std::string, T, StringHash, std::equal_to<>>;

/// A Python language version, major.minor.
struct PythonVersion
{
    int major = 3;
    int minor = 0;

    auto operator<=>(const PythonVersion&) const = default;
};

/// The versions whose standard library the imports check knows.
inline constexpr PythonVersion k_oldest_python{3, 8};
inline constexpr PythonVersion k_newest_python{3, 14};

/// "3.12".
std::string format_version(PythonVersion version);

/// A version from "3.12" (a third component is ignored); nullopt when it is not one.
std::optional<PythonVersion> parse_python_version(std::string_view text);

/// The versions in which a top-level module is part of the standard library:
/// from `since` up to, not including, `removed`.
struct StdlibSpan
{
    PythonVersion since = k_oldest_python;
    std::optional<PythonVersion> removed;

    bool contains(PythonVersion version) const
    {
        return since <= version && (!removed || version < *removed);
    }
};

/// The data the imports check compares imports with, compiled into the binary from
/// lib/validate/data/.
struct ImportTables
{
    StringMap<StdlibSpan> python_stdlib;
    /// Import name (dotted for namespace packages) to the packages that provide it.
    StringMap<std::vector<std::string>> python_packages;
    /// Node.js built-in modules; true for those that exist only with 'node:'.
    StringMap<bool> node_builtins;
    StringSet go_std;
    /// The packages the JDK exports ("java.util", "javax.swing.text").
    StringSet java_jdk;
};

/// Whether a Java import names a class (or all classes) of one of the packages: its
/// longest dotted prefix that is a package is followed by nothing, or by a name that
/// starts with a capital, as class names do ("java.util.List", "java.util",
/// "org.omg.CORBA.ORB"); "java.util.streamz.Collectors" names no class of java.util.
bool java_import_in(std::string_view name, const std::function<bool(std::string_view)>& package);

/// The tables, read once from their embedded text.
const ImportTables& import_tables();

/// The embedded text of a data file ("python_stdlib.txt"); empty when unknown.
std::string_view embedded_import_table(std::string_view name);

} // namespace aiops::validate
