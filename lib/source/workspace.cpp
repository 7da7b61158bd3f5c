#include "source/workspace.hpp"

#include "core/log.hpp"
#include "git/repository.hpp"
#include "source/ignore_rules.hpp"
#include "source/source_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <map>
#include <set>
#include <system_error>
#include <unordered_map>

namespace aiops::source {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_ignore_file = ".aiopsignore";

constexpr const char* k_default_excludes[] = {
    ".git/",
    "node_modules/",
    "vendor/",
    "dist/",
    "build/",
    ".venv/",
    "__pycache__/",
    ".tox/",
    ".mypy_cache/",
    "*.min.js",
    "*.min.mjs",
    "*.min.css",
};

bool is_under(const std::string& path, const std::string& folder)
{
    if (folder.empty() || folder == "/") {
        return true;
    }
    return path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0
           && path[folder.size()] == '/';
}

std::string relative_to(const std::string& path, const std::string& folder)
{
    if (path == folder) {
        return "";
    }
    if (folder == "/") {
        return path.substr(1);
    }
    return path.substr(folder.size() + 1);
}

fs::path normalised_absolute(const fs::path& path)
{
    fs::path absolute = fs::absolute(path).lexically_normal();
    std::string text = absolute.string();
    while (text.size() > 1 && text.back() == '/') {
        text.pop_back();
    }
    return text;
}

// Ignore files are read relative to a base folder: the root, or for a path named
// outside the root, that path's own folder.
struct IgnoreContext
{
    fs::path base;
    std::string base_text;
    IgnoreRules files;
    std::set<std::string> loaded_folders;
    std::unordered_map<std::string, bool> folder_verdicts;

    explicit IgnoreContext(fs::path folder) : base(std::move(folder)), base_text(base.string()) {}

    std::string rule_path(const fs::path& location) const
    {
        return relative_to(location.string(), base_text);
    }
};

class Walker
{
public:
    Walker(const WalkOptions& options, fs::path root)
        : m_options(options), m_root(std::move(root)), m_root_text(m_root.string())
    {
        std::error_code ec;
        const fs::path real = fs::canonical(m_root, ec);
        m_real_root = ec ? m_root_text : real.string();
        if (options.default_excludes) {
            for (const char* pattern : k_default_excludes) {
                m_defaults.add_pattern(pattern);
            }
        }
        for (const auto& pattern : options.excludes) {
            m_excludes.add_pattern(pattern);
        }
    }

    core::Result<Workspace> run();

private:
    core::Result<bool> add_argument(const fs::path& argument);
    core::Result<bool> walk_folder(IgnoreContext& context, const fs::path& folder);
    core::Result<bool>
    walk_with_git(IgnoreContext& context, const git::Repository& repo, const fs::path& folder);
    core::Result<bool> walk_files(IgnoreContext& context, const fs::path& folder);

    void consider(const fs::path& location, bool named);
    bool ignored(IgnoreContext& context,
                 const std::string& rule_path,
                 bool is_folder,
                 std::size_t checked_prefix);
    void load_ignore_file(IgnoreContext& context, const std::string& folder);
    std::string display_path(const fs::path& location) const;
    void skip(const fs::path& location, std::string reason);

    const WalkOptions& m_options;
    fs::path m_root;
    std::string m_root_text;
    std::string m_real_root;
    IgnoreRules m_defaults;
    IgnoreRules m_excludes;
    IgnoreContext m_root_context{m_root};
    std::set<std::string> m_seen;
    Workspace m_workspace;
    std::size_t m_found_in_argument = 0;
};

std::string Walker::display_path(const fs::path& location) const
{
    const std::string text = location.string();
    if (is_under(text, m_root_text)) {
        return relative_to(text, m_root_text);
    }
    return text;
}

void Walker::skip(const fs::path& location, std::string reason)
{
    m_workspace.skipped.push_back({display_path(location), std::move(reason)});
}

void Walker::load_ignore_file(IgnoreContext& context, const std::string& folder)
{
    if (!context.loaded_folders.insert(folder).second) {
        return;
    }
    const fs::path file = (folder.empty() ? context.base : context.base / folder) / k_ignore_file;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
        return;
    }
    auto content = read_file(file);
    if (!content) {
        core::log::warn("cannot read ignore patterns: {}", content.error().message());
        return;
    }
    core::log::debug("read ignore patterns from '{}'", file.string());
    context.files.add_file(folder, *content);
}

bool Walker::ignored(IgnoreContext& context,
                     const std::string& path,
                     bool is_folder,
                     std::size_t checked_prefix)
{
    const auto verdict = [this, &context](const std::string& candidate, bool folder) {
        const std::size_t slash = candidate.rfind('/');
        load_ignore_file(context,
                         slash == std::string::npos ? std::string() : candidate.substr(0, slash));
        if (int v = m_excludes.match(candidate, folder); v != 0) {
            return v > 0;
        }
        if (int v = context.files.match(candidate, folder); v != 0) {
            return v > 0;
        }
        return m_defaults.match(candidate, folder) > 0;
    };
    // Folders above the entry, below the part of the path already accepted.
    for (std::size_t slash = path.find('/', checked_prefix); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
        const std::string folder = path.substr(0, slash);
        auto known = context.folder_verdicts.find(folder);
        if (known == context.folder_verdicts.end()) {
            known = context.folder_verdicts.emplace(folder, verdict(folder, true)).first;
        }
        if (known->second) {
            return true;
        }
    }
    return verdict(path, is_folder);
}

void Walker::consider(const fs::path& location, bool named)
{
    const std::string shown = display_path(location);
    if (!m_seen.insert(shown).second) {
        ++m_found_in_argument; // found again through an overlapping path
        return;
    }
    std::error_code ec;
    const fs::file_status link_status = fs::symlink_status(location, ec);
    if (ec) {
        skip(location, "cannot read: " + ec.message());
        return;
    }
    if (fs::is_symlink(link_status)) {
        const fs::path target = fs::canonical(location, ec);
        if (ec) {
            skip(location, ec.value() == ELOOP ? "symbolic link loop" : "broken symbolic link");
            return;
        }
        if (fs::is_directory(target, ec)) {
            skip(location, "symbolic link to a folder is not followed");
            return;
        }
        // A link named on the command line is followed wherever it points: the user
        // asked for it. Found in a folder, it may not lead out of the workspace.
        if (!named && !is_under(target.string(), m_real_root)) {
            skip(location, "symbolic link points outside the workspace");
            return;
        }
    }
    const fs::file_status status = fs::status(location, ec);
    if (ec || !fs::is_regular_file(status)) {
        skip(location, "not a regular file");
        return;
    }
    std::optional<Language> language = named && m_options.forced_language
                                           ? m_options.forced_language
                                           : language_from_path(location);
    if (!language && !may_have_shebang(location) && !m_options.include_other_files) {
        if (named) {
            skip(location, "no supported language (name one with --lang)");
        } else {
            ++m_workspace.unsupported_files;
        }
        return;
    }
    const auto size = fs::file_size(location, ec);
    if (ec) {
        skip(location, "cannot read: " + ec.message());
        return;
    }
    if (size > m_options.max_file_size) {
        skip(location,
             fmt::format("larger than --max-file-size ({} bytes, the limit is {})",
                         size,
                         m_options.max_file_size));
        return;
    }
    ++m_found_in_argument;
    m_workspace.files.push_back({shown, location, language, named, std::nullopt});
}

core::Result<bool> Walker::walk_files(IgnoreContext& context, const fs::path& start)
{
    std::error_code ec;
    fs::directory_iterator first(start, ec);
    if (ec) {
        return core::Error(core::ErrorCode::io,
                           fmt::format("'{}': {}", start.string(), ec.message()));
    }
    std::vector<fs::path> pending{start};
    const std::string start_path = context.rule_path(start);
    const std::size_t start_prefix = start_path.empty() ? 0 : start_path.size() + 1;
    while (!pending.empty()) {
        const fs::path folder = pending.back();
        pending.pop_back();
        fs::directory_iterator it(folder, ec);
        if (ec) {
            m_workspace.unreadable.push_back(
                {display_path(folder), "cannot read folder: " + ec.message()});
            continue;
        }
        std::vector<fs::directory_entry> entries;
        for (; it != fs::directory_iterator(); it.increment(ec)) {
            if (ec) {
                break;
            }
            entries.push_back(*it);
        }
        for (const auto& entry : entries) {
            const fs::path& location = entry.path();
            const std::string name = location.filename().string();
            const bool is_folder = entry.is_directory(ec) && !entry.is_symlink(ec);
            if (is_folder && name == ".git") {
                continue;
            }
            if (ignored(context, context.rule_path(location), is_folder, start_prefix)) {
                continue;
            }
            if (is_folder) {
                pending.push_back(location);
            } else {
                consider(location, /*named=*/false);
            }
        }
    }
    return true;
}

core::Result<bool>
Walker::walk_with_git(IgnoreContext& context, const git::Repository& repo, const fs::path& folder)
{
    const std::string work_tree = repo.work_tree().string();
    const std::string folder_text = folder.string();
    const std::string in_repo = relative_to(folder_text, work_tree);
    auto files = repo.files_under(in_repo);
    if (!files) {
        return files.error();
    }
    const std::string start_path = context.rule_path(folder);
    const std::size_t start_prefix = start_path.empty() ? 0 : start_path.size() + 1;
    for (const auto& file : *files) {
        const fs::path location = repo.work_tree() / file.path;
        if (!is_under(location.string(), context.base_text)) {
            continue;
        }
        if (ignored(context, context.rule_path(location), /*is_folder=*/false, start_prefix)) {
            continue;
        }
        consider(location, /*named=*/false);
    }
    return true;
}

core::Result<bool> Walker::walk_folder(IgnoreContext& context, const fs::path& folder)
{
    if (m_options.use_git) {
        auto repo = git::Repository::discover(folder);
        if (!repo) {
            core::log::warn("{}; listing the folder's files without git", repo.error().message());
        } else if (repo->has_value()) {
            const git::Repository& found = **repo;
            const std::string in_repo = relative_to(folder.string(), found.work_tree().string());
            // A folder named on the command line that git ignores is still checked:
            // asking for it says more than the ignore file does.
            if (in_repo.empty() || !found.is_ignored(in_repo + "/")) {
                m_workspace.git = true;
                return walk_with_git(context, found, folder);
            }
            core::log::info("'{}' is ignored by git; listing its files from the file system",
                            folder.string());
        }
    }
    return walk_files(context, folder);
}

core::Result<bool> Walker::add_argument(const fs::path& argument)
{
    const fs::path location = normalised_absolute(argument);
    std::error_code ec;
    const fs::file_status link_status = fs::symlink_status(location, ec);
    if (ec && ec.value() == EACCES) {
        return core::Error(core::ErrorCode::io,
                           fmt::format("'{}': {}", argument.string(), ec.message()));
    }
    if (ec || !fs::exists(link_status)) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("'{}': no such file or folder", argument.string()));
    }
    const fs::file_status status = fs::status(location, ec);
    if (ec) {
        const std::string why = ec.value() == ELOOP ? "symbolic link loop" : "broken symbolic link";
        return core::Error(core::ErrorCode::usage, fmt::format("'{}': {}", argument.string(), why));
    }
    m_found_in_argument = 0;
    if (fs::is_directory(status)) {
        core::Result<bool> walked = true;
        if (location.string() == m_root_text || is_under(location.string(), m_root_text)) {
            walked = walk_folder(m_root_context, location);
        } else {
            IgnoreContext outside(location);
            walked = walk_folder(outside, location);
        }
        if (!walked) {
            return walked;
        }
        if (m_found_in_argument == 0) {
            core::log::warn("'{}': no files to check in this folder (files may be ignored by git, "
                            "'.aiopsignore' or the default excludes; see --no-default-excludes)",
                            argument.string());
        }
        return true;
    }
    consider(location, /*named=*/true);
    return true;
}

core::Result<Workspace> Walker::run()
{
    m_workspace.root = m_root;
    std::vector<fs::path> arguments = m_options.paths;
    if (arguments.empty()) {
        arguments.emplace_back(".");
    }
    for (const auto& argument : arguments) {
        auto added = add_argument(argument);
        if (!added) {
            return added.error();
        }
    }
    auto by_path = [](const auto& a, const auto& b) { return a.path < b.path; };
    std::sort(m_workspace.files.begin(), m_workspace.files.end(), by_path);
    std::sort(m_workspace.skipped.begin(), m_workspace.skipped.end(), by_path);
    core::log::info("{} files to check, {} skipped, {} of other kinds",
                    m_workspace.files.size(),
                    m_workspace.skipped.size(),
                    m_workspace.unsupported_files);
    return std::move(m_workspace);
}

core::Result<fs::path> default_root()
{
    std::error_code ec;
    const fs::path cwd = fs::current_path(ec);
    if (ec) {
        return core::Error(core::ErrorCode::io, "cannot read the working folder: " + ec.message());
    }
    auto repo = git::Repository::discover(cwd);
    if (repo && repo->has_value()) {
        return (*repo)->work_tree();
    }
    return normalised_absolute(cwd);
}

} // namespace

namespace {

// A file's path in its git work tree, '/'-separated, or "" outside it.
std::string work_tree_path(const fs::path& location, const fs::path& work_tree)
{
    std::error_code ec;
    const fs::path absolute = fs::weakly_canonical(fs::absolute(location, ec), ec);
    const fs::path tree = fs::weakly_canonical(work_tree, ec);
    const fs::path relative = absolute.lexically_relative(tree);
    if (ec || relative.empty() || *relative.begin() == "..") {
        return {};
    }
    return relative.generic_string();
}

core::Result<bool> keep_changed_files(Workspace& workspace, const std::string& ref)
{
    auto changes = git::changes_since(workspace.root, ref);
    if (!changes) {
        return changes.error();
    }
    std::map<std::string, std::vector<git::LineRange>> lines;
    std::erase_if(workspace.files, [&](const WorkspaceFile& file) {
        const auto changed = changes->files.find(work_tree_path(file.location, changes->work_tree));
        if (changed == changes->files.end()) {
            return true;
        }
        lines[file.path] = changed->second.lines;
        return false;
    });
    std::erase_if(workspace.skipped, [&](const SkippedFile& skipped) {
        return changes->files.count(
                   work_tree_path(workspace.root / skipped.path, changes->work_tree))
               == 0;
    });
    core::log::debug("--diff {}: base {}, {} changed files, {} to check",
                     ref,
                     changes->base,
                     changes->files.size(),
                     workspace.files.size());
    workspace.changed_lines = std::move(lines);
    return true;
}

core::Result<bool> keep_staged_files(Workspace& workspace)
{
    auto staged = git::staged_files(workspace.root);
    if (!staged) {
        return staged.error();
    }
    std::error_code ec;
    const auto repository = git::Repository::discover(workspace.root);
    if (!repository || !*repository) {
        return core::Error(core::ErrorCode::usage, "--staged: not inside a git work tree");
    }
    const fs::path work_tree = (*repository)->work_tree();
    std::map<std::string, std::string*> by_path;
    for (auto& file : *staged) {
        by_path[file.path] = &file.content;
    }
    std::erase_if(workspace.files, [&](WorkspaceFile& file) {
        const auto found = by_path.find(work_tree_path(file.location, work_tree));
        if (found == by_path.end()) {
            return true;
        }
        file.staged_content = std::move(*found->second);
        return false;
    });
    std::erase_if(workspace.skipped, [&](const SkippedFile& skipped) {
        return by_path.count(work_tree_path(workspace.root / skipped.path, work_tree)) == 0;
    });
    return true;
}

} // namespace

core::Result<Workspace> walk_workspace(const WalkOptions& options)
{
    fs::path root;
    if (options.root) {
        std::error_code ec;
        if (!fs::is_directory(*options.root, ec)) {
            return core::Error(core::ErrorCode::usage,
                               fmt::format("--root '{}': not a folder", options.root->string()));
        }
        root = normalised_absolute(*options.root);
    } else {
        auto found = default_root();
        if (!found) {
            return found.error();
        }
        root = normalised_absolute(*found);
    }
    Walker walker(options, root);
    auto workspace = walker.run();
    if (!workspace) {
        return workspace;
    }
    if (options.shard) {
        const auto elsewhere = [&](const auto& entry) {
            return !in_shard(entry.path, *options.shard);
        };
        std::erase_if(workspace->files, elsewhere);
        std::erase_if(workspace->skipped, elsewhere);
        std::erase_if(workspace->unreadable, elsewhere);
    }
    if (options.diff_ref) {
        if (auto kept = keep_changed_files(*workspace, *options.diff_ref); !kept) {
            return kept.error();
        }
    }
    if (options.staged) {
        if (auto kept = keep_staged_files(*workspace); !kept) {
            return kept.error();
        }
    }
    return workspace;
}

core::Result<std::string> read_workspace_file(const WorkspaceFile& file)
{
    if (file.staged_content) {
        return *file.staged_content;
    }
    return read_file(file.location);
}

void keep_findings_on_changed_lines(const Workspace& workspace,
                                    std::vector<core::Finding>& findings)
{
    if (!workspace.changed_lines) {
        return;
    }
    std::erase_if(findings, [&](const core::Finding& finding) {
        const auto file = workspace.changed_lines->find(finding.location.path);
        if (file == workspace.changed_lines->end()) {
            return true;
        }
        const int line = finding.location.start_line;
        return std::none_of(file->second.begin(), file->second.end(), [&](const auto& range) {
            return line >= range.first && line <= range.last;
        });
    });
}

std::optional<Shard> parse_shard(std::string_view text)
{
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos) {
        return std::nullopt;
    }
    const auto number = [](std::string_view digits) -> std::optional<unsigned> {
        unsigned value = 0;
        const auto [end, error] =
            std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (error != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
            return std::nullopt;
        }
        return value;
    };
    const auto index = number(text.substr(0, slash));
    const auto count = number(text.substr(slash + 1));
    if (!index || !count || *index < 1 || *index > *count) {
        return std::nullopt;
    }
    return Shard{*index, *count};
}

bool in_shard(std::string_view path, const Shard& shard)
{
    // FNV-1a: stable across platforms and releases, unlike std::hash.
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : path) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return hash % shard.count == shard.index - 1;
}

bool looks_minified(std::string_view text)
{
    if (text.size() < 4096) {
        return false;
    }
    const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    return text.size() / lines > 300;
}

} // namespace aiops::source
