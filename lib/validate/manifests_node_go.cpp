#include "core/strings.hpp"
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
