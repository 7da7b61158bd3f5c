#include "validate/manifests.hpp"

#include "core/line_index.hpp"
#include "core/strings.hpp"
#include "source/source_file.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>

namespace aiops::validate {

namespace {

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

void append(PythonManifest& into, PythonManifest&& from)
{
    std::move(from.packages.begin(), from.packages.end(), std::back_inserter(into.packages));
    if (!into.project_name) {
        into.project_name = std::move(from.project_name);
    }
    if (!into.requires_python) {
        into.requires_python = std::move(from.requires_python);
    }
}

// --- requirements files -------------------------------------------------------------

/// Removes a comment: '#' at the start or after white space ("pkg==1  # pinned"), not the
/// one of "git+https://host/repo#egg=pkg".
std::string_view strip_comment(std::string_view line)
{
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '#' && (i == 0 || is_space(line[i - 1]))) {
            return line.substr(0, i);
        }
    }
    return line;
}

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

/// Whether a requirement is a bare URL or path ("git+https://...#egg=x", "./dist/x.whl")
/// rather than a name: its first word, up to white space or a marker's ';', looks like one.
bool looks_like_url_or_path(std::string_view spec)
{
    spec = spec.substr(0, std::min(spec.find_first_of(" \t;"), spec.size()));
    return spec.find("://") != std::string_view::npos || spec.starts_with("git+")
           || spec.starts_with("hg+") || spec.starts_with("svn+") || spec.starts_with("bzr+")
           || spec.starts_with('.') || spec.starts_with('/') || spec.ends_with(".whl")
           || spec.ends_with(".tar.gz") || spec.ends_with(".zip");
}

/// The package of a URL or local path: its `#egg=` name, or the name of a wheel or
/// source archive file ("dist/pkg_name-1.0-py3-none-any.whl" is "pkg_name").
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

/// One logical line of a requirements file: continuation lines ('\' at the end)
/// joined, with the line and offset where it starts.
struct LogicalLine
{
    std::string text;
    std::size_t offset = 0;
};

std::vector<LogicalLine> logical_lines(std::string_view text)
{
    std::vector<LogicalLine> lines;
    std::size_t start = 0;
    bool continued = false;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        std::string_view line = text.substr(start, end - start);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        const bool continues = line.ends_with('\\');
        if (continues) {
            line.remove_suffix(1);
        }
        if (continued) {
            lines.back().text.append(line);
        } else {
            lines.push_back({std::string(line), start});
        }
        continued = continues;
        if (end == text.size()) {
            break;
        }
        start = end + 1;
    }
    return lines;
}

/// The files of the `-r` includes being read, outermost first, by their canonical
/// path, with the names errors give them; a file that is already here is a cycle.
struct IncludeChain
{
    std::vector<std::filesystem::path> files;
    std::vector<std::string> shown;
};

core::Result<PythonManifest> requirements_text(std::string_view text,
                                               const std::string& shown,
                                               const std::filesystem::path& folder,
                                               IncludeChain& chain);

std::filesystem::path canonical_or_same(const std::filesystem::path& file)
{
    std::error_code ec;
    std::filesystem::path canonical = std::filesystem::weakly_canonical(file, ec);
    return ec ? file.lexically_normal() : canonical;
}

core::Result<PythonManifest>
requirements_file(const std::filesystem::path& file, const std::string& shown, IncludeChain& chain)
{
    auto bytes = source::read_file(file);
    if (!bytes) {
        return core::Error(core::ErrorCode::io,
                           fmt::format("{}: cannot read: {}", shown, bytes.error().message()));
    }
    chain.files.push_back(canonical_or_same(file));
    chain.shown.push_back(shown);
    auto manifest = requirements_text(*bytes, shown, file.parent_path(), chain);
    chain.files.pop_back();
    chain.shown.pop_back();
    return manifest;
}

/// The text with each `${NAME}` that names a set environment variable replaced by its
/// value, as pip does; other text, unset variables included, stays as written.
std::string expand_variables(std::string_view text)
{
    std::string out;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t open = text.find("${", at);
        const std::size_t close = open == std::string_view::npos ? open : text.find('}', open + 2);
        if (close == std::string_view::npos) {
            break;
        }
        const std::string name(text.substr(open + 2, close - open - 2));
        const bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
            return std::isupper(static_cast<unsigned char>(c)) != 0
                   || std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '_';
        });
        const char* value = valid ? std::getenv(name.c_str()) : nullptr;
        out.append(text.substr(at, open - at));
        out.append(value != nullptr ? std::string_view(value)
                                    : text.substr(open, close + 1 - open));
        at = close + 1;
    }
    out.append(text.substr(std::min(at, text.size())));
    return out;
}

/// Reads the file a `-r` line names. `at` is the offset of the file name in the
/// including file's text, where a missing file or a cycle is reported.
core::Result<bool> include_requirements(std::string_view argument,
                                        std::string_view text,
                                        std::size_t at,
                                        const std::string& shown,
                                        const std::filesystem::path& folder,
                                        IncludeChain& chain,
                                        PythonManifest& manifest)
{
    const std::string name = expand_variables(argument);
    if (name.empty()) {
        return input_error_at(shown, text, at, "'-r' needs the name of a requirements file");
    }
    if (name.find("://") != std::string::npos) {
        // A remote file cannot be read offline; what it declares stays unknown.
        return true;
    }
    const std::filesystem::path included = folder / name;
    const std::string included_shown =
        (std::filesystem::path(shown).parent_path() / name).lexically_normal().generic_string();
    std::error_code ec;
    if (!std::filesystem::exists(included, ec)) {
        std::string message = fmt::format("included file '{}' does not exist",
                                          core::quote_for_message(included_shown));
        if (name.find("${") != std::string::npos) {
            message += " (an environment variable it names is not set)";
        }
        return input_error_at(shown, text, at, message);
    }
    if (std::filesystem::is_directory(included, ec)) {
        return input_error_at(
            shown,
            text,
            at,
            fmt::format("included file '{}' is a folder", core::quote_for_message(included_shown)));
    }
    const std::filesystem::path key = canonical_or_same(included);
    const auto first = std::find(chain.files.begin(), chain.files.end(), key);
    if (first != chain.files.end()) {
        std::vector<std::string> cycle(chain.shown.begin() + (first - chain.files.begin()),
                                       chain.shown.end());
        cycle.push_back(included_shown);
        return input_error_at(
            shown,
            text,
            at,
            fmt::format("the includes form a cycle: {}", fmt::join(cycle, " -> ")));
    }
    auto more = requirements_file(included, included_shown, chain);
    if (!more) {
        return more.error();
    }
    append(manifest, std::move(*more));
    return true;
}

/// The options pip takes on a line of their own in a requirements file.
constexpr std::array<std::string_view, 19> k_file_options = {"-i",
                                                             "--index-url",
                                                             "--extra-index-url",
                                                             "--no-index",
                                                             "-c",
                                                             "--constraint",
                                                             "-r",
                                                             "--requirement",
                                                             "-e",
                                                             "--editable",
                                                             "-f",
                                                             "--find-links",
                                                             "--no-binary",
                                                             "--only-binary",
                                                             "--prefer-binary",
                                                             "--require-hashes",
                                                             "--pre",
                                                             "--trusted-host",
                                                             "--use-feature"};

/// The options pip takes after a requirement on its line.
constexpr std::array<std::string_view, 3> k_requirement_options = {
    "--hash", "--global-option", "--config-settings"};

core::Error unknown_option(std::string_view option,
                           const std::vector<std::string>& known,
                           std::string_view text,
                           std::size_t offset,
                           const std::string& shown)
{
    std::string message =
        fmt::format("unknown option '{}' in a requirements file", core::quote_for_message(option));
    if (auto close = core::closest_match(option, known)) {
        message += fmt::format("; did you mean '{}'?", *close);
    }
    return input_error_at(shown, text, offset, message);
}

/// An option line ("-r base.txt", "--index-url URL", "-e .[dev]") at `offset` of the
/// text: adds what it declares, reading included files.
core::Result<bool> requirements_option(std::string_view line,
                                       std::string_view text,
                                       std::size_t offset,
                                       const std::string& shown,
                                       const std::filesystem::path& folder,
                                       IncludeChain& chain,
                                       PythonManifest& manifest)
{
    // "--requirement=base.txt", "--requirement base.txt", "-r base.txt", "-rbase.txt".
    std::string_view option;
    std::string_view argument;
    if (line.starts_with("--")) {
        const std::size_t end = std::min(line.find_first_of(" \t="), line.size());
        option = line.substr(0, end);
        argument = line.substr(end);
        if (argument.starts_with('=')) {
            argument.remove_prefix(1);
        }
    } else {
        option = line.substr(0, std::min<std::size_t>(2, line.size()));
        argument = line.substr(option.size());
    }
    argument = core::trim(argument);
    if (std::find(k_file_options.begin(), k_file_options.end(), option) == k_file_options.end()) {
        return unknown_option(
            option, {k_file_options.begin(), k_file_options.end()}, text, offset, shown);
    }
    if (option == "-r" || option == "--requirement") {
        const std::size_t at = argument.empty() ? offset : offset + (argument.data() - line.data());
        return include_requirements(argument, text, at, shown, folder, chain, manifest);
    }
    if (option == "-e" || option == "--editable") {
        if (auto name = url_package(argument)) {
            manifest.packages.push_back(std::move(*name));
        }
    }
    // Constraints (-c) pin versions without declaring anything; index and install
    // options declare nothing either.
    return true;
}

/// Where the options pip lets follow a requirement ("pkg==1 --hash=sha256:...") start:
/// the first word that starts with '-'; the line's size when there are none.
std::size_t trailing_options_start(std::string_view line)
{
    for (std::size_t i = 1; i < line.size(); ++i) {
        if (line[i] == '-' && is_space(line[i - 1])) {
            return i;
        }
    }
    return line.size();
}

/// Requires each option word of `options` (at `offset` of the text) to be one that may
/// follow a requirement; the other words are their values.
core::Result<bool> check_trailing_options(std::string_view options,
                                          std::string_view text,
                                          std::size_t offset,
                                          const std::string& shown)
{
    std::size_t at = 0;
    while (at < options.size()) {
        const std::size_t end = std::min(options.find_first_of(" \t", at), options.size());
        const std::string_view word = options.substr(at, end - at);
        if (word.starts_with('-')) {
            const std::string_view name = word.substr(0, std::min(word.find('='), word.size()));
            if (std::find(k_requirement_options.begin(), k_requirement_options.end(), name)
                == k_requirement_options.end()) {
                return unknown_option(name,
                                      {k_requirement_options.begin(), k_requirement_options.end()},
                                      text,
                                      offset + at,
                                      shown);
            }
        }
        at = end + 1;
    }
    return true;
}

/// Adds the package of one requirement line at `offset` of the text.
core::Result<bool> add_requirement_line(std::string_view line,
                                        std::string_view text,
                                        std::size_t offset,
                                        const std::string& shown,
                                        PythonManifest& manifest)
{
    const std::size_t variable = line.find("${");
    if (variable != std::string_view::npos) {
        // pip fills in environment variables before it reads the line; what they hold
        // here need not be what they hold at install time, so only the name is read.
        std::size_t end = 0;
        while (end < variable && is_name_char(line[end])) {
            ++end;
        }
        if (end > 0) {
            manifest.packages.emplace_back(line.substr(0, end));
        }
        return true;
    }
    std::size_t error_offset = 0;
    auto name = requirement_name(line, error_offset);
    if (name) {
        manifest.packages.push_back(std::move(*name));
        return true;
    }
    if (looks_like_url_or_path(line)) {
        if (auto package = url_package(core::trim(line.substr(0, line.find(';'))))) {
            manifest.packages.push_back(std::move(*package));
        }
        return true;
    }
    return input_error_at(shown, text, offset + error_offset, name.error().message());
}

core::Result<PythonManifest> requirements_text(std::string_view text,
                                               const std::string& shown,
                                               const std::filesystem::path& folder,
                                               IncludeChain& chain)
{
    // pip reads past the byte order mark an editor may write first.
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3);
    }
    PythonManifest manifest;
    for (const LogicalLine& logical : logical_lines(text)) {
        const std::string_view raw = strip_comment(logical.text);
        const std::string_view line = core::trim(raw);
        if (line.empty()) {
            continue;
        }
        const std::size_t offset = logical.offset + (line.data() - logical.text.data());
        if (line.starts_with('-')) {
            auto added = requirements_option(line, text, offset, shown, folder, chain, manifest);
            if (!added) {
                return added.error();
            }
            continue;
        }
        const std::size_t options = trailing_options_start(line);
        auto added = add_requirement_line(
            core::trim(line.substr(0, options)), text, offset, shown, manifest);
        if (added) {
            added = check_trailing_options(line.substr(options), text, offset + options, shown);
        }
        if (!added) {
            return added.error();
        }
    }
    return manifest;
}

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

/// Adds the keys of a table of packages (Poetry, Pipfile); `python` is the version
/// the project needs, not a package.
core::Result<bool> add_package_table(const toml::node* node,
                                     std::string_view key,
                                     const std::string& shown,
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
        if (name.str() == "python") {
            if (const auto* version = value.as_string()) {
                manifest.requires_python = version->get();
            }
            continue;
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
    std::size_t search_from = value.offset;
    for (const auto& piece : core::split(value.value, '\n')) {
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

// --- go.mod -------------------------------------------------------------------------

/// The words of a go.mod line, with a comment removed and quoted paths unquoted.
std::vector<std::string_view> go_words(std::string_view line)
{
    if (const std::size_t comment = line.find("//"); comment != std::string_view::npos) {
        line = line.substr(0, comment);
    }
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])) != 0) {
            ++i;
        }
        if (i == line.size()) {
            break;
        }
        if (line[i] == '"' || line[i] == '`') {
            const std::size_t close = line.find(line[i], i + 1);
            const std::size_t end = close == std::string_view::npos ? line.size() : close;
            words.push_back(line.substr(i + 1, end - i - 1));
            i = std::min(end + 1, line.size());
            continue;
        }
        const std::size_t begin = i;
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])) == 0) {
            ++i;
        }
        words.push_back(line.substr(begin, i - begin));
    }
    return words;
}

bool known_go_directive(std::string_view word)
{
    static constexpr std::string_view k_directives[] = {"module",
                                                        "go",
                                                        "toolchain",
                                                        "require",
                                                        "replace",
                                                        "exclude",
                                                        "retract",
                                                        "godebug",
                                                        "tool",
                                                        "ignore"};
    return std::find(std::begin(k_directives), std::end(k_directives), word)
           != std::end(k_directives);
}

/// Whether a `go` line's version has the form the go command accepts: "1.22",
/// "1.22.3", "1.23rc1".
bool is_go_version(std::string_view version)
{
    std::size_t at = 0;
    const auto digits = [&] {
        const std::size_t start = at;
        while (at < version.size() && std::isdigit(static_cast<unsigned char>(version[at])) != 0) {
            ++at;
        }
        return at > start;
    };
    if (!digits() || at == version.size() || version[at] != '.') {
        return false;
    }
    ++at;
    if (!digits()) {
        return false;
    }
    if (at < version.size() && version[at] == '.') {
        ++at;
        if (!digits()) {
            return false;
        }
    }
    for (std::string_view stage : {"rc", "beta"}) {
        if (version.substr(at).starts_with(stage)) {
            at += stage.size();
            if (!digits()) {
                return false;
            }
            break;
        }
    }
    return at == version.size();
}

/// Reads one directive's arguments (words after the directive's name).
core::Result<bool> go_directive(std::string_view directive,
                                const std::vector<std::string_view>& args,
                                const std::string& shown,
                                std::string_view text,
                                std::size_t at,
                                GoMod& mod)
{
    if (directive == "module") {
        if (args.size() != 1) {
            return input_error_at(shown, text, at, "'module' takes one module path");
        }
        mod.module = std::string(args[0]);
    } else if (directive == "go") {
        if (args.size() != 1) {
            return input_error_at(shown, text, at, "'go' takes one Go version");
        }
        if (!is_go_version(args[0])) {
            return input_error_at(shown,
                                  text,
                                  static_cast<std::size_t>(args[0].data() - text.data()),
                                  fmt::format("'{}' is not a Go version such as 1.22 or 1.22.3",
                                              core::quote_for_message(args[0])));
        }
    } else if (directive == "toolchain") {
        const bool named = args.size() == 1
                           && (args[0] == "default"
                               || (args[0].starts_with("go") && args[0].size() > 2
                                   && std::isdigit(static_cast<unsigned char>(args[0][2])) != 0));
        if (!named) {
            return input_error_at(
                shown, text, at, "'toolchain' takes one toolchain name such as go1.22.3");
        }
    } else if (directive == "require") {
        if (args.size() != 2) {
            return input_error_at(shown, text, at, "'require' takes a module path and a version");
        }
        mod.required.emplace_back(args[0]);
    } else if (directive == "replace") {
        const auto arrow = std::find(args.begin(), args.end(), "=>");
        if (arrow == args.begin() || arrow == args.end() || arrow + 1 == args.end()) {
            return input_error_at(shown, text, at, "'replace' takes 'path [version] => path'");
        }
        mod.required.emplace_back(args[0]);
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

std::optional<PythonVersion> lowest_python(std::string_view specifier)
{
    std::optional<PythonVersion> lowest;
    std::size_t i = 0;
    while (i < specifier.size()) {
        const std::size_t end = std::min(specifier.find_first_of(",|", i), specifier.size());
        std::string_view clause = core::trim(specifier.substr(i, end - i));
        i = end + 1;
        std::size_t digits = 0;
        while (digits < clause.size()
               && std::isdigit(static_cast<unsigned char>(clause[digits])) == 0) {
            ++digits;
        }
        const std::string_view op = core::trim(clause.substr(0, digits));
        const bool lower_bound = op.empty() || op == ">=" || op == "~=" || op == "==" || op == "^"
                                 || op == "~" || op == ">" || op == "===";
        auto version = parse_python_version(clause.substr(digits));
        if (!lower_bound || !version) {
            continue;
        }
        if (op == ">") {
            ++version->minor;
        }
        if (!lowest || *lowest < *version) {
            lowest = version;
        }
    }
    return lowest;
}

core::Result<PythonManifest> parse_requirements(std::string_view text,
                                                const std::string& shown,
                                                const std::filesystem::path& folder)
{
    IncludeChain chain;
    chain.shown.push_back(shown);
    chain.files.push_back(canonical_or_same(folder / std::filesystem::path(shown).filename()));
    return requirements_text(text, shown, folder, chain);
}

core::Result<PythonManifest> read_requirements(const std::filesystem::path& file,
                                               const std::string& shown)
{
    IncludeChain chain;
    return requirements_file(file, shown, chain);
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
            if (auto added = add_package_table(
                    table->get(key), fmt::format("tool.poetry.{}", key), shown, manifest);
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
                if (auto added = add_package_table(dependencies, key, shown, manifest); !added) {
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
    for (const char* key : {"packages", "dev-packages"}) {
        if (auto added = add_package_table(document->get(key), key, shown, manifest); !added) {
            return added.error();
        }
    }
    if (const toml::node* version = (*document)["requires"]["python_version"].node()) {
        if (!version->is_string()) {
            return toml_error(shown, *version, "'requires.python_version' must be a string");
        }
        manifest.requires_python = "==" + version->as_string()->get();
    }
    return manifest;
}

namespace {

/// Where a key of a JSON object is first written, for an error about its value; the
/// start of the text when it cannot be found.
std::size_t json_key_offset(std::string_view text, std::string_view key)
{
    const std::size_t at = text.find(fmt::format("\"{}\"", key));
    return at == std::string_view::npos ? 0 : at;
}

} // namespace

core::Result<PackageJson> parse_package_json(std::string_view text, const std::string& shown)
{
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error& error) {
        std::string reason = error.what();
        if (const std::size_t colon = reason.find(": ", reason.find("column"));
            colon != std::string::npos) {
            reason = reason.substr(colon + 2);
        }
        const std::size_t at = error.byte == 0 ? 0 : std::min(error.byte - 1, text.size());
        return input_error_at(shown, text, at, "invalid JSON: " + reason);
    }
    if (!document.is_object()) {
        return input_error(shown, 1, 1, "package.json must hold an object");
    }
    PackageJson package;
    if (auto name = document.find("name"); name != document.end() && name->is_string()) {
        package.name = name->get<std::string>();
    }
    for (const char* key :
         {"dependencies", "devDependencies", "peerDependencies", "optionalDependencies"}) {
        const auto found = document.find(key);
        if (found == document.end()) {
            continue;
        }
        if (!found->is_object()) {
            return input_error_at(shown,
                                  text,
                                  json_key_offset(text, key),
                                  fmt::format("'{}' must be an object", key));
        }
        for (const auto& [name, version] : found->items()) {
            package.dependencies.push_back(name);
        }
    }
    for (const char* key : {"bundleDependencies", "bundledDependencies"}) {
        const auto found = document.find(key);
        if (found != document.end() && found->is_array()) {
            for (const auto& name : *found) {
                if (name.is_string()) {
                    package.dependencies.push_back(name.get<std::string>());
                }
            }
        }
    }
    if (auto workspaces = document.find("workspaces"); workspaces != document.end()) {
        const nlohmann::json* patterns = &*workspaces;
        if (workspaces->is_object() && workspaces->contains("packages")) {
            patterns = &(*workspaces)["packages"];
        }
        if (!patterns->is_array()) {
            return input_error_at(shown,
                                  text,
                                  json_key_offset(text, "workspaces"),
                                  "'workspaces' must be an array of patterns or hold 'packages'");
        }
        for (const auto& pattern : *patterns) {
            if (pattern.is_string()) {
                package.workspaces.push_back(pattern.get<std::string>());
            }
        }
    }
    return package;
}

core::Result<GoMod> parse_go_mod(std::string_view text, const std::string& shown)
{
    GoMod mod;
    std::string block; ///< the directive of the open `( ... )` block
    std::size_t start = 0;
    std::size_t block_at = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string_view line = text.substr(start, end - start);
        const std::size_t at = start;
        start = end + 1;
        const std::vector<std::string_view> words = go_words(line);
        if (words.empty()) {
            continue;
        }
        const std::size_t word_at = at + (words[0].data() - line.data());
        if (!block.empty()) {
            if (words[0] == ")") {
                block.clear();
                continue;
            }
            if (auto done = go_directive(block, words, shown, text, word_at, mod); !done) {
                return done.error();
            }
            continue;
        }
        if (!known_go_directive(words[0])) {
            return input_error_at(
                shown, text, word_at, fmt::format("unknown directive '{}'", words[0]));
        }
        if (words.size() == 2 && words[1] == "(") {
            block = std::string(words[0]);
            block_at = word_at;
            continue;
        }
        const std::vector<std::string_view> args(words.begin() + 1, words.end());
        if (auto done = go_directive(words[0], args, shown, text, word_at, mod); !done) {
            return done.error();
        }
    }
    if (!block.empty()) {
        return input_error_at(
            shown, text, block_at, fmt::format("'{} (' is not closed with ')'", block));
    }
    return mod;
}

} // namespace aiops::validate
