#include "core/strings.hpp"
#include "source/source_file.hpp"
#include "validate/manifest_text.hpp"
#include "validate/manifests.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <optional>

namespace aiops::validate {

namespace {

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
    const source::FileView& view; ///< where the files are read from
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
    auto bytes = chain.view.read(file);
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
    const bool is_folder =
        std::filesystem::is_directory(included, ec) || !chain.view.names_in(included).empty();
    if (!is_folder && !chain.view.is_file(included)) {
        std::string message = fmt::format("included file '{}' does not exist",
                                          core::quote_for_message(included_shown));
        if (name.find("${") != std::string::npos) {
            message += " (an environment variable it names is not set)";
        }
        return input_error_at(shown, text, at, message);
    }
    if (is_folder) {
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

/// The option of `known` that `option` names: itself, or for a long option the one
/// it abbreviates without ambiguity ("--extra-index" for "--extra-index-url"), as
/// pip's option parser allows.
template <std::size_t N>
std::optional<std::string_view> known_option(std::string_view option,
                                             const std::array<std::string_view, N>& known)
{
    if (std::find(known.begin(), known.end(), option) != known.end()) {
        return option;
    }
    if (!option.starts_with("--") || option.size() < 3) {
        return std::nullopt;
    }
    std::optional<std::string_view> found;
    for (std::string_view candidate : known) {
        if (candidate.starts_with(option)) {
            if (found) {
                return std::nullopt;
            }
            found = candidate;
        }
    }
    return found;
}

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
    const auto known = known_option(option, k_file_options);
    if (!known) {
        return unknown_option(
            option, {k_file_options.begin(), k_file_options.end()}, text, offset, shown);
    }
    option = *known;
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
            if (!known_option(name, k_requirement_options)) {
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

} // namespace

core::Result<PythonManifest> parse_requirements(std::string_view text,
                                                const std::string& shown,
                                                const std::filesystem::path& folder,
                                                const source::FileView& view)
{
    IncludeChain chain{view, {}, {}};
    chain.shown.push_back(shown);
    chain.files.push_back(canonical_or_same(folder / std::filesystem::path(shown).filename()));
    return requirements_text(text, shown, folder, chain);
}

core::Result<PythonManifest> read_requirements(const std::filesystem::path& file,
                                               const std::string& shown,
                                               const source::FileView& view)
{
    IncludeChain chain{view, {}, {}};
    return requirements_file(file, shown, chain);
}

} // namespace aiops::validate
