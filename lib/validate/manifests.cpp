#include "validate/manifests.hpp"

#include "core/line_index.hpp"
#include "core/strings.hpp"
#include "validate/manifest_text.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace aiops::validate {

namespace {

/// The package an `#egg=name` fragment names, if any.
std::optional<std::string> egg_name(std::string_view url)
{
    const std::size_t egg = url.find("#egg=");
    if (egg == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view name = url.substr(egg + 5);
    std::size_t end = 0;
    while (end < name.size() && is_name_char(name[end])) {
        ++end;
    }
    if (end == 0) {
        return std::nullopt;
    }
    return std::string(name.substr(0, end));
}

} // namespace

core::Error input_error(const std::string& shown, int line, int column, std::string_view what)
{
    return core::Error(core::ErrorCode::input,
                       fmt::format("{}:{}:{}: {}", shown, line, column, what));
}

core::Error input_error_at(const std::string& shown,
                           std::string_view text,
                           std::size_t offset,
                           std::string_view what)
{
    const core::TextPosition at = core::LineIndex(text).position(offset);
    return input_error(shown, at.line, at.column, what);
}

bool is_name_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
}

bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

std::string_view strip_comment(std::string_view line)
{
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '#' && (i == 0 || is_space(line[i - 1]))) {
            return line.substr(0, i);
        }
    }
    return line;
}

bool looks_like_url_or_path(std::string_view spec)
{
    spec = spec.substr(0, std::min(spec.find_first_of(" \t;"), spec.size()));
    return spec.find("://") != std::string_view::npos || spec.starts_with("git+")
           || spec.starts_with("hg+") || spec.starts_with("svn+") || spec.starts_with("bzr+")
           || spec.starts_with('.') || spec.starts_with('/') || spec.ends_with(".whl")
           || spec.ends_with(".tar.gz") || spec.ends_with(".zip");
}

std::optional<std::string> url_package(std::string_view spec)
{
    if (auto egg = egg_name(spec)) {
        return egg;
    }
    const bool archive =
        spec.ends_with(".whl") || spec.ends_with(".tar.gz") || spec.ends_with(".zip");
    if (!archive) {
        return std::nullopt;
    }
    std::string_view file = spec.substr(spec.find_last_of('/') + 1);
    const std::size_t dash = file.find('-');
    if (dash == 0 || dash == std::string_view::npos) {
        return std::nullopt;
    }
    return std::string(file.substr(0, dash));
}

namespace {

// --- TOML files ---------------------------------------------------------------------

core::Error toml_error(const std::string& shown, const toml::node& node, std::string_view what)
{
    const toml::source_region& where = node.source();
    return input_error(shown,
                       static_cast<int>(std::max<toml::source_index>(where.begin.line, 1)),
                       static_cast<int>(std::max<toml::source_index>(where.begin.column, 1)),
                       what);
}

/// An error at a byte of a TOML string's value: exact when the string is written on
/// one line without escapes, else at the string's start.
core::Error toml_string_error(const std::string& shown,
                              std::string_view text,
                              const toml::node& node,
                              std::size_t offset,
                              std::string_view what)
{
    const toml::source_region& where = node.source();
    const auto* value = node.as_string();
    if (value != nullptr && where.begin.line == where.end.line && where.begin.line > 0) {
        const std::string_view line =
            core::LineIndex(text).line_text(static_cast<int>(where.begin.line));
        const std::size_t column = where.begin.column;
        const bool ascii_before = column <= line.size()
                                  && std::all_of(line.begin(),
                                                 line.begin() + static_cast<long>(column - 1),
                                                 [](char c) { return (c & 0x80) == 0; });
        const std::string_view written = ascii_before ? line.substr(column - 1) : "";
        const std::string& inner = value->get();
        if (written.size() > inner.size() && (written[0] == '"' || written[0] == '\'')
            && written.substr(1, inner.size()) == inner) {
            // Columns count code points: the continuation bytes before the offset do not.
            const std::string_view before = std::string_view(inner).substr(0, offset);
            const auto points = std::count_if(
                before.begin(), before.end(), [](char c) { return (c & 0xC0) != 0x80; });
            return input_error(shown,
                               static_cast<int>(where.begin.line),
                               static_cast<int>(column + 1 + static_cast<std::size_t>(points)),
                               what);
        }
    }
    return toml_error(shown, node, what);
}

core::Result<toml::table> parse_toml(std::string_view text, const std::string& shown)
{
    try {
        return toml::parse(text, shown);
    } catch (const toml::parse_error& error) {
        return input_error(shown,
                           static_cast<int>(error.source().begin.line),
                           static_cast<int>(error.source().begin.column),
                           fmt::format("invalid TOML: {}", error.description()));
    }
}

/// Adds the names of an array of PEP 508 strings. Tables in the array (PEP 735's
/// `{include-group = "..."}`) declare nothing of their own.
core::Result<bool> add_requirement_array(const toml::node* node,
                                         std::string_view key,
                                         const std::string& shown,
                                         std::string_view text_of_file,
                                         PythonManifest& manifest)
{
    if (node == nullptr) {
        return true;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr) {
        return toml_error(shown, *node, fmt::format("'{}' must be an array of strings", key));
    }
    for (const toml::node& item : *array) {
        if (item.is_table()) {
            continue;
        }
        const auto* text = item.as_string();
        if (text == nullptr) {
            return toml_error(shown, item, fmt::format("'{}' must be an array of strings", key));
        }
        std::size_t error_offset = 0;
        auto name = requirement_name(text->get(), error_offset);
        if (!name) {
            if (looks_like_url_or_path(text->get())) {
                continue;
            }
            return toml_string_error(
                shown, text_of_file, item, error_offset, name.error().message());
        }
        manifest.packages.push_back(std::move(*name));
    }
    return true;
}

/// Adds every array of a table of arrays (optional-dependencies, dependency-groups).
core::Result<bool> add_requirement_groups(const toml::node* node,
                                          std::string_view key,
                                          const std::string& shown,
                                          std::string_view text_of_file,
                                          PythonManifest& manifest)
{
    if (node == nullptr) {
        return true;
    }
    const toml::table* groups = node->as_table();
    if (groups == nullptr) {
        return toml_error(shown, *node, fmt::format("'{}' must be a table", key));
    }
    for (const auto& [group, requirements] : *groups) {
        const std::string name = fmt::format("{}.{}", key, group.str());
        auto added = add_requirement_array(&requirements, name, shown, text_of_file, manifest);
        if (!added) {
            return added.error();
        }
    }
    return true;
}

/// Whose table of packages: the two write versions differently.
enum class PackageTable
{
    poetry,  ///< "^3.1", ">=2 <3", "~1.2 || ^2": see check_poetry_constraint
    pipfile, ///< "*" or a PEP 440 specifier set
};

/// Checks the version constraint of a package (or of Python) in a package table.
core::Result<bool> check_package_version(PackageTable flavour,
                                         const toml::node& node,
                                         std::string_view key,
                                         const std::string& shown,
                                         std::string_view text)
{
    const auto* version = node.as_string();
    if (version == nullptr) {
        return toml_error(
            shown, node, fmt::format("'{}' must be a version constraint string", key));
    }
    std::size_t error_offset = 0;
    const std::string& written = version->get();
    auto checked = flavour == PackageTable::poetry ? check_poetry_constraint(written, error_offset)
                   : written == "*"                ? core::Result<bool>(true)
                                    : check_version_specifiers(written, error_offset);
    if (!checked) {
        return toml_string_error(shown,
                                 text,
                                 node,
                                 error_offset,
                                 fmt::format("in '{}': {}", key, checked.error().message()));
    }
    return true;
}

/// Checks one package's table: `{version = "^2", optional = true, extras = [...]}`.
core::Result<bool> check_package_details(PackageTable flavour,
                                         const toml::table& details,
                                         std::string_view key,
                                         const std::string& shown,
                                         std::string_view text)
{
    for (const auto& [name, value] : details) {
        const std::string field = fmt::format("{}.{}", key, name.str());
        const std::string_view n = name.str();
        if (n == "version" || (flavour == PackageTable::poetry && n == "python")) {
            if (auto checked = check_package_version(flavour, value, field, shown, text);
                !checked) {
                return checked;
            }
        } else if (n == "optional" || n == "develop" || n == "allow-prereleases"
                   || n == "editable") {
            if (!value.is_boolean()) {
                return toml_error(shown, value, fmt::format("'{}' must be true or false", field));
            }
        } else if (n == "extras") {
            const toml::array* extras = value.as_array();
            if (extras == nullptr
                || !std::all_of(extras->begin(), extras->end(), [](const toml::node& extra) {
                       return extra.is_string();
                   })) {
                return toml_error(
                    shown, value, fmt::format("'{}' must be an array of strings", field));
            }
        } else if (n == "markers" && !value.is_string()) {
            return toml_error(shown, value, fmt::format("'{}' must be a string", field));
        }
    }
    return true;
}

/// Checks how one package of a table is declared: a version constraint, a table of
/// details, or (Poetry) an array of such tables, one per environment.
core::Result<bool> check_package_entry(PackageTable flavour,
                                       const toml::node& value,
                                       std::string_view key,
                                       const std::string& shown,
                                       std::string_view text)
{
    if (value.is_string()) {
        return check_package_version(flavour, value, key, shown, text);
    }
    if (const toml::table* details = value.as_table()) {
        return check_package_details(flavour, *details, key, shown, text);
    }
    if (const toml::array* alternatives = value.as_array();
        alternatives != nullptr && flavour == PackageTable::poetry) {
        for (const toml::node& alternative : *alternatives) {
            const toml::table* details = alternative.as_table();
            if (details == nullptr) {
                return toml_error(shown, alternative, fmt::format("'{}' must hold tables", key));
            }
            if (auto checked = check_package_details(flavour, *details, key, shown, text);
                !checked) {
                return checked;
            }
        }
        return true;
    }
    return toml_error(
        shown, value, fmt::format("'{}' must be a version constraint string or a table", key));
}

/// PEP 735: a `{include-group = "name"}` item must name another group of the table
/// (names compare as normalised package names), and no group may include itself, by
/// way of others or directly.
core::Result<bool> check_group_includes(const toml::node* node, const std::string& shown)
{
    const toml::table* groups = node == nullptr ? nullptr : node->as_table();
    if (groups == nullptr) {
        return true; // add_requirement_groups reports the wrong type
    }
    std::map<std::string, std::vector<std::pair<std::string, const toml::node*>>> includes;
    for (const auto& [group, items] : *groups) {
        auto& named = includes[normalise_python_name(group.str())];
        const toml::array* array = items.as_array();
        for (std::size_t i = 0; array != nullptr && i < array->size(); ++i) {
            const toml::table* item = (*array)[i].as_table();
            if (item == nullptr) {
                continue;
            }
            const toml::node* include = item->get("include-group");
            if (include == nullptr || !include->is_string() || item->size() != 1) {
                return toml_error(shown,
                                  (*array)[i],
                                  fmt::format("a table in 'dependency-groups.{}' must be "
                                              "{{include-group = \"name\"}}",
                                              group.str()));
            }
            named.emplace_back(normalise_python_name(include->as_string()->get()), include);
        }
    }
    for (const auto& [group, named] : includes) {
        for (const auto& [target, where] : named) {
            if (!includes.contains(target)) {
                return toml_error(shown,
                                  *where,
                                  fmt::format("include-group '{}' names no group of "
                                              "[dependency-groups]",
                                              where->as_string()->get()));
            }
        }
    }
    // A walk from each group: meeting the group again is a cycle.
    for (const auto& [start, named] : includes) {
        std::vector<std::string> pending{start};
        std::set<std::string> seen;
        while (!pending.empty()) {
            const std::string current = pending.back();
            pending.pop_back();
            for (const auto& [target, where] : includes[current]) {
                if (target == start) {
                    return toml_error(shown,
                                      *where,
                                      fmt::format("include-group '{}' makes group '{}' include "
                                                  "itself",
                                                  where->as_string()->get(),
                                                  start));
                }
                if (seen.insert(target).second) {
                    pending.push_back(target);
                }
            }
        }
    }
    return true;
}

/// Adds the keys of a table of packages (Poetry, Pipfile), each checked as its tool
/// reads it; `python` is the version the project needs, not a package.
core::Result<bool> add_package_table(PackageTable flavour,
                                     const toml::node* node,
                                     std::string_view key,
                                     const std::string& shown,
                                     std::string_view text,
                                     PythonManifest& manifest)
{
    if (node == nullptr) {
        return true;
    }
    const toml::table* packages = node->as_table();
    if (packages == nullptr) {
        return toml_error(shown, *node, fmt::format("'{}' must be a table", key));
    }
    for (const auto& [name, value] : *packages) {
        const std::string entry = fmt::format("{}.{}", key, name.str());
        if (name.str() == "python" && flavour == PackageTable::poetry) {
            if (auto checked = check_package_version(flavour, value, entry, shown, text);
                !checked) {
                return checked;
            }
            manifest.requires_python = value.as_string()->get();
            continue;
        }
        if (auto checked = check_package_entry(flavour, value, entry, shown, text); !checked) {
            return checked;
        }
        manifest.packages.emplace_back(name.str());
    }
    return true;
}

/// Adds the files of one `{file = "a.txt"}` or `{file = ["a.txt", "b.txt"]}` table.
core::Result<bool> add_file_table(const toml::node& node,
                                  std::string_view key,
                                  const std::string& shown,
                                  PythonManifest& manifest)
{
    const toml::table* table = node.as_table();
    const toml::node* files = table == nullptr ? nullptr : table->get("file");
    if (files == nullptr) {
        return toml_error(shown, node, fmt::format("'{}' must be a table with 'file'", key));
    }
    const auto add = [&](const toml::node& file) -> core::Result<bool> {
        const auto* path = file.as_string();
        if (path == nullptr) {
            return toml_error(shown, file, fmt::format("'{}.file' must hold strings", key));
        }
        manifest.requirement_files.push_back(
            {path->get(),
             static_cast<int>(std::max<toml::source_index>(file.source().begin.line, 1)),
             static_cast<int>(std::max<toml::source_index>(file.source().begin.column, 1))});
        return true;
    };
    if (const toml::array* list = files->as_array()) {
        for (const toml::node& file : *list) {
            if (auto added = add(file); !added) {
                return added;
            }
        }
        return true;
    }
    return add(*files);
}

/// Adds the files setuptools reads dependencies from: [tool.setuptools.dynamic]
/// dependencies and each group of optional-dependencies.
core::Result<bool>
add_dynamic_files(const toml::node* dynamic, const std::string& shown, PythonManifest& manifest)
{
    const toml::table* table = dynamic == nullptr ? nullptr : dynamic->as_table();
    if (table == nullptr) {
        return true;
    }
    if (const toml::node* dependencies = table->get("dependencies")) {
        if (auto added = add_file_table(
                *dependencies, "tool.setuptools.dynamic.dependencies", shown, manifest);
            !added) {
            return added;
        }
    }
    const toml::node* optional = table->get("optional-dependencies");
    if (optional == nullptr) {
        return true;
    }
    const toml::table* groups = optional->as_table();
    if (groups == nullptr) {
        return toml_error(
            shown, *optional, "'tool.setuptools.dynamic.optional-dependencies' must be a table");
    }
    for (const auto& [group, files] : *groups) {
        const std::string key =
            fmt::format("tool.setuptools.dynamic.optional-dependencies.{}", group.str());
        if (auto added = add_file_table(files, key, shown, manifest); !added) {
            return added;
        }
    }
    return true;
}

std::optional<std::string> toml_string(const toml::node* node)
{
    if (node == nullptr || !node->is_string()) {
        return std::nullopt;
    }
    return node->as_string()->get();
}

// --- setup.cfg ----------------------------------------------------------------------

/// One `key = value` of an INI file, continuation lines joined with '\n'.
struct IniValue
{
    std::string section;
    std::string key;
    std::string value;
    std::size_t offset = 0; ///< where the value starts
};

core::Result<std::vector<IniValue>> parse_ini(std::string_view text, const std::string& shown)
{
    std::vector<IniValue> values;
    std::string section;
    bool in_section = false;
    // As configparser, which setuptools reads setup.cfg with: a section or an option of
    // a section (option names ignore case) given twice is an error.
    std::map<std::string, std::size_t> sections;
    std::map<std::pair<std::string, std::string>, std::size_t> options;
    const auto again = [&](std::string_view what, std::size_t first, std::size_t at) {
        const core::TextPosition before = core::LineIndex(text).position(first);
        return input_error_at(
            shown, text, at, fmt::format("{} given twice (first at line {})", what, before.line));
    };
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        std::string_view line = text.substr(start, end - start);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        const std::string_view trimmed = core::trim(line);
        const std::size_t at = start + (trimmed.data() - line.data());
        start = end + 1;
        if (trimmed.empty() || trimmed.front() == '#' || trimmed.front() == ';') {
            continue;
        }
        if (is_space(line.front())) {
            if (values.empty() || values.back().section != section) {
                return input_error_at(shown, text, at, "indented line outside of a value");
            }
            values.back().value += '\n';
            values.back().value += trimmed;
            continue;
        }
        if (trimmed.front() == '[') {
            if (trimmed.back() != ']' || trimmed.size() < 3) {
                return input_error_at(shown, text, at, "expected '[section]'");
            }
            section = std::string(core::trim(trimmed.substr(1, trimmed.size() - 2)));
            in_section = true;
            if (const auto [first, added] = sections.emplace(section, at); !added) {
                return again(fmt::format("section '[{}]'", section), first->second, at);
            }
            continue;
        }
        const std::size_t equals = trimmed.find_first_of("=:");
        if (equals == std::string_view::npos || core::trim(trimmed.substr(0, equals)).empty()) {
            return input_error_at(shown, text, at, "expected '[section]' or 'key = value'");
        }
        if (!in_section) {
            return input_error_at(shown, text, at, "'key = value' before any '[section]'");
        }
        const std::string_view value = core::trim(trimmed.substr(equals + 1));
        const std::string key(core::trim(trimmed.substr(0, equals)));
        if (const auto [first, added] =
                options.emplace(std::pair{section, core::to_lower(key)}, at);
            !added) {
            return again(fmt::format("option '{}' of [{}]", key, section), first->second, at);
        }
        values.push_back({section,
                          std::string(core::trim(trimmed.substr(0, equals))),
                          std::string(value),
                          value.empty() ? at + equals + 1 : at + (value.data() - trimmed.data())});
    }
    return values;
}

/// Adds the requirements of a setup.cfg list value, one a line.
core::Result<bool> add_cfg_requirements(const IniValue& value,
                                        std::string_view text,
                                        const std::string& shown,
                                        PythonManifest& manifest)
{
    if (value.value.starts_with("file:")) {
        const core::TextPosition at = core::LineIndex(text).position(value.offset);
        for (const auto& piece : core::split(value.value.substr(5), ',')) {
            for (std::string_view word : core::split(piece, '\n')) {
                word = core::trim(word);
                if (!word.empty()) {
                    manifest.requirement_files.push_back({std::string(word), at.line, at.column});
                }
            }
        }
        return true;
    }
    // setuptools splits a list written on several lines at the line ends, and one
    // written on one line at each ';' ("flask; requests"), so a one-line requirement
    // cannot have a marker.
    const char separator = value.value.find('\n') == std::string::npos ? ';' : '\n';
    std::size_t search_from = value.offset;
    for (const auto& piece : core::split(value.value, separator)) {
        const std::string_view line = core::trim(strip_comment(piece));
        if (line.empty()) {
            continue;
        }
        // The joined value lost the lines' offsets; each line is found again in order.
        const std::size_t found = text.find(line, search_from);
        const std::size_t at = found == std::string_view::npos ? value.offset : found;
        search_from = found == std::string_view::npos ? search_from : found + line.size();
        std::size_t error_offset = 0;
        auto name = requirement_name(line, error_offset);
        if (name) {
            manifest.packages.push_back(std::move(*name));
        } else if (!looks_like_url_or_path(line)) {
            return input_error_at(shown,
                                  text,
                                  found == std::string_view::npos ? at : at + error_offset,
                                  fmt::format("in '{}': {}", value.key, name.error().message()));
        }
    }
    return true;
}

} // namespace

std::string normalise_python_name(std::string_view name)
{
    std::string out;
    out.reserve(name.size());
    bool separator = false;
    for (const char c : name) {
        if (c == '-' || c == '_' || c == '.') {
            separator = true;
            continue;
        }
        if (separator && !out.empty()) {
            out += '-';
        }
        separator = false;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

core::Result<PythonManifest> parse_pyproject(std::string_view text, const std::string& shown)
{
    auto document = parse_toml(text, shown);
    if (!document) {
        return document.error();
    }
    const toml::table& root = *document;
    PythonManifest manifest;
    for (const char* key : {"project", "build-system"}) {
        if (const toml::node* node = root.get(key); node != nullptr && !node->is_table()) {
            return toml_error(shown, *node, fmt::format("'{}' must be a table", key));
        }
    }
    if (const toml::node* poetry = root["tool"]["poetry"].node();
        poetry != nullptr && !poetry->is_table()) {
        return toml_error(shown, *poetry, "'tool.poetry' must be a table");
    }
    const toml::node* project = root.get("project");
    if (project != nullptr) {
        const toml::table& table = *project->as_table();
        manifest.project_name = toml_string(table.get("name"));
        if (const toml::node* requires_python = table.get("requires-python")) {
            const auto* specifiers = requires_python->as_string();
            if (specifiers == nullptr) {
                return toml_error(shown, *requires_python, "'requires-python' must be a string");
            }
            std::size_t error_offset = 0;
            if (auto checked = check_version_specifiers(specifiers->get(), error_offset);
                !checked) {
                return toml_string_error(
                    shown,
                    text,
                    *requires_python,
                    error_offset,
                    fmt::format("in 'requires-python': {}", checked.error().message()));
            }
            manifest.requires_python = specifiers->get();
        }
        if (auto added = add_requirement_array(
                table.get("dependencies"), "project.dependencies", shown, text, manifest);
            !added) {
            return added.error();
        }
        if (auto added = add_requirement_groups(table.get("optional-dependencies"),
                                                "project.optional-dependencies",
                                                shown,
                                                text,
                                                manifest);
            !added) {
            return added.error();
        }
    }
    if (auto checked = check_group_includes(root.get("dependency-groups"), shown); !checked) {
        return checked.error();
    }
    if (auto added = add_requirement_groups(
            root.get("dependency-groups"), "dependency-groups", shown, text, manifest);
        !added) {
        return added.error();
    }
    if (const auto* build = root["build-system"].as_table()) {
        if (auto added = add_requirement_array(
                build->get("requires"), "build-system.requires", shown, text, manifest);
            !added) {
            return added.error();
        }
    }
    if (auto added =
            add_dynamic_files(root["tool"]["setuptools"]["dynamic"].node(), shown, manifest);
        !added) {
        return added.error();
    }
    const auto poetry = root["tool"]["poetry"];
    if (const auto* table = poetry.as_table()) {
        if (!manifest.project_name) {
            manifest.project_name = toml_string(table->get("name"));
        }
        for (const char* key : {"dependencies", "dev-dependencies"}) {
            if (auto added = add_package_table(PackageTable::poetry,
                                               table->get(key),
                                               fmt::format("tool.poetry.{}", key),
                                               shown,
                                               text,
                                               manifest);
                !added) {
                return added.error();
            }
        }
        if (const auto* groups = poetry["group"].as_table()) {
            for (const auto& [group, body] : *groups) {
                const toml::node* dependencies =
                    body.is_table() ? body.as_table()->get("dependencies") : nullptr;
                const std::string key =
                    fmt::format("tool.poetry.group.{}.dependencies", group.str());
                if (auto added = add_package_table(
                        PackageTable::poetry, dependencies, key, shown, text, manifest);
                    !added) {
                    return added.error();
                }
            }
        }
    }
    return manifest;
}

core::Result<PythonManifest> parse_setup_cfg(std::string_view text, const std::string& shown)
{
    auto values = parse_ini(text, shown);
    if (!values) {
        return values.error();
    }
    PythonManifest manifest;
    for (const IniValue& value : *values) {
        const bool listed = (value.section == "options"
                             && (value.key == "install_requires" || value.key == "setup_requires"
                                 || value.key == "tests_require"))
                            || value.section == "options.extras_require";
        if (listed) {
            if (auto added = add_cfg_requirements(value, text, shown, manifest); !added) {
                return added.error();
            }
        } else if (value.section == "metadata" && value.key == "name") {
            manifest.project_name = value.value;
        } else if (value.section == "options" && value.key == "python_requires") {
            std::size_t error_offset = 0;
            if (auto checked = check_version_specifiers(value.value, error_offset); !checked) {
                return input_error_at(
                    shown,
                    text,
                    value.offset + error_offset,
                    fmt::format("in 'python_requires': {}", checked.error().message()));
            }
            manifest.requires_python = value.value;
        }
    }
    return manifest;
}

core::Result<PythonManifest> parse_pipfile(std::string_view text, const std::string& shown)
{
    auto document = parse_toml(text, shown);
    if (!document) {
        return document.error();
    }
    PythonManifest manifest;
    // Besides packages and dev-packages, every table that is not one of Pipfile's own
    // sections is a category of packages (pipenv install --categories).
    std::vector<std::string> categories{"packages", "dev-packages"};
    constexpr std::string_view k_sections[] = {
        "source", "requires", "pipenv", "scripts", "packages", "dev-packages"};
    for (const auto& [key, value] : *document) {
        if (value.is_table()
            && std::find(std::begin(k_sections), std::end(k_sections), key.str())
                   == std::end(k_sections)) {
            categories.emplace_back(key.str());
        }
    }
    for (const auto& category : categories) {
        if (auto added = add_package_table(
                PackageTable::pipfile, document->get(category), category, shown, text, manifest);
            !added) {
            return added.error();
        }
    }
    if (const toml::node* version = (*document)["requires"]["python_version"].node()) {
        const auto* written = version->as_string();
        const auto numeric = [](const std::string& v) {
            return !v.empty() && std::isdigit(static_cast<unsigned char>(v.front())) != 0
                   && !v.ends_with('.') && std::all_of(v.begin(), v.end(), [](char c) {
                          return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.';
                      });
        };
        if (written == nullptr || !numeric(written->get())) {
            return toml_error(
                shown, *version, "'requires.python_version' must be a version such as \"3.12\"");
        }
        manifest.requires_python = "==" + written->get() + ".*";
    }
    return manifest;
}

} // namespace aiops::validate
