#include "prompt/lock.hpp"

#include "core/interrupt.hpp"
#include "core/line_index.hpp"
#include "core/strings.hpp"
#include "core/yaml_reader.hpp"
#include "source/source_file.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <limits>

namespace aiops::prompt {

namespace fs = std::filesystem;

namespace {

constexpr int k_lock_format = 1;
constexpr std::string_view k_hash_prefix = "sha256:";

/// Where a JSON syntax error is: nlohmann counts the bytes read, up to and including
/// the one that broke the parse.
core::TextPosition syntax_error_position(const std::string& text, std::size_t bytes_read)
{
    return core::LineIndex(text).position(bytes_read == 0 ? 0 : bytes_read - 1);
}

const std::vector<std::string> k_lock_keys{"lock_version", "prompts"};
const std::vector<std::string> k_entry_keys{"commit", "hash", "version"};

bool is_lower_hex(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

/// Reads one entry of 'prompts'; throws the input error of a bad one.
LockEntry
parse_entry(const core::YamlReader& reader, const YAML::Node& key, const YAML::Node& entry)
{
    const std::string name = key.Scalar();
    if (!is_valid_prompt_name(name)) {
        reader.raise(key,
                     fmt::format("'{}' is not a prompt name: '/'-separated words of letters, "
                                 "digits, '.', '_' and '-'",
                                 core::quote_for_message(name)));
    }
    reader.check_mapping(entry, k_entry_keys, fmt::format("prompt '{}'", name));
    // JSON strings reach the YAML reader quoted; a plain scalar is a number, a boolean
    // or null.
    const auto is_string = [](const YAML::Node& node) {
        return node.IsScalar() && node.Tag() != "?";
    };
    const YAML::Node hash = entry["hash"];
    if (!hash || !is_string(hash)) {
        reader.raise(hash ? hash : entry, fmt::format("prompt '{}' has no 'hash' string", name));
    }
    const std::string& hash_text = hash.Scalar();
    if (!hash_text.starts_with(k_hash_prefix) || hash_text.size() != k_hash_prefix.size() + 64
        || !is_lower_hex(std::string_view(hash_text).substr(k_hash_prefix.size()))) {
        reader.raise(hash,
                     fmt::format("prompt '{}': 'hash' must be 'sha256:' and 64 lowercase hex "
                                 "digits, as 'aiops prompt lock' writes it",
                                 name));
    }
    LockEntry locked{name, hash_text, std::nullopt, std::nullopt};
    if (const YAML::Node commit = entry["commit"]; commit && !commit.IsNull()) {
        const std::string& id = commit.Scalar();
        if (!is_string(commit) || (id.size() != 40 && id.size() != 64) || !is_lower_hex(id)) {
            reader.raise(commit,
                         fmt::format("prompt '{}': 'commit' must be a full commit id (40 "
                                     "lowercase hex digits) or null",
                                     name));
        }
        locked.commit = id;
    }
    if (const YAML::Node version = entry["version"]; version && !version.IsNull()) {
        const long long number = is_string(version) ? 0 : reader.integer(version, "version");
        if (number < 1 || number > std::numeric_limits<int>::max()) {
            reader.raise(version,
                         fmt::format("prompt '{}': 'version' must be a whole number above 0 or "
                                     "null",
                                     name));
        }
        locked.version = static_cast<int>(number);
    }
    return locked;
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
    } catch (const nlohmann::json::exception& error) {
        // A number out of range, which only the YAML reading below can place.
        static_cast<void>(error);
    }
    const core::YamlReader reader(file);
    const YAML::Node document = reader.read_document(text).take();
    if (!document.IsMap()) {
        reader.raise(document, "not a prompts.lock: it is not a JSON object");
    }
    reader.check_unique_keys(document);
    reader.check_mapping(document, k_lock_keys, "a prompts.lock");
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
        lock.prompts.push_back(parse_entry(reader, item.first, item.second));
    }
    std::sort(lock.prompts.begin(), lock.prompts.end(), [](const auto& a, const auto& b) {
        return a.name < b.name;
    });
    return lock;
}

/// Fails as interrupted once an interrupt is requested, between two prompts.
core::Result<bool> check_interrupt()
{
    if (core::interrupted()) {
        return core::Error(core::ErrorCode::interrupted, "interrupted");
    }
    return true;
}

const LockEntry* find_entry(const std::optional<LockFile>& lock, const std::string& name)
{
    if (!lock) {
        return nullptr;
    }
    for (const auto& entry : lock->prompts) {
        if (entry.name == name) {
            return &entry;
        }
    }
    return nullptr;
}

core::Error unshallow_needed(const std::string& name, bool content_at_edge)
{
    if (content_at_edge) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("prompt '{}': its content is older than this shallow "
                                       "clone's oldest commit, so the commit that made it is not "
                                       "here and the lock would differ from one written in a "
                                       "full clone; run 'git fetch --unshallow' and lock again",
                                       name));
    }
    return core::Error(core::ErrorCode::usage,
                       fmt::format("prompt '{}': this shallow clone cannot number its versions, "
                                   "and the existing lock holds no commit of it here to count "
                                   "from, so the lock would differ from one written in a full "
                                   "clone; run 'git fetch --unshallow' and lock again",
                                   name));
}

/// The commit and version of a prompt's newest version in a shallow clone, counted from
/// the previous lock's entry: its commit among the clone's versions on the first-parent
/// chain, or, at the clone's oldest commit, whose true commit is not here, its content.
core::Result<std::pair<std::string, int>>
count_from_lock(const PromptHistory& history, const LockEntry* previous, const std::string& name)
{
    std::vector<const PromptVersion*> chain;
    for (const auto& version : history.versions) {
        if (version.first_parent && version.kind != git::ChangeKind::deleted) {
            chain.push_back(&version);
        }
    }
    const bool at_edge = !chain.empty() && chain.back()->at_shallow_edge;
    if (previous == nullptr || !previous->commit || !previous->version) {
        return unshallow_needed(name, at_edge);
    }
    for (std::size_t i = chain.size(); i-- > 0;) {
        const PromptVersion& version = *chain[i];
        const bool anchor = version.at_shallow_edge ? version.hash == previous->hash
                                                    : version.commit.id == *previous->commit;
        if (anchor) {
            const int steps = static_cast<int>(chain.size() - 1 - i);
            const std::string commit = steps == 0 ? *previous->commit : chain.back()->commit.id;
            return std::make_pair(commit, *previous->version + steps);
        }
    }
    return unshallow_needed(name, at_edge);
}

} // namespace

core::Result<LockFile> working_lock(const Registry& registry)
{
    auto names = registry.names();
    if (!names) {
        return names.error();
    }
    LockFile lock;
    for (const auto& name : *names) {
        if (auto go_on = check_interrupt(); !go_on) {
            return go_on.error();
        }
        auto prompt = registry.load_working(name);
        if (!prompt) {
            return prompt.error();
        }
        lock.prompts.push_back({name, prompt_hash(*prompt), std::nullopt, std::nullopt});
    }
    return lock;
}

core::Result<LockFile> lock_to_write(const Registry& registry)
{
    auto lock = working_lock(registry);
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
    std::vector<std::string> names;
    for (const auto& entry : lock->prompts) {
        names.push_back(entry.name);
    }
    auto histories = registry.histories(names);
    if (!histories) {
        return histories.error();
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        LockEntry& entry = lock->prompts[i];
        const PromptHistory& history = (*histories)[i];
        const PromptVersion* latest = history.latest();
        if (latest == nullptr || latest->hash != entry.hash) {
            continue; // not committed as it is
        }
        if (history.state != HistoryState::truncated) {
            entry.commit = latest->commit.id;
            entry.version = latest->number;
            continue;
        }
        auto counted = count_from_lock(history, find_entry(previous, entry.name), entry.name);
        if (!counted) {
            return counted.error();
        }
        entry.commit = counted->first;
        entry.version = counted->second;
    }
    return lock;
}

std::string lock_to_text(const LockFile& lock)
{
    nlohmann::json prompts = nlohmann::json::object();
    for (const auto& entry : lock.prompts) {
        nlohmann::json item{{"hash", entry.hash}};
        item["commit"] = entry.commit ? nlohmann::json(*entry.commit) : nlohmann::json();
        item["version"] = entry.version ? nlohmann::json(*entry.version) : nlohmann::json();
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
