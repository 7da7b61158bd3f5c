#include "prompt/registry.hpp"

#include "core/log.hpp"
#include "core/strings.hpp"
#include "prompt/template.hpp"
#include "source/source_file.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace aiops::prompt {

namespace fs = std::filesystem;

namespace {

const char* const k_unshallow_hint = "run 'git fetch --unshallow' to fetch the whole history";

bool all_digits(std::string_view text)
{
    return !text.empty()
           && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// The explicit form of a git revision in a reference: 'name@commit:HEAD~2'.
constexpr std::string_view k_commit_prefix = "commit:";

/// Version numbers have at most this many digits; a longer run of digits can only be
/// an abbreviated commit id, which git shows with seven characters or more.
constexpr std::size_t k_version_digits = 6;

/// The version number a reference's version part reads as: '3' or 'v3'.
std::optional<int> version_number(std::string_view text)
{
    const std::string_view digits = text.starts_with('v') ? text.substr(1) : text;
    if (!all_digits(digits) || digits.size() > k_version_digits) {
        return std::nullopt;
    }
    return std::stoi(std::string(digits));
}

const PromptVersion* numbered_version(const PromptHistory& history, int number)
{
    for (const auto& version : history.versions) {
        if (version.number == number) {
            return &version;
        }
    }
    return nullptr;
}

fs::path absolute_path(const fs::path& path)
{
    std::error_code ec;
    fs::path absolute = fs::weakly_canonical(fs::absolute(path, ec), ec);
    return ec ? fs::absolute(path) : absolute;
}

core::Result<ResolvedPrompt> from_version(const std::string& reference,
                                          const PromptVersion& version)
{
    if (version.kind == git::ChangeKind::deleted) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("'{}': commit {} deleted the prompt",
                                       reference,
                                       version.commit.id.substr(0, 7)));
    }
    auto prompt = parse_prompt(fmt::format("{}@{}", version.path, version.commit.id.substr(0, 7)),
                               version.text);
    if (!prompt) {
        return prompt.error();
    }
    ResolvedPrompt resolved;
    resolved.reference = reference;
    resolved.prompt = std::move(*prompt);
    resolved.hash = prompt_hash(resolved.prompt);
    resolved.number = version.number;
    resolved.commit = version.commit.id;
    resolved.label = version_label(version);
    resolved.text = version.text;
    return resolved;
}

/// A file's changes as prompt versions, numbered along HEAD's first-parent chain.
PromptHistory to_prompt_history(const git::FileHistory& changes)
{
    PromptHistory history;
    history.state = changes.truncated ? HistoryState::truncated : HistoryState::complete;
    int number = 0;
    for (auto it = changes.changes.rbegin(); it != changes.changes.rend(); ++it) {
        PromptVersion version;
        version.commit = it->commit;
        version.kind = it->kind;
        version.path = it->path;
        version.previous_path = it->previous_path;
        version.renamed_to = it->renamed_to;
        version.at_shallow_edge = it->at_shallow_edge;
        version.first_parent = it->first_parent;
        if (it->kind != git::ChangeKind::deleted) {
            if (it->first_parent) {
                ++number;
                if (!changes.truncated) {
                    version.number = number;
                }
            }
            version.text = it->content;
            auto prompt = parse_prompt(version.path, version.text);
            if (prompt) {
                version.hash = prompt_hash(*prompt);
            } else {
                version.problem = prompt.error().message();
            }
        }
        history.versions.push_back(std::move(version));
    }
    return history;
}

} // namespace

const PromptVersion* PromptHistory::latest() const
{
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
        if (it->kind != git::ChangeKind::deleted && it->first_parent) {
            return &*it;
        }
    }
    return nullptr;
}

std::string version_label(const PromptVersion& version)
{
    if (version.number) {
        return fmt::format("v{}", *version.number);
    }
    return version.commit.id.substr(0, 7);
}

core::Result<PromptReference> parse_reference(const std::string& reference)
{
    PromptReference parsed;
    // A name holds no '@', so the first one starts the version, which may hold more
    // ('HEAD@{1}').
    const std::size_t at = reference.find('@');
    parsed.name = reference.substr(0, at);
    if (at != std::string::npos) {
        parsed.version = reference.substr(at + 1);
        if (parsed.version.empty()) {
            return core::Error(core::ErrorCode::usage,
                               fmt::format("'{}': nothing after '@' (a version number, "
                                           "'working', 'sha256:PREFIX' or a git revision)",
                                           reference));
        }
    }
    if (!is_valid_prompt_name(parsed.name)) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("'{}' is not a prompt name: '/'-separated words of "
                                       "letters, digits, '.', '_' and '-'",
                                       parsed.name));
    }
    return parsed;
}

core::Result<fs::path> find_registry_root(const fs::path& start)
{
    // The configuration file (.aiops.yaml, prompts.root) will name the registry here
    // once there is one; until then prompts/ is looked for, and --registry overrides.
    const fs::path from = absolute_path(start);
    auto repository = git::Repository::discover(from);
    std::optional<fs::path> limit;
    if (repository && repository->has_value()) {
        limit = absolute_path((*repository)->work_tree());
    }
    for (fs::path folder = from;; folder = folder.parent_path()) {
        std::error_code ec;
        if (fs::is_directory(folder / "prompts", ec)) {
            return folder;
        }
        if ((limit && folder == *limit) || folder == folder.parent_path()) {
            break;
        }
    }
    return core::Error(core::ErrorCode::usage,
                       fmt::format("no prompts/ folder in '{}' or above it{}; create one or "
                                   "name the registry with --registry DIR",
                                   from.string(),
                                   limit ? " up to the repository's root" : ""));
}

Registry::Registry(fs::path root, std::unique_ptr<git::Repository> repository)
    : m_root(std::move(root)), m_repository(std::move(repository))
{}

core::Result<Registry> Registry::open(const RegistryOptions& options)
{
    fs::path root;
    if (options.root) {
        root = absolute_path(*options.root);
        std::error_code ec;
        if (!fs::is_directory(root, ec)) {
            return core::Error(core::ErrorCode::usage,
                               fmt::format("--registry '{}': {}",
                                           options.root->string(),
                                           fs::exists(root, ec) ? "not a folder (name the folder "
                                                                  "that holds prompts/)"
                                                                : "no such folder"));
        }
    } else {
        auto found = find_registry_root(options.start);
        if (!found) {
            return found.error();
        }
        root = std::move(*found);
    }
    auto repository = git::Repository::discover(root);
    if (!repository) {
        return repository.error();
    }
    std::unique_ptr<git::Repository> owned;
    if (repository->has_value()) {
        owned = std::make_unique<git::Repository>(std::move(**repository));
    }
    core::log::debug(
        "prompt registry at '{}'{}", root.string(), owned ? ", in git" : ", outside git");
    return Registry(std::move(root), std::move(owned));
}

fs::path Registry::file_of(const std::string& name) const
{
    return prompts_folder() / (name + std::string(k_prompt_suffix));
}

std::string Registry::repository_path(const std::string& name) const
{
    if (!m_repository) {
        return {};
    }
    const fs::path file = absolute_path(file_of(name));
    const fs::path tree = absolute_path(m_repository->work_tree());
    return file.lexically_relative(tree).generic_string();
}

core::Result<std::vector<std::string>> Registry::names() const
{
    std::vector<std::string> names;
    const fs::path folder = prompts_folder();
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        return names;
    }
    for (auto it = fs::recursive_directory_iterator(folder, ec);
         !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        const std::string file = it->path().filename().string();
        if (!it->is_regular_file(ec) || !file.ends_with(k_prompt_suffix)) {
            continue;
        }
        std::string name = it->path().lexically_relative(folder).generic_string();
        name.resize(name.size() - k_prompt_suffix.size());
        names.push_back(std::move(name));
    }
    if (ec) {
        return core::Error(core::ErrorCode::io,
                           fmt::format("cannot list '{}': {}", folder.string(), ec.message()));
    }
    std::sort(names.begin(), names.end());
    return names;
}

core::Result<Prompt> Registry::load_working(const std::string& name) const
{
    const fs::path file = file_of(name);
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("no prompt '{}' (no file '{}')", name, file.string()));
    }
    auto text = source::read_file(file);
    if (!text) {
        return text.error();
    }
    const std::string shown = fs::relative(file, fs::current_path(), ec).generic_string();
    return parse_prompt(ec || shown.empty() ? file.string() : shown, *text, name);
}

core::Result<PromptHistory> Registry::history(const std::string& name) const
{
    auto all = histories({name});
    if (!all) {
        return all.error();
    }
    return std::move(all->front());
}

core::Result<std::vector<PromptHistory>>
Registry::histories(const std::vector<std::string>& names) const
{
    std::vector<PromptHistory> histories(names.size());
    if (!m_repository) {
        return histories;
    }
    if (!m_repository->head_commit()) {
        for (auto& history : histories) {
            history.state = HistoryState::no_commits;
        }
        return histories;
    }
    std::vector<std::string> paths;
    for (const auto& name : names) {
        paths.push_back(repository_path(name));
    }
    auto changes = m_repository->histories_of(paths);
    if (!changes) {
        return changes.error();
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        histories[i] = to_prompt_history((*changes)[i]);
    }
    return histories;
}

core::Result<ResolvedPrompt> Registry::resolve(const std::string& reference) const
{
    auto parsed = parse_reference(reference);
    if (!parsed) {
        return parsed.error();
    }
    const std::string& name = parsed->name;
    const std::string& wanted = parsed->version;

    if (wanted.empty() || wanted == "working") {
        auto prompt = load_working(name);
        if (!prompt) {
            return prompt.error();
        }
        ResolvedPrompt resolved;
        resolved.reference = reference;
        resolved.working = true;
        resolved.hash = prompt_hash(*prompt);
        resolved.label = "working";
        resolved.text = source::read_file(file_of(name)).take();
        resolved.prompt = std::move(*prompt);
        auto history = this->history(name);
        if (history) {
            if (const PromptVersion* latest = history->latest();
                latest && latest->hash == resolved.hash) {
                resolved.number = latest->number;
                resolved.commit = latest->commit.id;
            }
        }
        return resolved;
    }

    if (!m_repository) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("'{}': the registry is not in git, so only the working "
                                       "copy exists ('{}' or '{}@working')",
                                       reference,
                                       name,
                                       name));
    }
    auto history = this->history(name);
    if (!history) {
        return history.error();
    }
    if (wanted.starts_with("sha256:")) {
        return resolve_hash(reference, name, *history);
    }
    if (wanted.starts_with(k_commit_prefix)) {
        const std::string revision = wanted.substr(k_commit_prefix.size());
        if (revision.empty()) {
            return core::Error(core::ErrorCode::usage,
                               fmt::format("'{}': nothing after 'commit:' (a commit id, branch, "
                                           "tag, HEAD or HEAD~1)",
                                           reference));
        }
        auto commit = m_repository->resolve_commit(revision);
        if (!commit) {
            return core::Error(core::ErrorCode::usage,
                               fmt::format("'{}': {}", reference, commit.error().message()));
        }
        return resolve_commit_of(reference, name, *commit, *history);
    }

    // '3' and 'v3' are always version 3, whatever git names so: a tag 'v1' or an
    // all-digit abbreviated commit is reached with 'commit:'.
    if (const std::optional<int> number = version_number(wanted)) {
        return resolve_number(reference, name, *number, *history);
    }
    auto commit = m_repository->resolve_commit(wanted);
    if (!commit) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("'{}': '{}' is not a version: use a number (3 or v3), "
                                       "'working', 'sha256:PREFIX' or a git revision (a "
                                       "commit, branch, tag, HEAD or HEAD~1); {}",
                                       reference,
                                       wanted,
                                       commit.error().message()));
    }
    return resolve_commit_of(reference, name, *commit, *history);
}

core::Result<ResolvedPrompt> Registry::resolve_number(const std::string& reference,
                                                      const std::string& name,
                                                      int number,
                                                      const PromptHistory& history) const
{
    const std::string wanted = reference.substr(reference.find('@') + 1);
    // A git revision spelled like the number is named with 'commit:'; say so when
    // there is one, since the reference may have meant it.
    const std::string revision_hint =
        m_repository->resolve_commit(wanted)
            ? fmt::format("; '{}' also names a git revision, which is '{}@{}{}'",
                          wanted,
                          name,
                          k_commit_prefix,
                          wanted)
            : std::string();
    if (history.state == HistoryState::truncated) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("'{}': version numbers are not available in this "
                                       "shallow clone, whose oldest commits are missing; name a "
                                       "commit ('{}@{}REV') or a sha256: hash, or {}{}",
                                       reference,
                                       name,
                                       k_commit_prefix,
                                       k_unshallow_hint,
                                       revision_hint));
    }
    if (const PromptVersion* version = numbered_version(history, number)) {
        return from_version(reference, *version);
    }
    const PromptVersion* latest = history.latest();
    return core::Error(core::ErrorCode::usage,
                       fmt::format("'{}': prompt '{}' has {} (see 'aiops prompt versions {}'){}",
                                   reference,
                                   name,
                                   latest && latest->number
                                       ? fmt::format("versions v1 to v{}", *latest->number)
                                       : std::string("no numbered versions"),
                                   name,
                                   revision_hint));
}

core::Result<ResolvedPrompt> Registry::resolve_hash(const std::string& reference,
                                                    const std::string& name,
                                                    const PromptHistory& history) const
{
    const std::string prefix = reference.substr(reference.find('@') + 1);
    if (prefix.size() == std::string_view("sha256:").size()) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("'{}': the hash after 'sha256:' is empty; give its first "
                                       "digits (see 'aiops prompt versions {}')",
                                       reference,
                                       name));
    }
    std::vector<const PromptVersion*> matches;
    std::vector<std::string> hashes;
    for (const auto& version : history.versions) {
        if (!version.hash.empty() && version.hash.starts_with(prefix)) {
            matches.push_back(&version);
            hashes.push_back(version.hash);
        }
    }
    std::sort(hashes.begin(), hashes.end());
    hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
    if (hashes.size() > 1) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("'{}': {} versions have hashes starting so; give more "
                                       "digits",
                                       reference,
                                       hashes.size()));
    }
    if (matches.empty()) {
        auto working = resolve(name);
        if (working && working->hash.starts_with(prefix)) {
            working->reference = reference;
            return working;
        }
        return core::Error(core::ErrorCode::usage,
                           fmt::format("'{}': no version of '{}' has that hash", reference, name));
    }
    return from_version(reference, *matches.back());
}

core::Result<ResolvedPrompt> Registry::resolve_commit_of(const std::string& reference,
                                                         const std::string& name,
                                                         const std::string& commit,
                                                         const PromptHistory& history) const
{
    for (const auto& version : history.versions) {
        if (version.commit.id == commit) {
            return from_version(reference, version);
        }
    }
    // Any other commit: the file as it was there, under its current or an older name.
    std::vector<std::string> paths{repository_path(name)};
    for (const auto& version : history.versions) {
        paths.push_back(version.path);
    }
    for (const auto& path : paths) {
        auto text = m_repository->file_at(commit, path);
        if (!text) {
            return text.error();
        }
        if (*text) {
            PromptVersion version;
            version.commit.id = commit;
            version.path = path;
            version.text = **text;
            // The number is that of the newest version with the same content.
            auto prompt = parse_prompt(path, version.text);
            if (prompt) {
                const std::string hash = prompt_hash(*prompt);
                for (const auto& known : history.versions) {
                    if (known.number && known.hash == hash) {
                        version.number = known.number;
                    }
                }
            }
            return from_version(reference, version);
        }
    }
    return core::Error(
        core::ErrorCode::usage,
        fmt::format("'{}': commit {} has no prompt '{}'", reference, commit.substr(0, 7), name));
}

core::Result<RenderedPrompt> render_reference(const Registry& registry,
                                              const std::string& reference,
                                              const std::map<std::string, nlohmann::json>& values,
                                              std::string_view missing_hint)
{
    auto resolved = registry.resolve(reference);
    if (!resolved) {
        return resolved.error();
    }
    auto outcome = render_prompt(resolved->prompt, values, missing_hint);
    if (!outcome) {
        return outcome.error();
    }
    RenderedPrompt rendered;
    rendered.source = std::move(*resolved);
    for (auto& message : outcome->messages) {
        rendered.messages.emplace_back(std::move(message.role), std::move(message.content));
    }
    rendered.warnings = std::move(outcome->warnings);
    return rendered;
}

} // namespace aiops::prompt
