#include "validate/manifest_check.hpp"

#include "core/line_index.hpp"
#include "core/sha256.hpp"
#include "source/source_file.hpp"
#include "spec/manifest.hpp"
#include "validate/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace aiops::validate {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_edited = "manifest.edited";
constexpr const char* k_missing = "manifest.missing-file";
constexpr const char* k_unfinished = "manifest.unfinished-switch";

/// A manifest found in the walk.
struct FoundManifest
{
    std::string folder;     ///< its generated folder, as reports name it ("" is the root)
    fs::path location;      ///< the generated folder on disk
    std::string shown_path; ///< the manifest file, as reports name it
    std::string text;
    spec::Manifest manifest;
    bool unfinished = false; ///< a switch to a new generation was stopped part-way
};

std::string join_report_path(const std::string& folder, const std::string& path)
{
    return folder.empty() ? path : folder + "/" + path;
}

std::string parent_of(const std::string& path)
{
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) {
        return "";
    }
    return slash == 0 ? "/" : path.substr(0, slash);
}

// Paths are compared after links are resolved: the root may come from git, which
// names the work tree by its real path, and the arguments from the working folder.
fs::path real_path(const fs::path& path)
{
    std::error_code ec;
    fs::path resolved = fs::weakly_canonical(fs::absolute(path), ec);
    if (ec) {
        resolved = fs::absolute(path).lexically_normal();
    }
    std::string text = resolved.string();
    while (text.size() > 1 && text.back() == '/') {
        text.pop_back();
    }
    return text;
}

class ManifestCheck final : public Check
{
public:
    ManifestCheck(std::vector<FoundManifest> manifests, std::vector<fs::path> scope)
        : m_manifests(std::move(manifests)), m_scope(std::move(scope))
    {}

    std::vector<report::RuleInfo> rules() const override
    {
        const std::vector<std::string> tags{"manifest", "provenance"};
        return {
            {k_edited,
             "EditedAfterGeneration",
             "A generated file was changed after generation.",
             "The file's SHA-256 differs from the one the generation manifest recorded.",
             "The file is not what the model produced: someone (or something) edited it "
             "after `aiops generate` wrote it. That may be intended; it means the spec and "
             "the manifest no longer describe the file, and generating again would undo the "
             "edit. Regenerate, or move the change into the spec or the prompt.",
             core::Severity::info,
             tags,
             "high",
             {},
             {},
             {}},
            {k_missing,
             "GeneratedFileMissing",
             "A file the generation manifest lists is gone.",
             "The manifest of the generated folder lists this file, but it is not there.",
             "A generated file was deleted or renamed after generation, so the folder no "
             "longer holds what was generated. Restore it, or generate the folder again.",
             core::Severity::high,
             tags,
             "high",
             {},
             {},
             {}},
            {k_unfinished,
             "UnfinishedGenerationSwitch",
             "A generation was stopped while it switched the folder's files.",
             "The folder holds the journal (.aiops/switch.json) of a switch to a new "
             "generation that did not complete.",
             "`aiops generate` writes every new file aside before it switches a folder, and "
             "a journal once the switch is decided; a run killed among the renames leaves "
             "some files new and some old. Run `aiops generate` for the folder again: it "
             "finishes the switch before anything else.",
             core::Severity::high,
             tags,
             "high",
             {},
             {},
             {}},
        };
    }

    void check_file(const CheckedFile&, FileFindings&) const override {}

    std::vector<core::Finding> finish() override;

private:
    bool in_scope(const fs::path& location) const
    {
        const std::string text = location.string();
        for (const auto& path : m_scope) {
            const std::string prefix = path.string();
            if (text == prefix || prefix == "/"
                || (text.size() > prefix.size() && text.compare(0, prefix.size(), prefix) == 0
                    && text[prefix.size()] == '/')) {
                return true;
            }
        }
        return false;
    }

    std::vector<FoundManifest> m_manifests;
    std::vector<fs::path> m_scope;
};

// Files of a folder caught between two generations would each look edited: one finding
// says what happened instead.
core::Finding unfinished_finding(const FoundManifest& found)
{
    core::Finding finding;
    finding.rule_id = k_unfinished;
    finding.severity = core::Severity::high;
    const std::string journal = join_report_path(found.folder, spec::k_switch_journal_path);
    finding.message = fmt::format("the generation of '{}' was stopped while it switched the "
                                  "files, so some are new and some old: run 'aiops generate' "
                                  "for it again to finish the switch",
                                  found.folder.empty() ? "." : found.folder);
    finding.location = {journal, 1, 1, 1, 1};
    finding.tags = {"manifest", "provenance"};
    std::vector<core::Finding> one{std::move(finding)};
    core::compute_fingerprints(one);
    return std::move(one.front());
}

std::vector<core::Finding> ManifestCheck::finish()
{
    std::vector<core::Finding> all;
    for (const auto& found : m_manifests) {
        if (found.unfinished) {
            all.push_back(unfinished_finding(found));
            continue;
        }
        const core::LineIndex lines(found.text);
        std::vector<core::Finding> at_manifest;
        for (const auto& entry : found.manifest.files) {
            const fs::path location = found.location / entry.path;
            if (!in_scope(real_path(location))) {
                continue;
            }
            const std::string shown = join_report_path(found.folder, entry.path);
            std::error_code ec;
            if (!fs::exists(location, ec)) {
                core::Finding finding;
                finding.rule_id = k_missing;
                finding.severity = core::Severity::high;
                finding.message =
                    fmt::format("'{}' is listed in the generation manifest but is missing", shown);
                finding.location = {found.shown_path,
                                    entry.origin.line,
                                    entry.origin.column,
                                    entry.origin.line,
                                    entry.origin.column};
                finding.snippet = lines.snippet(entry.origin.line, entry.origin.line);
                finding.tags = {"manifest", "provenance"};
                at_manifest.push_back(std::move(finding));
                continue;
            }
            auto bytes = source::read_file(location);
            if (!bytes || core::sha256_hex(*bytes) == entry.sha256) {
                continue;
            }
            core::Finding finding;
            finding.rule_id = k_edited;
            finding.severity = core::Severity::info;
            finding.message = fmt::format(
                "'{}' was edited after generation: its SHA-256 differs from the one in '{}'",
                shown,
                found.shown_path);
            finding.location = {shown, 1, 1, 1, 1};
            finding.tags = {"manifest", "provenance"};
            std::vector<core::Finding> one{std::move(finding)};
            core::compute_fingerprints(one);
            all.push_back(std::move(one.front()));
        }
        core::compute_fingerprints(at_manifest);
        std::move(at_manifest.begin(), at_manifest.end(), std::back_inserter(all));
    }
    return all;
}

// The folders of the walk that may hold a manifest: the path arguments and each walked
// file's folder, with the folders above them up to the root (for a path outside the
// root: up to the argument it was found under).
std::set<std::string> candidate_folders(const CheckSetup& setup, const std::vector<fs::path>& scope)
{
    const std::string root = real_path(setup.workspace.root).string();
    std::set<std::string> folders;
    const auto add = [&](std::string folder) {
        const bool outside = folder.starts_with('/');
        for (;; folder = parent_of(folder)) {
            if (outside && std::none_of(scope.begin(), scope.end(), [&](const fs::path& path) {
                    return folder.starts_with(path.string());
                })) {
                return;
            }
            if (!folders.insert(folder).second || folder.empty() || folder == "/") {
                return;
            }
        }
    };
    for (const auto& path : scope) {
        const std::string text = path.string();
        if (text == root) {
            add("");
        } else if (text.starts_with(root + "/")) {
            add(text.substr(root.size() + 1));
        } else {
            add(text);
        }
    }
    for (const auto& file : setup.workspace.files) {
        add(parent_of(file.path));
    }
    return folders;
}

} // namespace

core::Result<std::unique_ptr<Check>> make_manifest_check(const CheckSetup& setup)
{
    std::vector<fs::path> scope;
    for (const auto& path : setup.options.walk.paths) {
        scope.push_back(real_path(path));
    }
    if (scope.empty()) {
        scope.push_back(real_path("."));
    }
    std::vector<FoundManifest> manifests;
    for (const auto& folder : candidate_folders(setup, scope)) {
        const fs::path location =
            folder.starts_with('/') ? fs::path(folder) : setup.workspace.root / folder;
        const fs::path file = location / spec::k_manifest_path;
        std::error_code ec;
        if (fs::exists(location / spec::k_switch_journal_path, ec)) {
            FoundManifest unfinished{folder, location, {}, {}, {}, true};
            manifests.push_back(std::move(unfinished));
            continue;
        }
        if (!fs::is_regular_file(file, ec)) {
            continue;
        }
        auto text = source::read_file(file);
        if (!text) {
            return text.error();
        }
        const std::string shown = join_report_path(folder, spec::k_manifest_path);
        auto manifest = spec::read_manifest(shown, *text);
        if (!manifest) {
            return manifest.error();
        }
        // The manifest lists files: an entry that names a folder is a broken manifest.
        for (const auto& entry : manifest->files) {
            if (fs::is_directory(location / entry.path, ec)) {
                return core::Error(core::ErrorCode::input,
                                   fmt::format("{}:{}:{}: '{}' is a folder; the manifest lists "
                                               "files",
                                               shown,
                                               entry.origin.line,
                                               entry.origin.column,
                                               entry.path));
            }
        }
        manifests.push_back({folder, location, shown, std::move(*text), std::move(*manifest)});
    }
    return std::unique_ptr<Check>(std::make_unique<ManifestCheck>(std::move(manifests), scope));
}

} // namespace aiops::validate
