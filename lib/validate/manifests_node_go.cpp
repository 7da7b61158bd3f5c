#include "core/line_index.hpp"
#include "core/strings.hpp"
#include "validate/json_text.hpp"
#include "validate/manifest_text.hpp"
#include "validate/manifests.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace aiops::validate {

namespace {

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

/// Whether a module version has the form the go command accepts: "v1.6.0",
/// "v0.0.0-20240101120000-abcdef123456", "v2.1.0+incompatible".
bool is_module_version(std::string_view version)
{
    return version.size() >= 2 && version[0] == 'v'
           && std::isdigit(static_cast<unsigned char>(version[1])) != 0;
}

/// Reads one directive's arguments (words after the directive's name).
core::Result<bool> go_directive(std::string_view directive,
                                const std::vector<std::string_view>& args,
                                const std::string& shown,
                                std::string_view text,
                                std::size_t at,
                                GoMod& mod)
{
    const auto offset_of = [&](std::string_view word) {
        return static_cast<std::size_t>(word.data() - text.data());
    };
    if (directive == "module") {
        if (args.size() != 1) {
            return input_error_at(shown, text, at, "'module' takes one module path");
        }
        if (!mod.module.empty()) {
            return input_error_at(shown, text, at, "a second 'module' line (go.mod has one)");
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
        if (!is_module_version(args[1])) {
            return input_error_at(shown,
                                  text,
                                  offset_of(args[1]),
                                  fmt::format("'{}' is not a module version such as v1.6.0",
                                              core::quote_for_message(args[1])));
        }
        mod.required.emplace_back(args[0]);
    } else if (directive == "replace") {
        const auto arrow = std::find(args.begin(), args.end(), "=>");
        if (arrow == args.begin() || arrow == args.end() || arrow + 1 == args.end()
            || arrow - args.begin() > 2 || args.end() - arrow > 3) {
            return input_error_at(shown, text, at, "'replace' takes 'path [version] => path'");
        }
        // A version on the right is a module's; a local folder has none.
        for (auto version : {args.begin() + 1, arrow + 2}) {
            if (version < args.end() && version != arrow && !is_module_version(*version)) {
                return input_error_at(shown,
                                      text,
                                      offset_of(*version),
                                      fmt::format("'{}' is not a module version such as v1.6.0",
                                                  core::quote_for_message(*version)));
            }
        }
        mod.required.emplace_back(args[0]);
    }
    return true;
}

/// The last element of a JSON pointer, unescaped: the key a member has.
std::string pointer_key(std::string_view pointer)
{
    std::string key;
    const std::string_view last = pointer.substr(pointer.rfind('/') + 1);
    for (std::size_t i = 0; i < last.size(); ++i) {
        if (last[i] == '~' && i + 1 < last.size()) {
            key += last[++i] == '1' ? '/' : '~';
        } else {
            key += last[i];
        }
    }
    return key;
}

/// Reads package.json as npm does, strictly: JSON, each key once, and the fields this
/// check reads of the types npm requires.
class PackageJsonReader
{
public:
    PackageJsonReader(std::string_view text, const std::string& shown)
        : m_text(text), m_shown(shown), m_places(text)
    {}

    core::Result<PackageJson> read(const nlohmann::json& document) const
    {
        if (!document.is_object()) {
            return error_at(0, "package.json must hold an object");
        }
        if (const auto& duplicate = m_places.duplicate()) {
            const core::TextPosition first = core::LineIndex(m_text).position(duplicate->first);
            return error_at(duplicate->second,
                            fmt::format("duplicate key '{}' (first at line {}, column {})",
                                        pointer_key(duplicate->pointer),
                                        first.line,
                                        first.column));
        }
        PackageJson package;
        if (auto name = document.find("name"); name != document.end()) {
            if (!name->is_string()) {
                return error_at(m_places.value("/name"), "'name' must be a string");
            }
            package.name = name->get<std::string>();
        }
        for (const char* key :
             {"dependencies", "devDependencies", "peerDependencies", "optionalDependencies"}) {
            if (auto added = add_dependencies(document, key, package); !added) {
                return added.error();
            }
        }
        for (const char* key : {"bundleDependencies", "bundledDependencies"}) {
            if (auto added = add_bundled(document, key, package); !added) {
                return added.error();
            }
        }
        if (auto added = add_workspaces(document, package); !added) {
            return added.error();
        }
        return package;
    }

private:
    std::string_view m_text;
    const std::string& m_shown;
    JsonPlaces m_places;

    core::Error error_at(std::size_t offset, std::string_view what) const
    {
        return input_error_at(m_shown, m_text, offset, what);
    }

    // A map of package names to version ranges (or URLs, paths, tags: strings all).
    core::Result<bool>
    add_dependencies(const nlohmann::json& document, const char* key, PackageJson& package) const
    {
        const auto found = document.find(key);
        if (found == document.end()) {
            return true;
        }
        const std::string pointer = JsonPlaces::child("", key);
        if (!found->is_object()) {
            return error_at(m_places.value(pointer), fmt::format("'{}' must be an object", key));
        }
        for (const auto& [name, version] : found->items()) {
            if (!version.is_string()) {
                return error_at(
                    m_places.value(JsonPlaces::child(pointer, name)),
                    fmt::format("the version of '{}' in '{}' must be a string", name, key));
            }
            package.dependencies.push_back(name);
        }
        return true;
    }

    // A list of names, or true for every dependency.
    core::Result<bool>
    add_bundled(const nlohmann::json& document, const char* key, PackageJson& package) const
    {
        const auto found = document.find(key);
        if (found == document.end() || found->is_boolean()) {
            return true;
        }
        const std::string pointer = JsonPlaces::child("", key);
        if (!found->is_array()) {
            return error_at(m_places.value(pointer),
                            fmt::format("'{}' must be an array of names or a boolean", key));
        }
        for (std::size_t i = 0; i < found->size(); ++i) {
            if (!(*found)[i].is_string()) {
                return error_at(m_places.value(pointer + "/" + std::to_string(i)),
                                fmt::format("'{}' must be an array of names", key));
            }
            package.dependencies.push_back((*found)[i].get<std::string>());
        }
        return true;
    }

    core::Result<bool> add_workspaces(const nlohmann::json& document, PackageJson& package) const
    {
        const auto workspaces = document.find("workspaces");
        if (workspaces == document.end()) {
            return true;
        }
        const nlohmann::json* patterns = &*workspaces;
        std::string pointer = "/workspaces";
        if (workspaces->is_object() && workspaces->contains("packages")) {
            patterns = &(*workspaces)["packages"];
            pointer += "/packages";
        }
        if (!patterns->is_array()) {
            return error_at(m_places.value(pointer),
                            "'workspaces' must be an array of patterns or hold 'packages'");
        }
        for (std::size_t i = 0; i < patterns->size(); ++i) {
            if (!(*patterns)[i].is_string()) {
                return error_at(m_places.value(pointer + "/" + std::to_string(i)),
                                "a workspace pattern must be a string");
            }
            package.workspaces.push_back((*patterns)[i].get<std::string>());
        }
        return true;
    }
};

} // namespace

core::Result<PackageJson> parse_package_json(std::string_view text, const std::string& shown)
{
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error& error) {
        const JsonError failure = describe_json_error(error, text);
        return input_error_at(shown, text, failure.offset, "invalid JSON: " + failure.reason);
    }
    return PackageJsonReader(text, shown).read(document);
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
                if (words.size() > 1) {
                    return input_error_at(shown,
                                          text,
                                          static_cast<std::size_t>(words[1].data() - text.data()),
                                          fmt::format("unexpected '{}' after ')'",
                                                      core::quote_for_message(words[1])));
                }
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
    if (mod.module.empty()) {
        return input_error(shown, 1, 1, "go.mod has no 'module' line naming the module's path");
    }
    return mod;
}

} // namespace aiops::validate
