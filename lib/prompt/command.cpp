#include "prompt/command.hpp"

#include "core/atomic_file.hpp"
#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "core/utf8.hpp"
#include "prompt/lint.hpp"
#include "prompt/lock.hpp"
#include "prompt/template.hpp"
#include "prompt/text_diff.hpp"
#include "scan/scan.hpp"
#include "source/source_file.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <set>

namespace aiops::prompt {

namespace {

using nlohmann::json;

const char* const k_unshallow_note =
    "this is a shallow clone: older versions are not here, so versions are not numbered; "
    "run 'git fetch --unshallow' for the whole history";

/// How many hex digits of a hash a table shows.
constexpr std::size_t k_shown_hash_digits = 12;

std::string short_hash(const std::string& hash)
{
    const std::size_t shown = std::string_view("sha256:").size() + k_shown_hash_digits;
    return hash.size() > shown ? hash.substr(0, shown) : hash;
}

/// Two different hashes shortened to as many digits as tell them apart.
std::pair<std::string, std::string> distinct_hashes(const std::string& a, const std::string& b)
{
    std::size_t common = 0;
    while (common < a.size() && common < b.size() && a[common] == b[common]) {
        ++common;
    }
    const std::size_t shown = std::max(short_hash(a).size(), common + 1);
    return {a.substr(0, shown), b.substr(0, shown)};
}

/// JSON text that never fails: a text that is not UTF-8 (a path git stores as bytes)
/// is written with U+FFFD in place of its bad bytes.
std::string dump(const json& document)
{
    return document.dump(2, ' ', false, json::error_handler_t::replace);
}

std::string short_commit(const std::string& id)
{
    return id.substr(0, 7);
}

/// The text cut to `width` code points, the last one an ellipsis when it is cut, so
/// that a long value keeps a table's columns in line.
std::string clip(const std::string& text, std::size_t width)
{
    if (core::count_code_points(text) <= width) {
        return text;
    }
    std::size_t offset = 0;
    for (std::size_t kept = 0; kept + 1 < width && offset < text.size(); ++kept) {
        offset += core::decode_utf8(text, offset).length;
    }
    return text.substr(0, offset) + "\u2026";
}

/// A commit's author date as ISO 8601 in the author's own offset, the date git log shows.
std::string iso_time(const git::CommitInfo& commit)
{
    const std::time_t local =
        static_cast<std::time_t>(commit.author_time + commit.author_time_offset * 60);
    std::tm parts = {};
    gmtime_r(&local, &parts);
    const int offset = commit.author_time_offset;
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
                       parts.tm_year + 1900,
                       parts.tm_mon + 1,
                       parts.tm_mday,
                       parts.tm_hour,
                       parts.tm_min,
                       parts.tm_sec,
                       offset < 0 ? '-' : '+',
                       std::abs(offset) / 60,
                       std::abs(offset) % 60);
}

std::string_view state_name(HistoryState state)
{
    switch (state) {
    case HistoryState::complete:
        return "complete";
    case HistoryState::truncated:
        return "shallow";
    case HistoryState::no_commits:
        return "no-commits";
    case HistoryState::no_git:
        return "no-git";
    }
    return "complete";
}

std::string_view kind_name(git::ChangeKind kind)
{
    switch (kind) {
    case git::ChangeKind::added:
        return "added";
    case git::ChangeKind::modified:
        return "modified";
    case git::ChangeKind::renamed:
        return "renamed";
    case git::ChangeKind::deleted:
        return "deleted";
    }
    return "modified";
}

json optional_json(const std::optional<std::string>& value)
{
    return value ? json(*value) : json();
}

json optional_json(const std::optional<int>& value)
{
    return value ? json(*value) : json();
}

const std::string& single_target(const PromptCommandOptions& options, const char* what)
{
    if (options.targets.size() != 1) {
        throw core::Error(core::ErrorCode::usage, fmt::format("expected one {}", what));
    }
    return options.targets.front();
}

/// Where the working copy stands against the history: "v3", "v3 + changes", ...
std::string working_state(const PromptHistory& history, const std::string& hash)
{
    if (history.state == HistoryState::no_git) {
        return "working";
    }
    const PromptVersion* latest = history.latest();
    if (latest == nullptr) {
        return "uncommitted";
    }
    return latest->hash == hash ? version_label(*latest) : version_label(*latest) + "+changes";
}

/// Fails as interrupted once an interrupt is requested; long loops call it between steps.
void stop_if_interrupted()
{
    if (core::interrupted()) {
        throw core::Error(core::ErrorCode::interrupted, "interrupted");
    }
}

/// How a prompt stands against the lock: no-lock, not-locked, same or changed.
std::string
lock_state(const std::optional<LockFile>& locked, const std::string& name, const std::string& hash)
{
    if (!locked) {
        return "no-lock";
    }
    for (const auto& entry : locked->prompts) {
        if (entry.name == name) {
            return entry.hash == hash ? "same" : "changed";
        }
    }
    return "not-locked";
}

int run_list(const Registry& registry, const PromptCommandOptions& options, std::ostream& out)
{
    std::optional<LockFile> locked;
    if (std::filesystem::exists(registry.lock_file())) {
        locked = read_lock(registry.lock_file()).take();
    }
    const LockFile working = working_lock(registry).take();
    std::vector<std::string> names;
    for (const auto& entry : working.prompts) {
        names.push_back(entry.name);
    }
    const std::vector<PromptHistory> histories = registry.histories(names).take();
    json prompts = json::array();
    std::string text = fmt::format("{:<32} {:<16} {:<21} {}\n", "NAME", "VERSION", "HASH", "LOCK");
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string& name = names[i];
        const std::string& hash = working.prompts[i].hash;
        const std::string state = working_state(histories[i], hash);
        const std::string locking = lock_state(locked, name, hash);
        const PromptVersion* latest = histories[i].latest();
        prompts.push_back({{"name", name},
                           {"version", optional_json(latest ? latest->number : std::nullopt)},
                           {"state", state},
                           {"uncommitted_changes", !latest || latest->hash != hash},
                           {"hash", hash},
                           {"lock", locking}});
        text += fmt::format("{:<32} {:<16} {:<21} {}\n", name, state, short_hash(hash), locking);
    }
    // A locked prompt whose file is gone is what verify fails on: list shows it too.
    for (const auto& entry : locked ? locked->prompts : std::vector<LockEntry>()) {
        if (std::find(names.begin(), names.end(), entry.name) == names.end()) {
            prompts.push_back({{"name", entry.name},
                               {"version", json()},
                               {"state", "removed"},
                               {"uncommitted_changes", true},
                               {"hash", json()},
                               {"lock", "removed"}});
            text += fmt::format("{:<32} {:<16} {:<21} {}\n", entry.name, "removed", "-", "removed");
        }
    }
    if (options.json) {
        out << dump(json{{"registry", registry.root().string()}, {"prompts", prompts}}) << "\n";
    } else {
        out << text;
    }
    return 0;
}

json resolved_json(const ResolvedPrompt& resolved)
{
    return {{"name", resolved.prompt.name},
            {"reference", resolved.reference},
            {"version", optional_json(resolved.number)},
            {"label", resolved.label},
            {"working", resolved.working},
            {"commit", optional_json(resolved.commit)},
            {"hash", resolved.hash}};
}

int run_show(const Registry& registry, const PromptCommandOptions& options, std::ostream& out)
{
    const ResolvedPrompt resolved =
        registry.resolve(single_target(options, "prompt reference")).take();
    if (options.json) {
        json document = resolved_json(resolved);
        document["prompt"] = to_canonical_json(resolved.prompt);
        document["text"] = resolved.text;
        out << dump(document) << "\n";
        return 0;
    }
    out << fmt::format("# prompt:  {}\n", resolved.prompt.name);
    std::string version = resolved.label;
    if (resolved.working) {
        version = resolved.commit
                      ? fmt::format("working copy, the same as {}",
                                    resolved.number ? fmt::format("v{}", *resolved.number)
                                                    : short_commit(*resolved.commit))
                      : std::string("working copy, not committed as it is");
    }
    out << fmt::format("# version: {}\n", version);
    if (resolved.commit) {
        out << fmt::format("# commit:  {}\n", *resolved.commit);
    }
    out << fmt::format("# hash:    {}\n", resolved.hash);
    out << resolved.text;
    if (!resolved.text.empty() && resolved.text.back() != '\n') {
        out << "\n";
    }
    return 0;
}

std::string history_note(const Registry& registry, const PromptHistory& history)
{
    switch (history.state) {
    case HistoryState::no_git:
        return fmt::format("'{}' is not in a git repository: only the working copy exists",
                           registry.root().string());
    case HistoryState::no_commits:
        return "the repository has no commits yet: only the working copy exists";
    case HistoryState::truncated:
        return k_unshallow_note;
    case HistoryState::complete:
        break;
    }
    return {};
}

int run_versions(const Registry& registry, const PromptCommandOptions& options, std::ostream& out)
{
    const std::string& name = single_target(options, "prompt name");
    const PromptHistory history = registry.history(name).take();
    std::optional<std::string> working_hash;
    if (std::filesystem::exists(registry.file_of(name))) {
        working_hash = prompt_hash(registry.load_working(name).take());
    }
    if (!working_hash && history.versions.empty()) {
        throw core::Error(core::ErrorCode::usage,
                          fmt::format("no prompt '{}' here or in the history", name));
    }
    const PromptVersion* latest = history.latest();
    const bool differs = working_hash && (!latest || latest->hash != *working_hash);
    const std::string note = history_note(registry, history);
    if (options.json) {
        json versions = json::array();
        for (const auto& version : history.versions) {
            versions.push_back(
                {{"version", optional_json(version.number)},
                 {"commit", version.commit.id},
                 {"date", iso_time(version.commit)},
                 {"author", version.commit.author_name},
                 {"hash", version.hash.empty() ? json() : json(version.hash)},
                 {"subject", version.commit.subject},
                 {"change",
                  version.at_shallow_edge ? std::string_view("as-of-shallow-edge")
                                          : kind_name(version.kind)},
                 {"first_parent", version.first_parent},
                 {"path", version.path},
                 {"previous_path",
                  version.previous_path.empty() ? json() : json(version.previous_path)},
                 {"renamed_to", version.renamed_to.empty() ? json() : json(version.renamed_to)},
                 {"problem", version.problem.empty() ? json() : json(version.problem)}});
        }
        json working = json();
        if (working_hash) {
            working = {{"hash", *working_hash}, {"differs_from_last_version", differs}};
        }
        out << dump(
            json{{"name", name},
                 {"history", state_name(history.state)},
                 {"numbered", history.state == HistoryState::complete},
                 {"note", note.empty() ? json() : json(note)},
                 {"head_detached", registry.repository() && registry.repository()->head_detached()},
                 {"versions", versions},
                 {"working", working}})
            << "\n";
        return 0;
    }
    if (!history.versions.empty()) {
        out << fmt::format("{:<8} {:<8} {:<10} {:<16} {:<21} {}\n",
                           "VERSION",
                           "COMMIT",
                           "DATE",
                           "AUTHOR",
                           "HASH",
                           "SUBJECT");
    }
    for (const auto& version : history.versions) {
        std::string subject = version.commit.subject;
        if (version.at_shallow_edge) {
            subject += " (the clone's oldest commit: the file may be older)";
        } else if (version.kind == git::ChangeKind::renamed) {
            subject += fmt::format(" (renamed from {})", version.previous_path);
        } else if (version.kind == git::ChangeKind::deleted) {
            subject += version.renamed_to.empty()
                           ? std::string(" (deleted)")
                           : fmt::format(" (renamed to {})", version.renamed_to);
        } else if (!version.problem.empty()) {
            subject += " (does not load)";
        }
        if (!version.first_parent) {
            subject += " (on a merged branch)";
        }
        out << fmt::format("{:<8} {:<8} {:<10} {:<16} {:<21} {}\n",
                           version.number ? fmt::format("v{}", *version.number) : std::string("-"),
                           short_commit(version.commit.id),
                           iso_time(version.commit).substr(0, 10),
                           clip(version.commit.author_name, 16),
                           version.hash.empty() ? std::string("-") : short_hash(version.hash),
                           subject);
    }
    if (!note.empty()) {
        out << "note: " << note << "\n";
    }
    const bool merged = std::any_of(history.versions.begin(),
                                    history.versions.end(),
                                    [](const PromptVersion& v) { return !v.first_parent; });
    if (merged) {
        out << fmt::format("note: versions are counted along HEAD's first-parent chain, so a "
                           "merge never renumbers them; a commit made on a merged branch is "
                           "not numbered (the merge that brought its change is), and is named "
                           "as {}@commit:ID\n",
                           name);
    }
    if (registry.repository() && registry.repository()->head_detached()) {
        out << fmt::format("note: HEAD is detached at {}: these are the versions in its history\n",
                           short_commit(registry.repository()->head_commit().value_or("")));
    }
    if (differs && history.state != HistoryState::no_git) {
        out << fmt::format("note: the working copy ({}) differs from the last committed version\n",
                           short_hash(*working_hash));
    }
    return 0;
}

/// The lines that say how two prompts' fields differ, each "field: before -> after".
std::vector<std::pair<std::string, std::pair<json, json>>> changed_fields(const Prompt& a,
                                                                          const Prompt& b)
{
    const json left = to_canonical_json(a);
    const json right = to_canonical_json(b);
    std::vector<std::pair<std::string, std::pair<json, json>>> fields;
    for (const char* key : {"name", "description"}) {
        if (left[key] != right[key]) {
            fields.push_back({key, {left[key], right[key]}});
        }
    }
    // Mappings key by key: 'model.temperature: 0.2 -> 0.3'.
    for (const char* key : {"model", "metadata"}) {
        json merged = left[key];
        merged.update(right[key]);
        for (const auto& [field, unused] : merged.items()) {
            const json before = left[key].value(field, json());
            const json after = right[key].value(field, json());
            if (before != after) {
                fields.push_back({fmt::format("{}.{}", key, field), {before, after}});
            }
        }
    }
    // Variables by name, so a reordering alone is one change and not many.
    std::map<std::string, std::pair<json, json>> variables;
    for (const auto& variable : left["variables"]) {
        variables[variable["name"].get<std::string>()].first = variable;
    }
    for (const auto& variable : right["variables"]) {
        variables[variable["name"].get<std::string>()].second = variable;
    }
    for (const auto& [name, sides] : variables) {
        if (sides.first != sides.second) {
            fields.push_back({"variables." + name, sides});
        }
    }
    if (left["variables"] != right["variables"] && fields.empty()) {
        fields.push_back({"variables (order)", {left["variables"], right["variables"]}});
    }
    return fields;
}

int run_diff(const Registry& registry, const PromptCommandOptions& options, std::ostream& out)
{
    if (options.targets.size() != 2) {
        throw core::Error(core::ErrorCode::usage, "expected two references: NAME@A NAME@B");
    }
    const ResolvedPrompt a = registry.resolve(options.targets[0]).take();
    const ResolvedPrompt b = registry.resolve(options.targets[1]).take();
    const auto fields = changed_fields(a.prompt, b.prompt);
    json messages = json::array();
    std::string text;
    const std::size_t count = std::max(a.prompt.messages.size(), b.prompt.messages.size());
    for (std::size_t i = 0; i < count; ++i) {
        const Message* left = i < a.prompt.messages.size() ? &a.prompt.messages[i] : nullptr;
        const Message* right = i < b.prompt.messages.size() ? &b.prompt.messages[i] : nullptr;
        const std::string left_text = left ? left->text : std::string();
        const std::string right_text = right ? right->text : std::string();
        const std::string left_role = left ? left->role : std::string("none");
        const std::string right_role = right ? right->role : std::string("none");
        const std::string patch =
            unified_diff(left_text,
                         right_text,
                         fmt::format("{} messages[{}] ({})", a.reference, i, left_role),
                         fmt::format("{} messages[{}] ({})", b.reference, i, right_role),
                         /*context=*/3,
                         /*what=*/"template");
        if (patch.empty() && left_role == right_role) {
            continue;
        }
        if (left_role != right_role) {
            text += fmt::format("messages[{}].role: {} -> {}\n", i, left_role, right_role);
        }
        text += patch;
        messages.push_back(
            {{"index", i}, {"from_role", left_role}, {"to_role", right_role}, {"diff", patch}});
    }
    std::string field_text;
    json field_list = json::array();
    for (const auto& [field, sides] : fields) {
        field_text +=
            fmt::format("{}: {} -> {}\n",
                        field,
                        sides.first.dump(-1, ' ', false, json::error_handler_t::replace),
                        sides.second.dump(-1, ' ', false, json::error_handler_t::replace));
        field_list.push_back({{"field", field}, {"from", sides.first}, {"to", sides.second}});
    }
    if (options.json) {
        out << dump(json{{"from", resolved_json(a)},
                         {"to", resolved_json(b)},
                         {"same", a.hash == b.hash},
                         {"fields", field_list},
                         {"messages", messages}})
            << "\n";
        return 0;
    }
    if (a.hash == b.hash) {
        out << fmt::format(
            "{} and {} are the same prompt ({})\n", a.reference, b.reference, short_hash(a.hash));
        return 0;
    }
    const auto [a_hash, b_hash] = distinct_hashes(a.hash, b.hash);
    const std::string a_name = parse_reference(a.reference).take().name;
    const std::string b_name = parse_reference(b.reference).take().name;
    if (a_name == b_name) {
        out << fmt::format(
            "prompt {}: {} ({}) -> {} ({})\n", b_name, a.label, a_hash, b.label, b_hash);
    } else {
        out << fmt::format(
            "prompts {} {} ({}) -> {} {} ({})\n", a_name, a.label, a_hash, b_name, b.label, b_hash);
    }
    out << field_text << text;
    return 0;
}

/// The text of a file a flag names; a file that is not there is a usage error (exit 2),
/// as a mistyped path is, rather than an I/O failure.
std::string read_named_file(const std::string& path, const char* flag)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw core::Error(
            core::ErrorCode::usage,
            fmt::format("{} '{}': {}",
                        flag,
                        path,
                        std::filesystem::exists(path, ec) ? "not a file" : "no such file"));
    }
    return source::read_file(path).take();
}

RenderValues collect_values(const PromptCommandOptions& options)
{
    RenderValues values;
    if (options.values_file) {
        // A mapping written out ('{items: [a, b]}') is read as it is, a path as a file.
        const std::string& given = *options.values_file;
        const bool written_out = given.starts_with('{');
        const std::string text = written_out ? given : read_named_file(given, "--vars");
        const json document = parse_values(written_out ? "--vars" : given, text).take();
        for (const auto& [key, value] : document.items()) {
            values[key] = value;
        }
    }
    std::set<std::string> given;
    for (const auto& assignment : options.variables) {
        const std::size_t equals = assignment.find('=');
        if (equals == std::string::npos || equals == 0) {
            throw core::Error(
                core::ErrorCode::usage,
                fmt::format("--var '{}': expected NAME=VALUE", core::to_valid_utf8(assignment)));
        }
        const std::string name = assignment.substr(0, equals);
        if (core::find_invalid_utf8(assignment)) {
            throw core::Error(
                core::ErrorCode::usage,
                fmt::format("--var '{}': the value is not valid UTF-8", core::to_valid_utf8(name)));
        }
        if (!given.insert(name).second) {
            throw core::Error(
                core::ErrorCode::usage,
                fmt::format("--var '{}' is given twice; give each variable once", name));
        }
        values[name] = assignment.substr(equals + 1);
    }
    return values;
}

int run_render(const Registry& registry, const PromptCommandOptions& options, std::ostream& out)
{
    const RenderValues values = collect_values(options);
    const RenderedPrompt rendered = render_reference(registry,
                                                     single_target(options, "prompt reference"),
                                                     values,
                                                     "(--var NAME=VALUE or --vars FILE)")
                                        .take();
    for (const auto& warning : rendered.warnings) {
        core::log::warn("{}", warning);
    }
    if (options.json) {
        json messages = json::array();
        for (const auto& [role, content] : rendered.messages) {
            messages.push_back({{"role", role}, {"content", content}});
        }
        json document = resolved_json(rendered.source);
        document["model"] = to_canonical_json(rendered.source.prompt)["model"];
        document["messages"] = messages;
        document["warnings"] = rendered.warnings;
        out << dump(document) << "\n";
        return 0;
    }
    bool first = true;
    for (const auto& [role, content] : rendered.messages) {
        out << (first ? "" : "\n") << "[" << role << "]\n" << content;
        if (!content.empty() && content.back() != '\n') {
            out << "\n";
        }
        first = false;
    }
    return 0;
}

int run_register(Registry& registry, const PromptCommandOptions& options, std::ostream& out)
{
    const std::string& name = single_target(options, "prompt name");
    if (!is_valid_prompt_name(name)) {
        throw core::Error(core::ErrorCode::usage, fmt::format("'{}' is not a prompt name", name));
    }
    if (!options.source_file) {
        throw core::Error(core::ErrorCode::usage, "register needs --file F");
    }
    const std::string text = read_named_file(*options.source_file, "--file");
    const Prompt prompt = parse_prompt(*options.source_file, text, name).take();
    git::Repository* repository = registry.repository();
    // A commit that cannot be made is found out before the file is written, so that a
    // refused run changes nothing.
    if (options.commit) {
        if (repository == nullptr) {
            throw core::Error(core::ErrorCode::usage,
                              fmt::format("--commit: '{}' is not in a git repository; nothing "
                                          "was written (register without --commit, or run "
                                          "'git init' first)",
                                          registry.root().string()));
        }
        auto author = repository->commit_identity();
        if (!author) {
            throw core::Error(
                author.error().code(),
                fmt::format("--commit: {}; nothing was written", author.error().message()));
        }
        core::log::debug("register: committing as {}", *author);
    }
    const std::filesystem::path target = registry.file_of(name);
    core::write_file_atomically(target, text).take();
    std::optional<std::string> commit;
    bool unchanged = false;
    if (options.commit) {
        // Registering a file HEAD already holds as it is makes no empty commit.
        const std::string path = registry.repository_path(name);
        if (repository->head_commit()) {
            const auto at_head = repository->file_at("HEAD", path).take();
            unchanged = at_head && *at_head == text;
        }
        if (!unchanged) {
            commit = repository->commit_file(path, fmt::format("prompt: register {}", name)).take();
        }
    }
    const std::string hash = prompt_hash(prompt);
    if (options.json) {
        out << dump(json{{"name", name},
                         {"file", target.string()},
                         {"hash", hash},
                         {"commit", optional_json(commit)},
                         {"unchanged_at_head", unchanged},
                         {"hooks_run", false},
                         {"signed", false}})
            << "\n";
        return 0;
    }
    out << fmt::format("registered {} in {} ({})\n", name, target.string(), short_hash(hash));
    if (commit) {
        out << fmt::format("committed as {}\n", short_commit(*commit));
        // The commit is made through libgit2, which runs no hooks and signs nothing.
        out << "note: git hooks (pre-commit, commit-msg) were not run and the commit is not "
               "signed; for either, register without --commit and commit with git\n";
    } else if (unchanged) {
        out << "nothing to commit: HEAD holds the file as it is\n";
    }
    return 0;
}

int run_lock(const Registry& registry, const PromptCommandOptions& options, std::ostream& out)
{
    const LockFile lock = lock_to_write(registry).take();
    // An interrupt leaves the lock as it was.
    stop_if_interrupted();
    core::write_file_atomically(registry.lock_file(), lock_to_text(lock)).take();
    if (options.json) {
        out << dump(json{{"file", registry.lock_file().string()}, {"prompts", lock.prompts.size()}})
            << "\n";
    } else {
        out << fmt::format("wrote {}: {} prompt{}\n",
                           registry.lock_file().string(),
                           lock.prompts.size(),
                           lock.prompts.size() == 1 ? "" : "s");
    }
    return 0;
}

int run_verify(const Registry& registry, const PromptCommandOptions& options, std::ostream& out)
{
    const LockFile locked = read_lock(registry.lock_file()).take();
    const LockFile current = working_lock(registry).take();
    const auto differences = compare_locks(locked, current);
    if (options.json) {
        json list = json::array();
        for (const auto& difference : differences) {
            list.push_back(
                {{"name", difference.name},
                 {"change", difference_kind_name(difference.kind)},
                 {"locked_hash",
                  difference.locked_hash.empty() ? json() : json(difference.locked_hash)},
                 {"current_hash",
                  difference.current_hash.empty() ? json() : json(difference.current_hash)}});
        }
        out << dump(json{{"lock", registry.lock_file().string()},
                         {"ok", differences.empty()},
                         {"differences", list}})
            << "\n";
        return differences.empty() ? 0 : 1;
    }
    for (const auto& difference : differences) {
        switch (difference.kind) {
        case LockDifferenceKind::changed: {
            const auto [locked_shown, current_shown] =
                distinct_hashes(difference.locked_hash, difference.current_hash);
            out << fmt::format(
                "changed  {}: locked {}, now {}\n", difference.name, locked_shown, current_shown);
            break;
        }
        case LockDifferenceKind::added:
            out << fmt::format("added    {}: not in the lock ({})\n",
                               difference.name,
                               short_hash(difference.current_hash));
            break;
        case LockDifferenceKind::removed:
            out << fmt::format("removed  {}: in the lock, no longer in prompts/\n",
                               difference.name);
            break;
        }
    }
    if (differences.empty()) {
        out << fmt::format("{}: {} prompt{} match{} the lock\n",
                           registry.lock_file().filename().string(),
                           current.prompts.size(),
                           current.prompts.size() == 1 ? "" : "s",
                           current.prompts.size() == 1 ? "es" : "");
        return 0;
    }
    out << fmt::format("{} prompt{} differ{} from {}; run 'aiops prompt lock' and commit the lock "
                       "if the change is meant\n",
                       differences.size(),
                       differences.size() == 1 ? "" : "s",
                       differences.size() == 1 ? "s" : "",
                       registry.lock_file().filename().string());
    return 1;
}

/// The path `aiops scan` gives a prompt's file when it scans the repository (or, outside
/// git, the registry's folder): what secret rules and their allowlist are matched against.
std::string scan_path_of(const Registry& registry, const std::string& name)
{
    if (registry.repository() != nullptr) {
        return registry.repository_path(name);
    }
    return "prompts/" + name + std::string(k_prompt_suffix);
}

int run_lint(const Registry& registry, const PromptCommandOptions& options, std::ostream& out)
{
    std::vector<std::string> names = options.targets;
    for (const auto& name : names) {
        if (name.find('@') != std::string::npos) {
            throw core::Error(core::ErrorCode::usage,
                              fmt::format("lint '{}': lint checks the working copies, so it takes "
                                          "names without '@VERSION' ('{}')",
                                          name,
                                          name.substr(0, name.find('@'))));
        }
    }
    if (names.empty()) {
        names = registry.names().take();
    }
    const scan::SecretFinder secrets = scan::SecretFinder::create().take();
    std::vector<LintProblem> problems;
    // A file that does not load fails the run (exit 2), but only after the others are
    // checked, so that one broken file does not hide every other finding.
    std::vector<core::Error> load_failures;
    for (const auto& name : names) {
        stop_if_interrupted();
        auto prompt = registry.load_working(name);
        if (!prompt) {
            core::log::error("{}", prompt.error().message());
            load_failures.push_back(prompt.error());
            continue;
        }
        const std::string text = source::read_file(registry.file_of(name)).take();
        for (auto& problem : lint_prompt(*prompt, text, secrets, scan_path_of(registry, name))) {
            problems.push_back(std::move(problem));
        }
    }
    std::size_t errors = 0;
    json list = json::array();
    std::string text;
    for (const auto& problem : problems) {
        errors += problem.error ? 1 : 0;
        text += fmt::format("{}:{}:{}: {}: {} [{}]\n",
                            problem.file,
                            problem.position.line,
                            problem.position.column,
                            problem.error ? "error" : "warning",
                            problem.message,
                            problem.check);
        list.push_back({{"prompt", problem.prompt},
                        {"file", problem.file},
                        {"line", problem.position.line},
                        {"column", problem.position.column},
                        {"check", problem.check},
                        {"severity", problem.error ? "error" : "warning"},
                        {"message", problem.message}});
    }
    const std::size_t warnings = problems.size() - errors;
    if (options.json) {
        out << dump(json{{"prompts", names.size() - load_failures.size()},
                         {"errors", errors},
                         {"warnings", warnings},
                         {"problems", list}})
            << "\n";
    } else {
        out << text
            << fmt::format("{} prompt{} checked: {} error{}, {} warning{}\n",
                           names.size() - load_failures.size(),
                           names.size() - load_failures.size() == 1 ? "" : "s",
                           errors,
                           errors == 1 ? "" : "s",
                           warnings,
                           warnings == 1 ? "" : "s");
    }
    if (!load_failures.empty()) {
        throw core::Error(load_failures.front().code(),
                          fmt::format("lint: {} prompt file{} did not load (above); the other "
                                      "prompts were checked",
                                      load_failures.size(),
                                      load_failures.size() == 1 ? "" : "s"));
    }
    return errors == 0 ? 0 : 1;
}

int dispatch(Registry& registry, const PromptCommandOptions& options, std::ostream& out)
{
    switch (options.action) {
    case PromptAction::list:
        return run_list(registry, options, out);
    case PromptAction::show:
        return run_show(registry, options, out);
    case PromptAction::versions:
        return run_versions(registry, options, out);
    case PromptAction::diff:
        return run_diff(registry, options, out);
    case PromptAction::render:
        return run_render(registry, options, out);
    case PromptAction::register_file:
        return run_register(registry, options, out);
    case PromptAction::lock:
        return run_lock(registry, options, out);
    case PromptAction::verify:
        return run_verify(registry, options, out);
    case PromptAction::lint:
        return run_lint(registry, options, out);
    }
    return 0;
}

} // namespace

core::Result<int> run_prompt_command(const PromptCommandOptions& options, std::ostream& out)
{
    try {
        Registry registry = Registry::open(options.registry).take();
        // A --registry that names the wrong folder would otherwise list nothing, lock
        // nothing and verify that nothing changed; register may start a new registry.
        std::error_code ec;
        if (options.action != PromptAction::register_file
            && !std::filesystem::is_directory(registry.prompts_folder(), ec)) {
            // '--registry prompts' names the prompts/ folder itself.
            const bool is_prompts_folder = registry.root().filename() == "prompts";
            throw core::Error(core::ErrorCode::usage,
                              fmt::format("the registry '{}' has no prompts/ folder; name the "
                                          "folder that holds it{}, or create it",
                                          registry.root().string(),
                                          is_prompts_folder ? fmt::format(
                                              " ('{}')", registry.root().parent_path().string())
                                                            : std::string()));
        }
        const int code = dispatch(registry, options, out);
        // Work that finished as the interrupt came still counts as interrupted, as in
        // the other commands; a registered file is written, and said so, either way.
        if (options.action != PromptAction::register_file) {
            stop_if_interrupted();
        }
        return code;
    } catch (const core::Error& error) {
        return error;
    }
}

} // namespace aiops::prompt
