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

} // namespace

const std::vector<std::string>& default_exclude_patterns()
{
    static const std::vector<std::string> patterns(std::begin(k_default_excludes),
                                                   std::end(k_default_excludes));
    return patterns;
}

namespace {

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

    /// The files of no supported language that run() found, by report path.
    std::vector<std::string>& unsupported() { return m_unsupported; }

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
    std::vector<std::string> m_unsupported;
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
            m_unsupported.push_back(shown);
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
    if (!repo) {
        // Paths in the reports are then relative to the working folder: said, not silent.
        core::log::warn("{}; the root is the working folder", repo.error().message());
    } else if (repo->has_value()) {
        return (*repo)->work_tree();
    }
    return normalised_absolute(cwd);
}

} // namespace

namespace {

/// Converts between the paths reports give (relative to the root, or absolute outside
/// it) and the paths of a git work tree.
class TreePaths
{
public:
    TreePaths(const fs::path& root, const fs::path& work_tree)
        : m_work_tree(normalised_absolute(work_tree).string())
    {
        std::error_code ec;
        m_real_root = fs::weakly_canonical(root, ec).string();
        m_real_work_tree = fs::weakly_canonical(work_tree, ec).string();
    }

    /// A file's work-tree path; nullopt when it lies outside the work tree.
    std::optional<std::string> of_location(const fs::path& location) const
    {
        const std::string text = location.string();
        if (is_under(text, m_work_tree)) {
            return relative_to(text, m_work_tree);
        }
        // The root may have been named through a link to the work tree.
        std::error_code ec;
        const std::string real = fs::weakly_canonical(location, ec).string();
        if (!ec && is_under(real, m_real_work_tree)) {
            return relative_to(real, m_real_work_tree);
        }
        return std::nullopt;
    }

    /// The report path of a work-tree path.
    std::string report_path(const std::string& path) const
    {
        const std::string location = m_real_work_tree + "/" + path;
        if (is_under(location, m_real_root)) {
            return relative_to(location, m_real_root);
        }
        return m_work_tree + "/" + path;
    }

    const std::string& work_tree() const { return m_work_tree; }

private:
    std::string m_work_tree;
    std::string m_real_root;
    std::string m_real_work_tree;
};

// Moves the files a predicate rejects out of the run, and their skipped entries; the
// files stay known as unselected.
template <typename Keep> void select_files(Workspace& workspace, Keep keep)
{
    std::vector<WorkspaceFile> kept;
    for (auto& file : workspace.files) {
        (keep(file) ? kept : workspace.unselected).push_back(std::move(file));
    }
    workspace.files = std::move(kept);
}

core::Result<bool> keep_changed_files(Workspace& workspace,
                                      std::vector<std::string>& unsupported,
                                      const std::string& ref)
{
    auto changes = git::changes_since(workspace.root, ref);
    if (!changes) {
        return changes.error();
    }
    const TreePaths paths(workspace.root, changes->work_tree);
    DiffBase diff{ref, changes->base, paths.work_tree(), {}, {}};
    for (auto& [path, change] : changes->files) {
        std::optional<std::string> base_path;
        if (!change.added) {
            base_path = change.renamed_from.value_or(path);
        }
        diff.changed.emplace(paths.report_path(path), FileDiff{std::move(change), base_path});
    }
    for (const auto& path : changes->deleted) {
        diff.deleted.insert(paths.report_path(path));
    }
    const auto changed = [&](const std::string& path) { return diff.changed.count(path) != 0; };
    select_files(workspace, [&](const WorkspaceFile& file) { return changed(file.path); });
    std::erase_if(workspace.skipped, [&](const SkippedFile& file) { return !changed(file.path); });
    std::erase_if(unsupported, [&](const std::string& path) { return !changed(path); });
    core::log::debug("--diff {}: base {}, {} changed files, {} to check",
                     ref,
                     diff.commit,
                     diff.changed.size(),
                     workspace.files.size());
    workspace.diff = std::move(diff);
    return true;
}

/// The index as a file view: paths inside the work tree are read from the index, others
/// from the file system.
class IndexView final : public FileView
{
public:
    explicit IndexView(std::shared_ptr<const git::StagedFiles> staged)
        : m_staged(std::move(staged)), m_work_tree(m_staged->work_tree().string())
    {}

    std::vector<std::string> names_in(const fs::path& folder) const override
    {
        const auto path = in_work_tree(folder);
        return path ? m_staged->names_in(*path) : disk_view()->names_in(folder);
    }

    bool is_file(const fs::path& file) const override
    {
        const auto path = in_work_tree(file);
        return path ? m_staged->contains(*path) : disk_view()->is_file(file);
    }

    core::Result<std::string> read(const fs::path& file) const override
    {
        const auto path = in_work_tree(file);
        if (!path) {
            return disk_view()->read(file);
        }
        auto content = m_staged->content(*path);
        if (!content) {
            return content.error();
        }
        if (!*content) {
            return core::Error(core::ErrorCode::io, fmt::format("'{}' is not staged", *path));
        }
        return std::move(**content);
    }

private:
    std::optional<std::string> in_work_tree(const fs::path& path) const
    {
        const std::string text = normalised_absolute(path).string();
        if (text == m_work_tree) {
            return std::string();
        }
        if (is_under(text, m_work_tree)) {
            return relative_to(text, m_work_tree);
        }
        return std::nullopt;
    }

    std::shared_ptr<const git::StagedFiles> m_staged;
    std::string m_work_tree;
};

// A file named on the command line is checked as the index holds it, staged changes or
// not (pre-commit passes every file with --all-files); a file found in a folder only
// when its staged version differs from HEAD's.
core::Result<bool> keep_staged_files(Workspace& workspace, std::vector<std::string>& unsupported)
{
    auto read = git::StagedFiles::read(workspace.root);
    if (!read) {
        return read.error();
    }
    const auto staged = std::make_shared<const git::StagedFiles>(std::move(*read));
    const TreePaths paths(workspace.root, staged->work_tree());
    const auto staged_change = [&](const std::string& report_path) {
        const auto path = paths.of_location(workspace.root / report_path);
        return path && staged->changed().count(*path) != 0;
    };
    std::erase_if(workspace.skipped, [&](const auto& file) { return !staged_change(file.path); });
    std::erase_if(unsupported, [&](const auto& path) { return !staged_change(path); });

    std::set<std::string> chosen;
    for (auto& file : workspace.files) {
        const auto path = paths.of_location(file.location);
        const bool in_index = path && staged->contains(*path);
        if (file.named && !in_index) {
            workspace.skipped.push_back({file.path, "not in the index: it is not staged"});
            continue;
        }
        if (!in_index || !(file.named || staged->changed().count(*path) != 0)) {
            continue;
        }
        auto content = staged->content(*path);
        if (!content) {
            return content.error();
        }
        file.content = std::move(**content);
        chosen.insert(file.path);
    }
    select_files(workspace,
                 [&](const WorkspaceFile& file) { return chosen.count(file.path) != 0; });
    workspace.view = std::make_shared<IndexView>(staged);
    return true;
}

class DiskView final : public FileView
{
public:
    std::vector<std::string> names_in(const fs::path& folder) const override
    {
        std::vector<std::string> names;
        std::error_code ec;
        for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
            names.push_back(it->path().filename().string());
        }
        std::sort(names.begin(), names.end());
        return names;
    }

    bool is_file(const fs::path& file) const override
    {
        std::error_code ec;
        return fs::is_regular_file(file, ec);
    }

    core::Result<std::string> read(const fs::path& file) const override { return read_file(file); }
};

} // namespace

std::shared_ptr<const FileView> disk_view()
{
    static const auto view = std::make_shared<const DiskView>();
    return view;
}

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
    std::vector<std::string>& unsupported = walker.unsupported();
    if (options.shard) {
        const auto elsewhere = [&](const auto& entry) {
            return !in_shard(entry.path, *options.shard);
        };
        select_files(*workspace, [&](const WorkspaceFile& file) { return !elsewhere(file); });
        std::erase_if(workspace->skipped, elsewhere);
        std::erase_if(workspace->unreadable, elsewhere);
        std::erase_if(unsupported,
                      [&](const std::string& path) { return !in_shard(path, *options.shard); });
    }
    if (options.diff_ref) {
        if (auto kept = keep_changed_files(*workspace, unsupported, *options.diff_ref); !kept) {
            return kept.error();
        }
    }
    if (options.staged) {
        if (auto kept = keep_staged_files(*workspace, unsupported); !kept) {
            return kept.error();
        }
    }
    workspace->unsupported_files = unsupported.size();
    std::sort(workspace->unselected.begin(),
              workspace->unselected.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    std::sort(workspace->skipped.begin(),
              workspace->skipped.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    core::log::info("{} files to check, {} skipped, {} of other kinds",
                    workspace->files.size(),
                    workspace->skipped.size(),
                    workspace->unsupported_files);
    return workspace;
}

core::Result<std::string> read_workspace_file(const WorkspaceFile& file, BinaryFiles binary)
{
    if (file.content) {
        return *file.content;
    }
    return read_file(file.location, binary);
}

core::Result<BaseVersions> BaseVersions::open(const Workspace& workspace)
{
    if (!workspace.diff) {
        return core::Error(core::ErrorCode::internal, "the workspace has no diff base");
    }
    auto repository = git::Repository::discover(workspace.diff->work_tree);
    if (!repository) {
        return repository.error();
    }
    if (!*repository) {
        return core::Error(
            core::ErrorCode::io,
            fmt::format("git: no repository at '{}'", workspace.diff->work_tree.string()));
    }
    BaseVersions versions(workspace);
    versions.m_repository = std::make_shared<git::Repository>(std::move(**repository));
    return versions;
}

core::Result<std::optional<std::string>> BaseVersions::read(const std::string& work_tree_path) const
{
    return m_repository->file_at(m_workspace->diff->commit, work_tree_path);
}

core::Result<std::optional<WorkspaceFile>> BaseVersions::base_of(const WorkspaceFile& file) const
{
    const auto found = m_workspace->diff->changed.find(file.path);
    std::optional<std::string> base_path;
    if (found == m_workspace->diff->changed.end()) {
        // Not changed: the base holds it as the work tree does.
        base_path =
            TreePaths(m_workspace->root, m_workspace->diff->work_tree).of_location(file.location);
    } else {
        base_path = found->second.base_path;
    }
    if (!base_path) {
        return std::optional<WorkspaceFile>();
    }
    auto content = read(*base_path);
    if (!content) {
        return content.error();
    }
    if (!*content) {
        return std::optional<WorkspaceFile>();
    }
    WorkspaceFile base = file;
    base.content = std::move(**content);
    return std::optional<WorkspaceFile>(std::move(base));
}

core::Result<std::optional<WorkspaceFile>> BaseVersions::deleted_file(const std::string& path) const
{
    const TreePaths paths(m_workspace->root, m_workspace->diff->work_tree);
    const fs::path location =
        fs::path(path).is_absolute() ? fs::path(path) : m_workspace->root / path;
    const auto in_tree = paths.of_location(location);
    if (!in_tree) {
        return std::optional<WorkspaceFile>();
    }
    auto content = read(*in_tree);
    if (!content) {
        return content.error();
    }
    if (!*content) {
        return std::optional<WorkspaceFile>();
    }
    WorkspaceFile file{path, location, language_from_path(location), false, std::move(**content)};
    return std::optional<WorkspaceFile>(std::move(file));
}

std::optional<std::string> BaseVersions::work_tree_path(const fs::path& location) const
{
    return TreePaths(m_workspace->root, m_workspace->diff->work_tree)
        .of_location(normalised_absolute(location));
}

std::set<std::string> paths_of_untouched_findings(const Workspace& workspace,
                                                  const std::vector<core::Finding>& findings)
{
    std::set<std::string> paths;
    for (const auto& finding : findings) {
        if (!touches_change(workspace, finding)) {
            paths.insert(finding.location.path);
        }
    }
    return paths;
}

bool touches_change(const Workspace& workspace, const core::Finding& finding)
{
    if (!workspace.diff) {
        return false;
    }
    const auto found = workspace.diff->changed.find(finding.location.path);
    if (found == workspace.diff->changed.end()) {
        return false;
    }
    // An untracked or added file is new as a whole.
    if (found->second.change.added) {
        return true;
    }
    const int last = std::max(finding.location.start_line, finding.location.end_line);
    return found->second.change.touches(finding.location.start_line, last);
}

void keep_new_findings(const Workspace& workspace,
                       std::vector<core::Finding>& findings,
                       const BaseFingerprints& base)
{
    if (!workspace.diff) {
        return;
    }
    std::erase_if(findings, [&](const core::Finding& finding) {
        if (touches_change(workspace, finding)) {
            return false;
        }
        const auto file = base.find(finding.location.path);
        return file != base.end() && file->second.count(finding.fingerprint) != 0;
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
