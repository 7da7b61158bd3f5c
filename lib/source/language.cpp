#include "source/language.hpp"

#include "core/strings.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace aiops::source {

namespace {

struct NameEntry
{
    std::string_view name;
    Language language;
};

constexpr std::pair<Language, std::string_view> k_names[] = {
    {Language::python, "python"},
    {Language::javascript, "javascript"},
    {Language::typescript, "typescript"},
    {Language::tsx, "tsx"},
    {Language::go, "go"},
    {Language::java, "java"},
    {Language::rust, "rust"},
    {Language::bash, "bash"},
    {Language::c, "c"},
    {Language::cpp, "cpp"},
    {Language::ruby, "ruby"},
    {Language::php, "php"},
    {Language::c_sharp, "c_sharp"},
    {Language::json, "json"},
    {Language::yaml, "yaml"},
};

constexpr NameEntry k_aliases[] = {
    {"py", Language::python},
    {"python3", Language::python},
    {"js", Language::javascript},
    {"node", Language::javascript},
    {"jsx", Language::javascript},
    {"ts", Language::typescript},
    {"golang", Language::go},
    {"rs", Language::rust},
    {"sh", Language::bash},
    {"shell", Language::bash},
    {"c++", Language::cpp},
    {"cxx", Language::cpp},
    {"rb", Language::ruby},
    {"cs", Language::c_sharp},
    {"csharp", Language::c_sharp},
    {"c#", Language::c_sharp},
    {"yml", Language::yaml},
};

constexpr NameEntry k_extensions[] = {
    {".py", Language::python},
    {".pyi", Language::python},
    {".pyw", Language::python},
    {".js", Language::javascript},
    {".mjs", Language::javascript},
    {".cjs", Language::javascript},
    {".jsx", Language::javascript},
    {".ts", Language::typescript},
    {".mts", Language::typescript},
    {".cts", Language::typescript},
    {".tsx", Language::tsx},
    {".go", Language::go},
    {".java", Language::java},
    {".rs", Language::rust},
    {".sh", Language::bash},
    {".bash", Language::bash},
    {".c", Language::c},
    {".h", Language::c},
    {".cc", Language::cpp},
    {".cpp", Language::cpp},
    {".cxx", Language::cpp},
    {".c++", Language::cpp},
    {".hh", Language::cpp},
    {".hpp", Language::cpp},
    {".hxx", Language::cpp},
    {".h++", Language::cpp},
    {".ipp", Language::cpp},
    {".rb", Language::ruby},
    {".rake", Language::ruby},
    {".gemspec", Language::ruby},
    {".php", Language::php},
    {".phtml", Language::php},
    {".cs", Language::c_sharp},
    {".json", Language::json},
    {".yaml", Language::yaml},
    {".yml", Language::yaml},
};

constexpr NameEntry k_file_names[] = {
    {"Rakefile", Language::ruby},
    {"Gemfile", Language::ruby},
    {".bashrc", Language::bash},
    {".bash_profile", Language::bash},
    {".profile", Language::bash},
};

constexpr NameEntry k_interpreters[] = {
    {"python", Language::python},
    {"pypy", Language::python},
    {"node", Language::javascript},
    {"nodejs", Language::javascript},
    {"ts-node", Language::typescript},
    {"sh", Language::bash},
    {"bash", Language::bash},
    {"dash", Language::bash},
    {"ruby", Language::ruby},
    {"php", Language::php},
};

std::optional<Language> find(const auto& table, std::string_view key)
{
    for (const auto& entry : table) {
        if (entry.name == key) {
            return entry.language;
        }
    }
    return std::nullopt;
}

// "python3.12" and "python3" name the same interpreter as "python".
std::string_view strip_version(std::string_view program)
{
    while (!program.empty()
           && ((program.back() >= '0' && program.back() <= '9') || program.back() == '.')) {
        program.remove_suffix(1);
    }
    return program;
}

} // namespace

std::string_view language_name(Language language)
{
    for (const auto& [entry, name] : k_names) {
        if (entry == language) {
            return name;
        }
    }
    return "unknown";
}

std::optional<Language> language_from_name(std::string_view name)
{
    const std::string lowered = core::to_lower(name);
    for (const auto& [entry, canonical] : k_names) {
        if (canonical == lowered) {
            return entry;
        }
    }
    return find(k_aliases, lowered);
}

std::optional<Language> language_from_path(const std::filesystem::path& path)
{
    const std::string file_name = path.filename().string();
    if (auto by_name = find(k_file_names, file_name)) {
        return by_name;
    }
    return find(k_extensions, core::to_lower(path.extension().string()));
}

std::optional<Language> language_from_shebang(std::string_view line)
{
    if (line.substr(0, 2) != "#!") {
        return std::nullopt;
    }
    line.remove_prefix(2);
    std::string spaced(core::trim(line));
    std::replace(spaced.begin(), spaced.end(), '\t', ' ');
    std::vector<std::string> words;
    for (const auto& word : core::split(spaced, ' ')) {
        if (!word.empty() && word != "-S" && word.find('=') == std::string::npos) {
            words.push_back(word);
        }
    }
    if (words.empty()) {
        return std::nullopt;
    }
    std::string_view program = words[0];
    // "#!/usr/bin/env python3": the program is env's first argument.
    if (program.ends_with("/env") && words.size() > 1) {
        program = words[1];
    }
    const std::size_t slash = program.rfind('/');
    if (slash != std::string_view::npos) {
        program.remove_prefix(slash + 1);
    }
    return find(k_interpreters, strip_version(program));
}

bool may_have_shebang(const std::filesystem::path& path)
{
    return !path.has_extension();
}

} // namespace aiops::source
