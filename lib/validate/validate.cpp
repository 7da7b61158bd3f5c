#include "validate/validate.hpp"

#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "core/progress.hpp"
#include "core/strings.hpp"
#include "core/thread_pool.hpp"
#include "report/line_hash.hpp"
#include "scan/redaction.hpp"
#include "source/source_file.hpp"
#include "validate/artefacts_check.hpp"
#include "validate/check.hpp"
#include "validate/conformance_check.hpp"
#include "validate/imports_check.hpp"
#include "validate/manifest_check.hpp"
#include "validate/syntax_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>

namespace aiops::validate {

namespace {

/// What checking one file produced; filled by one worker, read after all finish.
report::FileOutcome skipped_outcome(const std::string& path, std::string reason)
{
    report::FileOutcome outcome;
    outcome.skipped = report::SkippedFile{path, std::move(reason)};
    return outcome;
}

// A file without an extension is read to look for a shebang; the first line decides.
std::optional<source::Language> detect_from_content(const source::WorkspaceFile& file,
                                                    std::string_view bytes)
{
    if (file.language) {
        return file.language;
    }
    return source::language_from_shebang(bytes.substr(0, bytes.find('\n')));
}

report::FileOutcome check_file(const source::WorkspaceFile& file,
                               const std::vector<std::unique_ptr<Check>>& checks,
                               bool skip_minified)
{
    auto bytes = source::read_workspace_file(file);
    if (!bytes) {
        report::FileOutcome outcome;
        outcome.notice = report::Notice{
            report::Notice::Level::error, file.path, "cannot read: " + bytes.error().message()};
        return outcome;
    }
    if (source::looks_binary(*bytes)) {
        return skipped_outcome(file.path, "binary file (a NUL byte in its first 8 KiB)");
    }
    const auto language = detect_from_content(file, *bytes);
    if (!language) {
        if (file.named) {
            return skipped_outcome(file.path, "no supported language (name one with --lang)");
        }
        report::FileOutcome outcome;
        outcome.unsupported = true;
        return outcome;
    }
    const bool script = *language == source::Language::javascript
                        || *language == source::Language::typescript
                        || *language == source::Language::tsx;
    if (script && !file.named && skip_minified && source::looks_minified(*bytes)) {
        return skipped_outcome(file.path, "minified file (lines average over 300 bytes)");
    }
    const source::SourceText decoded = source::decode_source(std::move(*bytes), *language);
    auto checked = check_text(checks,
                              file.path,
                              file.location,
                              *language,
                              decoded.text,
                              decoded.invalid_offset,
                              decoded.invalid_reason);
    report::FileOutcome outcome;
    if (!checked) {
        if (checked.error().code() == core::ErrorCode::interrupted) {
            return outcome;
        }
        outcome.notice = report::Notice{
            report::Notice::Level::error, file.path, "cannot check: " + checked.error().message()};
        return outcome;
    }
    outcome.checked = true;
    outcome.findings = std::move(checked->findings);
    if (checked->note) {
        outcome.notice =
            report::Notice{report::Notice::Level::note, file.path, std::move(*checked->note)};
    }
    return outcome;
}

/// How a check is made from the run's setup.
struct CheckMaker
{
    std::string_view name;
    core::Result<std::unique_ptr<Check>> (*make)(const CheckSetup& setup);
};

/// Every check, in the order they run.
const std::vector<CheckMaker>& check_makers()
{
    static const std::vector<CheckMaker> makers{
        {"syntax",
         [](const CheckSetup& setup) -> core::Result<std::unique_ptr<Check>> {
             return make_syntax_check(setup.options.max_problems_per_file);
         }},
        {"artefacts",
         [](const CheckSetup& /*setup*/) -> core::Result<std::unique_ptr<Check>> {
             return make_artefacts_check();
         }},
        {"imports", make_imports_check},
        {"manifest", make_manifest_check},
        {"conformance",
         [](const CheckSetup& setup) -> core::Result<std::unique_ptr<Check>> {
             return make_conformance_check(setup);
         }},
    };
    return makers;
}

core::Result<bool> check_names(const std::vector<std::string>& checks)
{
    const std::vector<std::string> known = known_checks();
    if (checks.empty()) {
        // A gate that runs no check would pass whatever the code holds.
        return core::Error(core::ErrorCode::usage,
                           fmt::format("no check to run (checks: {})", fmt::join(known, ", ")));
    }
    for (const auto& check : checks) {
        if (std::find(known.begin(), known.end(), check) != known.end()) {
            continue;
        }
        std::string message = fmt::format("unknown check '{}'", check);
        if (auto suggestion = core::closest_match(check, known)) {
            message += fmt::format("; did you mean '{}'?", *suggestion);
        } else {
            message += fmt::format(" (checks: {})", fmt::join(known, ", "));
        }
        return core::Error(core::ErrorCode::usage, message);
    }
    return true;
}

} // namespace

core::Result<TextOutcome> check_text(const std::vector<std::unique_ptr<Check>>& checks,
                                     const std::string& path,
                                     const std::filesystem::path& location,
                                     source::Language language,
                                     std::string_view text,
                                     std::optional<std::size_t> invalid_offset,
                                     std::string_view invalid_reason)
{
    auto parsed = parse_for_checks(path, language, text);
    if (!parsed) {
        return parsed.error();
    }
    const core::LineIndex lines(text);
    const CheckedFile file{path,
                           location,
                           parsed->language,
                           text,
                           parsed->tree,
                           lines,
                           parsed->problems,
                           parsed->total_problems,
                           invalid_offset,
                           invalid_reason};
    FileFindings out;
    for (const auto& check : checks) {
        check->check_file(file, out);
    }
    // Syntax findings that a check explains otherwise (a truncated file) are left out.
    for (const auto& [first, last] : out.syntax_explained) {
        const core::TextPosition from = lines.position(first);
        const core::TextPosition to = lines.position(last);
        std::erase_if(out.findings, [&](const core::Finding& finding) {
            if (finding.rule_id != "syntax.error" && finding.rule_id != "syntax.missing") {
                return false;
            }
            const std::pair at{finding.location.start_line, finding.location.start_column};
            return at >= std::pair{from.line, from.column}
                   && (at < std::pair{to.line, to.column} || last >= text.size());
        });
    }
    TextOutcome outcome{std::move(out.findings), std::move(out.note), parsed->language};
    if (!outcome.findings.empty()) {
        // A snippet shows a line of the file, which may hold a secret: shown as a scan
        // shows it.
        scan::redact_findings(scan::builtin_secret_rules(), outcome.findings);
        report::attach_line_hashes(outcome.findings, text);
        std::sort(outcome.findings.begin(), outcome.findings.end(), core::finding_order);
        core::compute_fingerprints(outcome.findings);
    }
    return outcome;
}

core::Result<std::vector<std::unique_ptr<Check>>> make_checks(const CheckSetup& setup)
{
    if (auto valid = check_names(setup.options.checks); !valid) {
        return valid.error();
    }
    std::vector<std::unique_ptr<Check>> checks;
    std::vector<std::string> chosen = setup.options.checks;
    if (setup.options.spec) {
        chosen.emplace_back("conformance"); // naming a spec turns its check on
    }
    for (const auto& maker : check_makers()) {
        if (std::find(chosen.begin(), chosen.end(), maker.name) == chosen.end()) {
            continue;
        }
        auto check = maker.make(setup);
        if (!check) {
            return check.error();
        }
        checks.push_back(std::move(*check));
    }
    return checks;
}

std::vector<std::string> known_checks()
{
    std::vector<std::string> names;
    for (const auto& maker : check_makers()) {
        names.emplace_back(maker.name);
    }
    return names;
}

namespace {

/// Checks files in parallel, with progress on a terminal (when `progress_name` is set).
std::vector<report::FileOutcome> check_files(const std::vector<source::WorkspaceFile>& files,
                                             const std::vector<std::unique_ptr<Check>>& checks,
                                             const ValidateOptions& options,
                                             const char* progress_name)
{
    const unsigned jobs = options.jobs == 0 ? core::hardware_threads() : options.jobs;
    const bool skip_minified = options.walk.default_excludes;
    std::vector<report::FileOutcome> outcomes(files.size());
    std::optional<core::Progress> progress;
    if (progress_name != nullptr) {
        progress.emplace(progress_name, "files", outcomes.size());
    }
    core::parallel_for(outcomes.size(), jobs, [&](std::size_t i) {
        if (!core::interrupted()) {
            outcomes[i] = check_file(files[i], checks, skip_minified);
            if (progress) {
                progress->tick();
            }
        }
    });
    return outcomes;
}

/// The findings of every check's finish, and which of them --diff may compare with
/// the base.
struct Finished
{
    std::vector<core::Finding> comparable;
    std::vector<core::Finding> kept;
};

Finished finish_checks(const std::vector<std::unique_ptr<Check>>& checks)
{
    Finished out;
    for (const auto& check : checks) {
        auto findings = check->finish();
        scan::redact_findings(scan::builtin_secret_rules(), findings);
        auto& into = check->finish_judges_given_files() ? out.comparable : out.kept;
        std::move(findings.begin(), findings.end(), std::back_inserter(into));
    }
    return out;
}

// When the spec itself changed since the --diff base, every file it names is judged
// again, changed or not.
core::Result<bool> select_spec_files(const ValidateOptions& options, source::Workspace& workspace)
{
    auto named = spec_files(CheckSetup{options, workspace});
    if (!named) {
        return named.error();
    }
    if (workspace.diff->changed.count(named->spec) == 0) {
        return true;
    }
    const std::set<std::string> files(named->files.begin(), named->files.end());
    auto& unselected = workspace.unselected;
    for (auto it = unselected.begin(); it != unselected.end();) {
        if (files.count(it->path) != 0) {
            workspace.files.push_back(std::move(*it));
            it = unselected.erase(it);
        } else {
            ++it;
        }
    }
    std::sort(workspace.files.begin(), workspace.files.end(), [](const auto& a, const auto& b) {
        return a.path < b.path;
    });
    return true;
}

/// The spec's text at the --diff base: nullopt when the base has no spec there, the
/// work tree's text when the spec lies outside the repository.
core::Result<std::optional<std::string>> base_spec_text(const ValidateOptions& options,
                                                        const source::BaseVersions& versions)
{
    const auto path = versions.work_tree_path(std::filesystem::absolute(*options.spec));
    if (!path) {
        auto text = source::read_file(*options.spec);
        if (!text) {
            return core::Error(core::ErrorCode::usage, "--spec: " + text.error().message());
        }
        return std::optional<std::string>(std::move(*text));
    }
    return versions.read(*path);
}

/// The workspace of a run over the base versions: the checked files as the base holds
/// them, and (for the spec's sake) the files deleted since; the files left out stay
/// the same, as they are unchanged.
core::Result<source::Workspace> base_workspace(const source::Workspace& workspace,
                                               const source::BaseVersions& versions,
                                               const std::set<std::string>& paths,
                                               bool with_deleted)
{
    source::Workspace base;
    base.root = workspace.root;
    base.git = workspace.git;
    base.unselected = workspace.unselected;
    base.view = workspace.view;
    for (const auto& file : workspace.files) {
        if (paths.count(file.path) == 0) {
            continue;
        }
        auto version = versions.base_of(file);
        if (!version) {
            return version.error();
        }
        if (*version) {
            base.files.push_back(std::move(**version));
        }
    }
    for (const auto& path : with_deleted ? workspace.diff->deleted : std::set<std::string>()) {
        auto version = versions.deleted_file(path);
        if (!version) {
            return version.error();
        }
        if (*version) {
            base.files.push_back(std::move(**version));
        }
    }
    return base;
}

/// With --diff: runs the checks over the base versions of the files and keeps only the
/// new findings (see source::keep_new_findings). With a spec, the base is judged by the
/// spec as the base holds it.
core::Result<bool> keep_new_findings(const ValidateOptions& options,
                                     const source::Workspace& workspace,
                                     std::vector<core::Finding>& findings,
                                     std::vector<core::Finding>& comparable)
{
    auto versions = source::BaseVersions::open(workspace);
    if (!versions) {
        return versions.error();
    }
    ValidateOptions base_options = options;
    std::optional<std::string> spec_text;
    if (options.spec) {
        auto text = base_spec_text(options, *versions);
        if (!text) {
            return text.error();
        }
        spec_text = std::move(*text);
        if (!spec_text) {
            base_options.spec.reset(); // no spec at the base: nothing to conform to
            std::erase(base_options.checks, "conformance");
        }
    }
    // The spec's verdicts need every file the base had; the other checks only those
    // whose findings the change does not explain.
    std::set<std::string> paths = source::paths_of_untouched_findings(workspace, findings);
    if (base_options.spec) {
        for (const auto& file : workspace.files) {
            paths.insert(file.path);
        }
    }
    auto base = base_workspace(workspace, *versions, paths, base_options.spec.has_value());
    if (!base) {
        return base.error();
    }
    auto checks = make_checks(CheckSetup{base_options, *base, spec_text});
    if (!checks && spec_text) {
        // A spec the base cannot read held the code to nothing: what it finds now is new.
        base_options.spec.reset();
        std::erase(base_options.checks, "conformance");
        checks = make_checks(CheckSetup{base_options, *base});
    }
    if (!checks) {
        return checks.error();
    }
    const auto outcomes = check_files(base->files, *checks, base_options, nullptr);
    if (core::interrupted()) {
        return core::Error(core::ErrorCode::interrupted, "interrupted");
    }
    source::BaseFingerprints fingerprints;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        auto& known = fingerprints[base->files[i].path];
        for (const auto& finding : outcomes[i].findings) {
            known.insert(finding.fingerprint);
        }
    }
    for (const auto& finding : finish_checks(*checks).comparable) {
        fingerprints[finding.location.path].insert(finding.fingerprint);
    }
    source::keep_new_findings(workspace, findings, fingerprints);
    source::keep_new_findings(workspace, comparable, fingerprints);
    return true;
}

} // namespace

core::Result<report::Report> run_validate(const ValidateOptions& options)
{
    report::Report result;
    result.command = "validate";
    result.command_line = options.command_line;
    result.category = options.category;
    result.fail_on = options.fail_on;
    result.start_time_utc = report::utc_now();
    if (options.walk.shard) {
        result.shard = fmt::format("{}/{}", options.walk.shard->index, options.walk.shard->count);
    }

    auto workspace = source::walk_workspace(options.walk);
    if (!workspace) {
        return workspace.error();
    }
    if (options.spec && workspace->diff) {
        if (auto selected = select_spec_files(options, *workspace); !selected) {
            return selected.error();
        }
    }
    auto checks = make_checks(CheckSetup{options, *workspace});
    if (!checks) {
        return checks.error();
    }
    for (const auto& check : *checks) {
        auto rules = check->rules();
        std::move(rules.begin(), rules.end(), std::back_inserter(result.rules));
    }
    result.root = workspace->root;
    result.unsupported_files = workspace->unsupported_files;
    report::add_walk_results(
        result, workspace->skipped, workspace->unreadable, /*keep_going=*/false);

    const auto started = std::chrono::steady_clock::now();
    auto outcomes = check_files(workspace->files, *checks, options, "validate");
    if (core::interrupted()) {
        return core::Error(core::ErrorCode::interrupted, "interrupted");
    }
    report::add_file_outcomes(result, outcomes, /*keep_going=*/false);
    Finished finished = finish_checks(*checks);
    if (workspace->diff) {
        if (auto kept =
                keep_new_findings(options, *workspace, result.findings, finished.comparable);
            !kept) {
            return kept.error();
        }
    }
    const bool more_findings = !finished.comparable.empty() || !finished.kept.empty();
    for (auto* more : {&finished.comparable, &finished.kept}) {
        std::move(more->begin(), more->end(), std::back_inserter(result.findings));
    }
    if (more_findings) {
        std::stable_sort(result.findings.begin(), result.findings.end(), core::finding_order);
    }
    result.end_time_utc = report::utc_now();
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    core::log::info("checked {} files in {} ms: {} findings",
                    result.files_checked,
                    elapsed.count(),
                    result.findings.size());
    return result;
}

} // namespace aiops::validate
