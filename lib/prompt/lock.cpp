#include "prompt/lock.hpp"

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

core::Error malformed(const fs::path& file, const std::string& what)
{
    return core::Error(core::ErrorCode::input,
                       fmt::format("{}: not a prompts.lock: {}", file.string(), what));
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
        auto resolved = registry.resolve(name);
        if (!resolved) {
            return resolved.error();
        }
        lock.prompts.push_back({name, resolved->hash, resolved->commit, resolved->number});
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
    const nlohmann::json document =
        nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded() || !document.is_object()) {
        return malformed(file, "it is not a JSON object");
    }
    if (document.value("lock_version", 0) != k_lock_format) {
        return malformed(file, fmt::format("'lock_version' must be {}", k_lock_format));
    }
    const auto prompts = document.find("prompts");
    if (prompts == document.end() || !prompts->is_object()) {
        return malformed(file, "'prompts' must be an object");
    }
    LockFile lock;
    for (const auto& [name, item] : prompts->items()) {
        if (!item.is_object() || !item.contains("hash") || !item["hash"].is_string()) {
            return malformed(file, fmt::format("prompt '{}' has no 'hash' string", name));
        }
        LockEntry entry{name, item["hash"].get<std::string>(), std::nullopt, std::nullopt};
        if (item.contains("commit") && item["commit"].is_string()) {
            entry.commit = item["commit"].get<std::string>();
        }
        if (item.contains("version") && item["version"].is_number_integer()) {
            entry.version = item["version"].get<int>();
        }
        lock.prompts.push_back(std::move(entry));
    }
    return lock;
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
