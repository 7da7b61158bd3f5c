#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string_view>

namespace aiops::source {

/// The languages aiops has a grammar for.
enum class Language
{
    python,
    javascript,
    typescript,
    tsx,
    go,
    java,
    rust,
    bash,
    c,
    cpp,
    ruby,
    php,
    c_sharp,
    json,
    yaml,
};

inline constexpr std::array k_languages{
    Language::python,
    Language::javascript,
    Language::typescript,
    Language::tsx,
    Language::go,
    Language::java,
    Language::rust,
    Language::bash,
    Language::c,
    Language::cpp,
    Language::ruby,
    Language::php,
    Language::c_sharp,
    Language::json,
    Language::yaml,
};

/// The canonical name ("python", "c_sharp", ...), as `--lang` and reports spell it.
std::string_view language_name(Language language);

/// A language from its name or a common alias ("py", "js", "ts", "sh", "c++", "cs",
/// "yml", "golang"); nullopt when unknown.
std::optional<Language> language_from_name(std::string_view name);

/// The language of a file from its name or extension; nullopt when neither tells.
std::optional<Language> language_from_path(const std::filesystem::path& path);

/// The language a "#!" first line names (python, node, sh, bash, ruby, php, ...).
std::optional<Language> language_from_shebang(std::string_view first_line);

/// Whether a file without a known extension may still be a script worth reading for
/// its shebang: it has no extension at all.
bool may_have_shebang(const std::filesystem::path& path);

} // namespace aiops::source
