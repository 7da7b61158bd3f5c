#include "prompt/lock.hpp"

#include "core/line_index.hpp"
#include "core/yaml_reader.hpp"
#include "source/source_file.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <fstream>

namespace aiops::prompt {

namespace fs = std::filesystem;

namespace {

constexpr int k_lock_format = 1;

/// Where a JSON syntax error is: nlohmann counts the bytes read, up to and including
/// the one that broke the parse.
core::TextPosition syntax_error_position(const std::string& text, std::size_t bytes_read)
{
    return core::LineIndex(text).position(bytes_read == 0 ? 0 : bytes_read - 1);
}

/// Reads the lock's text: strict JSON first, so a syntax error is placed as JSON places
/// it, then its structure through the YAML reader, which keeps every value's position
/// and sees keys given twice.
LockFile parse_lock(const std::string& file, const std::string& text)
{
    try {
        const nlohmann::json checked = nlohmann::json::parse(text);
        static_cast<void>(checked);
    } catch (const nlohmann::json::parse_error& error) {
        const core::TextPosition at = syntax_error_position(text, error.byte);
        std::string what = error.what();
        const std::size_t detail = what.find("syntax error");
        what = detail == std::string::npos ? what : what.substr(detail);
        throw core::Error(
            core::ErrorCode::input,
            fmt::format(
                "{}:{}:{}: not a prompts.lock: invalid JSON: {}", file, at.line, at.column, what));
    }
    const core::YamlReader reader(file);
    const YAML::Node document = reader.read_document(text).take();
    if (!document.IsMap()) {
        reader.raise(document, "not a prompts.lock: it is not a JSON object");
    }
    reader.check_unique_keys(document);
    const YAML::Node version = document["lock_version"];
    if (!version || reader.integer(version, "lock_version") != k_lock_format) {
        reader.raise(version ? version : document,
                     fmt::format("not a prompts.lock: 'lock_version' must be {}", k_lock_format));
    }
    const YAML::Node prompts = document["prompts"];
    if (!prompts || !prompts.IsMap()) {
        reader.raise(prompts ? prompts : document,
                     "not a prompts.lock: 'prompts' must be an object");
    }
    LockFile lock;
    for (const auto& item : prompts) {
        const std::string name = item.first.Scalar();
        const YAML::Node& entry = item.second;
        // JSON strings reach the YAML reader quoted; a plain scalar is a number, a
        // boolean or null.
        const auto is_string = [](const YAML::Node& node) {
            return node.IsScalar() && node.Tag() != "?";
        };
        if (!entry.IsMap() || !entry["hash"] || !is_string(entry["hash"])) {
            reader.raise(entry["hash"] ? entry["hash"] : entry,
                         fmt::format("prompt '{}' has no 'hash' string", name));
        }
        LockEntry locked{name, entry["hash"].Scalar(), std::nullopt};
        if (const YAML::Node commit = entry["commit"]; commit && is_string(commit)) {
            locked.commit = commit.Scalar();
        } else if (commit && !commit.IsNull()) {
            reader.raise(commit,
                         fmt::format("prompt '{}': 'commit' must be a string or null", name));
        }
        lock.prompts.push_back(std::move(locked));
    }
    std::sort(lock.prompts.begin(), lock.prompts.end(), [](const auto& a, const auto& b) {
        return a.name < b.name;
    });
    return lock;
}

} // namespace

core::Result<LockFile> current_lock(const Registry& registry)
{
    auto names = registry.names();
    if (!names) {
        return names.error();
    }
    LockFile lock;
    for (const auto& name : *names) {
        auto prompt = registry.load_working(name);
        if (!prompt) {
            return prompt.error();
        }
        auto history = registry.history(name);
        if (!history) {
            return history.error();
        }
        LockEntry entry{name, prompt_hash(*prompt), std::nullopt};
        if (const PromptVersion* latest = history->latest(); latest && latest->hash == entry.hash) {
            if (latest->at_shallow_edge) {
                entry.commit_unknown = true;
            } else {
                entry.commit = latest->commit.id;
            }
        }
        lock.prompts.push_back(std::move(entry));
    }
    return lock;
}

core::Result<LockFile> lock_to_write(const Registry& registry)
{
    auto lock = current_lock(registry);
    if (!lock) {
        return lock;
    }
    std::optional<LockFile> previous;
    if (std::error_code ec; fs::exists(registry.lock_file(), ec)) {
        auto read = read_lock(registry.lock_file());
        if (!read) {
            return read.error();
        }
        previous = std::move(*read);
    }
    for (auto& entry : lock->prompts) {
        if (!entry.commit_unknown) {
            continue;
        }
        const LockEntry* known = nullptr;
        if (previous) {
            for (const auto& old : previous->prompts) {
                if (old.name == entry.name && old.hash == entry.hash) {
                    known = &old;
                }
            }
        }
        if (known == nullptr) {
            return core::Error(core::ErrorCode::usage,
                               fmt::format("prompt '{}': its content is older than this shallow "
                                           "clone's oldest commit, so the commit that made it "
                                           "is not here and the lock would differ from one "
                                           "written in a full clone; run 'git fetch "
                                           "--unshallow' and lock again",
                                           entry.name));
        }
        entry.commit = known->commit;
        entry.commit_unknown = false;
    }
    return lock;
}

std::string lock_to_text(const LockFile& lock)
{
    nlohmann::json prompts = nlohmann::json::object();
    for (const auto& entry : lock.prompts) {
        nlohmann::json item{{"hash", entry.hash}};
        item["commit"] = entry.commit ? nlohmann::json(*entry.commit) : nlohmann::json();
        prompts[entry.name] = std::move(item);
    }
    const nlohmann::json document{{"lock_version", k_lock_format}, {"prompts", std::move(prompts)}};
    return document.dump(2) + "\n";
}

core::Result<LockFile> read_lock(const fs::path& file)
{
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        return core::Error(
            core::ErrorCode::usage,
            fmt::format("no lock file '{}': run 'aiops prompt lock' and commit it", file.string()));
    }
    auto text = source::read_file(file);
    if (!text) {
        return text.error();
    }
    try {
        return parse_lock(file.string(), *text);
    } catch (const core::Error& error) {
        return error;
    }
}

std::vector<LockDifference> compare_locks(const LockFile& locked, const LockFile& current)
{
    std::vector<LockDifference> differences;
    for (const auto& entry : current.prompts) {
        const auto it = std::find_if(locked.prompts.begin(),
                                     locked.prompts.end(),
                                     [&](const auto& l) { return l.name == entry.name; });
        if (it == locked.prompts.end()) {
            differences.push_back({entry.name, LockDifferenceKind::added, "", entry.hash});
        } else if (it->hash != entry.hash) {
            differences.push_back({entry.name, LockDifferenceKind::changed, it->hash, entry.hash});
        }
    }
    for (const auto& entry : locked.prompts) {
        const bool present = std::any_of(current.prompts.begin(),
                                         current.prompts.end(),
                                         [&](const auto& c) { return c.name == entry.name; });
        if (!present) {
            differences.push_back({entry.name, LockDifferenceKind::removed, entry.hash, ""});
        }
    }
    std::sort(differences.begin(), differences.end(), [](const auto& a, const auto& b) {
        return a.name < b.name;
    });
    return differences;
}

std::string_view difference_kind_name(LockDifferenceKind kind)
{
    switch (kind) {
    case LockDifferenceKind::changed:
        return "changed";
    case LockDifferenceKind::added:
        return "added";
    case LockDifferenceKind::removed:
        return "removed";
    }
    return "changed";
}

} // namespace aiops::prompt
