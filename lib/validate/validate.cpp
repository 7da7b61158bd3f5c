#include "validate/validate.hpp"

#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/thread_pool.hpp"
#include "report/line_hash.hpp"
#include "source/source_file.hpp"
#include "validate/syntax_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

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

void attach_line_hashes(std::vector<core::Finding>& findings, std::string_view text)
{
    const auto hashes = report::hash_lines(text);
    for (auto& finding : findings) {
        const auto line = static_cast<std::size_t>(finding.location.start_line);
        if (line >= 1 && line <= hashes.size()) {
            finding.line_hash = report::format_line_hash(hashes[line - 1]);
        }
    }
}

report::FileOutcome check_file(const source::WorkspaceFile& file, const ValidateOptions& options)
{
    auto bytes = source::read_file(file.location);
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
    if (script && options.walk.default_excludes && !file.named && source::looks_minified(*bytes)) {
        return skipped_outcome(file.path, "minified file (lines average over 300 bytes)");
    }
    const source::SourceText decoded = source::decode_source(std::move(*bytes), *language);
    auto syntax = check_syntax(file.path,
                               *language,
                               decoded.text,
                               decoded.invalid_offset,
                               decoded.invalid_reason,
                               options.max_problems_per_file);
    report::FileOutcome outcome;
    if (!syntax) {
        if (syntax.error().code() == core::ErrorCode::interrupted) {
            return outcome;
        }
        outcome.notice = report::Notice{
            report::Notice::Level::error, file.path, "cannot check: " + syntax.error().message()};
        return outcome;
    }
    outcome.checked = true;
    outcome.findings = std::move(syntax->findings);
    if (!outcome.findings.empty()) {
        attach_line_hashes(outcome.findings, decoded.text);
        std::sort(outcome.findings.begin(), outcome.findings.end(), core::finding_order);
        core::compute_fingerprints(outcome.findings);
    }
    if (syntax->not_shown > 0) {
        outcome.notice = report::Notice{
            report::Notice::Level::note,
            file.path,
            fmt::format("{} more syntax problems are not shown (at most {} a file; see "
                        "--max-errors-per-file)",
                        syntax->not_shown,
                        options.max_problems_per_file)};
    }
    return outcome;
}

core::Result<bool> check_names(const std::vector<std::string>& checks)
{
    const std::vector<std::string> known = known_checks();
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

std::vector<std::string> known_checks()
{
    return {"syntax"};
}

core::Result<report::Report> run_validate(const ValidateOptions& options)
{
    if (auto valid = check_names(options.checks); !valid) {
        return valid.error();
    }
    report::Report result;
    result.command = "validate";
    result.command_line = options.command_line;
    result.category = options.category;
    result.fail_on = options.fail_on;
    result.start_time_utc = report::utc_now();
    result.rules = syntax_rules();

    auto workspace = source::walk_workspace(options.walk);
    if (!workspace) {
        return workspace.error();
    }
    result.root = workspace->root;
    result.unsupported_files = workspace->unsupported_files;
    report::add_walk_results(
        result, workspace->skipped, workspace->unreadable, /*keep_going=*/false);

    const auto started = std::chrono::steady_clock::now();
    const unsigned jobs = options.jobs == 0 ? core::hardware_threads() : options.jobs;
    std::vector<report::FileOutcome> outcomes(workspace->files.size());
    core::parallel_for(outcomes.size(), jobs, [&](std::size_t i) {
        if (!core::interrupted()) {
            outcomes[i] = check_file(workspace->files[i], options);
        }
    });
    if (core::interrupted()) {
        return core::Error(core::ErrorCode::interrupted, "interrupted");
    }

    report::add_file_outcomes(result, outcomes, /*keep_going=*/false);
    result.end_time_utc = report::utc_now();
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    core::log::info("checked {} files on {} threads in {} ms: {} findings",
                    result.files_checked,
                    jobs,
                    elapsed.count(),
                    result.findings.size());
    return result;
}

} // namespace aiops::validate
