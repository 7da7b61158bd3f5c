#include "core/atomic_file.hpp"
#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "core/sha256.hpp"
#include "core/strings.hpp"
#include "core/version.hpp"
#include "generate/extract.hpp"
#include "generate/folder_switch.hpp"
#include "generate/job.hpp"
#include "generate/safe_writer.hpp"
#include "source/language.hpp"
#include "validate/import_project.hpp"
#include "validate/validate.hpp"

#include <fmt/format.h>

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>

namespace aiops::generate {

namespace fs = std::filesystem;

namespace {

std::string utc_timestamp()
{
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

/// A scratch folder for checking files before they are written; removed when done.
class ScratchFolder
{
public:
    ScratchFolder()
    {
        std::string pattern = (fs::temp_directory_path() / "aiops-generate-XXXXXX").string();
        if (::mkdtemp(pattern.data()) != nullptr) {
            m_path = pattern;
        }
    }

    ~ScratchFolder()
    {
        if (!m_path.empty()) {
            std::error_code ignored;
            fs::remove_all(m_path, ignored);
        }
    }

    ScratchFolder(const ScratchFolder&) = delete;
    ScratchFolder& operator=(const ScratchFolder&) = delete;

    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

/// Writes files into a scratch folder.
core::Result<bool> put_files(const fs::path& folder, const std::vector<ExtractedFile>& files)
{
    for (const auto& file : files) {
        if (core::interrupted()) {
            return core::Error(core::ErrorCode::interrupted, "interrupted");
        }
        if (auto written = core::write_file_atomically(folder / file.path, file.content);
            !written) {
            return written;
        }
    }
    return true;
}

/// The dependency manifests already in the output folder, in the folders the files go
/// to and those above them up to the output folder, that the reply does not replace and
/// no generation wrote: they declare dependencies as the spec does, as they will for
/// `aiops validate` once the files are written.
std::vector<ExtractedFile> manifests_on_disk(const Job& job,
                                             const std::vector<ExtractedFile>& files)
{
    std::set<std::string> folders{""};
    for (const auto& file : files) {
        for (fs::path folder = fs::path(file.path).parent_path(); !folder.empty();
             folder = folder.parent_path()) {
            folders.insert(folder.generic_string());
        }
    }
    const auto replaced_or_generated = [&](const std::string& path) {
        return std::any_of(files.begin(),
                           files.end(),
                           [&](const ExtractedFile& file) { return file.path == path; })
               || (job.previous
                   && std::any_of(
                       job.previous->files.begin(),
                       job.previous->files.end(),
                       [&](const spec::ManifestFile& entry) { return entry.path == path; }));
    };
    std::vector<ExtractedFile> found;
    for (const auto& folder : folders) {
        std::error_code error;
        for (auto it = fs::directory_iterator(job.output / folder, error);
             !error && it != fs::directory_iterator();
             it.increment(error)) {
            const std::string path =
                (fs::path(folder) / it->path().filename()).lexically_normal().generic_string();
            if (!it->is_regular_file(error) || it->is_symlink(error)
                || !validate::declares_dependencies(path) || replaced_or_generated(path)) {
                continue;
            }
            std::ifstream in(it->path(), std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            found.push_back({path, text.str(), 0});
        }
    }
    return found;
}

/// Runs validate over files in a scratch folder of their own; findings of `low` and
/// above, unsuppressed.
core::Result<std::vector<core::Finding>>
run_checks(const Job& job, const std::vector<ExtractedFile>& files, validate::ValidateOptions check)
{
    ScratchFolder scratch;
    if (scratch.path().empty()) {
        return core::Error(core::ErrorCode::io,
                           "cannot create a scratch folder to check the files");
    }
    if (auto put = put_files(scratch.path(), files); !put) {
        return put.error();
    }
    check.walk.paths = {scratch.path()};
    check.walk.root = scratch.path();
    check.walk.use_git = false;
    check.jobs = 1;
    auto report = validate::run_validate(check);
    if (!report) {
        return report.error();
    }
    // A gate is honest about what it could not check.
    for (const auto& skipped : report->skipped) {
        core::log::warn(
            "{}: '{}' was not checked: {}", job.spec.path, skipped.path, skipped.reason);
    }
    // Findings at the spec name it as the model may see it, not by where it lies here.
    const std::string spec_location = fs::absolute(job.spec_file).lexically_normal().string();
    std::vector<core::Finding> findings;
    for (auto& finding : report->findings) {
        if (finding.location.path == spec_location) {
            finding.location.path = job.spec_shown;
        }
        if (!finding.suppression && finding.severity >= core::Severity::low) {
            findings.push_back(std::move(finding));
        }
    }
    return findings;
}

/// Runs the validate checks over the files as they would be written. Imports are
/// checked against the spec's dependencies and the manifests already in the output
/// folder, as `aiops validate --spec` checks them: a dependency manifest in the reply
/// declares nothing (the model may not allow itself a package), and is checked apart,
/// for its syntax.
core::Result<std::vector<core::Finding>> check_files(const Job& job,
                                                     const std::vector<ExtractedFile>& files)
{
    std::vector<ExtractedFile> code = manifests_on_disk(job, files);
    std::vector<ExtractedFile> reply_manifests;
    for (const auto& file : files) {
        (validate::declares_dependencies(file.path) ? reply_manifests : code).push_back(file);
    }
    validate::ValidateOptions check;
    check.checks = job.checks;
    if (std::find(check.checks.begin(), check.checks.end(), "conformance") != check.checks.end()) {
        check.spec = fs::absolute(job.spec_file);
        std::erase(check.checks, std::string("conformance"));
    }
    check.spec_dependencies =
        validate::SpecDependencies{job.spec_shown, job.spec.language, job.spec.dependencies};
    auto findings = run_checks(job, code, check);
    if (!findings || reply_manifests.empty()) {
        return findings;
    }
    validate::ValidateOptions apart;
    apart.checks.clear();
    for (const auto& name : job.checks) {
        if (name == "syntax" || name == "artefacts") {
            apart.checks.push_back(name);
        }
    }
    if (apart.checks.empty()) {
        return findings;
    }
    auto more = run_checks(job, reply_manifests, apart);
    if (!more) {
        return more.error();
    }
    findings->insert(findings->end(), more->begin(), more->end());
    return findings;
}

/// Keeps the files of a rejected generation under DIR/.aiops/rejected/, replacing what
/// an earlier rejection left there.
void keep_rejected(const Job& job,
                   const std::vector<ExtractedFile>& files,
                   const std::string& reply)
{
    const fs::path folder = job.output / ".aiops" / "rejected";
    std::error_code ignored;
    fs::remove_all(folder, ignored);
    auto written = core::write_file_atomically(folder / "reply.md", reply);
    for (const auto& file : files) {
        // Paths were checked before; one that was refused is only in reply.md.
        if (written && !refuse_path(folder, file.path, {}, true)) {
            written = core::write_file_atomically(folder / file.path, file.content);
        }
    }
    if (!written) {
        core::log::warn("{}", written.error().message());
    }
}

void add_usage(const llm::Completion& done, SpecOutcome& outcome)
{
    ++outcome.calls;
    outcome.cache_hits += done.cache_hit ? 1 : 0;
    outcome.input_tokens += done.reply.usage.input_tokens;
    outcome.output_tokens += done.reply.usage.output_tokens;
    outcome.cost_usd += done.cost_usd;
}

spec::Manifest make_manifest(const Job& job,
                             const std::vector<ExtractedFile>& files,
                             const SpecOutcome& outcome,
                             const std::string& snapshot,
                             std::chrono::steady_clock::duration elapsed)
{
    spec::Manifest manifest;
    manifest.aiops_version = core::k_version;
    manifest.generated_at = utc_timestamp();
    manifest.spec_path = job.spec_file.generic_string();
    manifest.spec_sha256 = job.spec.hash;
    manifest.prompt = job.prompt.identity;
    manifest.provider = job.provider_name;
    manifest.model = job.request.model;
    manifest.model_snapshot = snapshot;
    if (job.request.temperature) {
        manifest.parameters["temperature"] = *job.request.temperature;
    }
    if (job.request.max_tokens) {
        manifest.parameters["max_tokens"] = *job.request.max_tokens;
    }
    spec::ManifestUsage usage;
    usage.input_tokens = outcome.input_tokens;
    usage.output_tokens = outcome.output_tokens;
    usage.cost_usd = outcome.cost_usd;
    usage.cache_hit = outcome.calls > 0 && outcome.cache_hits == outcome.calls;
    usage.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
    usage.calls = outcome.calls;
    usage.cache_hits = outcome.cache_hits;
    manifest.usage = usage;
    manifest.repairs = outcome.repairs;
    for (const auto& file : files) {
        manifest.files.push_back({file.path, core::sha256_hex(file.content), {}});
    }
    std::sort(manifest.files.begin(), manifest.files.end(), [](const auto& a, const auto& b) {
        return a.path < b.path;
    });
    return manifest;
}

/// Whether two manifests record the same generation: the same files from the same
/// spec, prompt, model and parameters (when, and at what cost, aside).
bool same_generation(const spec::Manifest& a, const spec::Manifest& b)
{
    const auto prompt = [](const spec::Manifest& m) {
        return m.prompt ? std::tie(m.prompt->name, m.prompt->version, m.prompt->sha256)
                        : std::tie(m.spec_path, m.spec_path, m.spec_path);
    };
    const auto files = [](const spec::Manifest& m) {
        std::vector<std::pair<std::string, std::string>> out;
        for (const auto& file : m.files) {
            out.emplace_back(file.path, file.sha256);
        }
        return out;
    };
    return a.spec_path == b.spec_path && a.spec_sha256 == b.spec_sha256
           && a.prompt.has_value() == b.prompt.has_value() && prompt(a) == prompt(b)
           && a.provider == b.provider && a.model == b.model && a.parameters == b.parameters
           && files(a) == files(b);
}

/// The files the last generation wrote that this one does not, and that are still as
/// it wrote them; one edited since is left where it is, with a warning.
std::vector<std::string> dropped_files(const Job& job, const std::vector<ExtractedFile>& files)
{
    std::vector<std::string> dropped;
    if (!job.previous) {
        return dropped;
    }
    for (const auto& entry : job.previous->files) {
        const bool kept = std::any_of(files.begin(), files.end(), [&](const ExtractedFile& file) {
            return file.path == entry.path;
        });
        if (kept || refuse_path(job.output, entry.path, {}, true)) {
            continue;
        }
        if (edited_paths(job.output, {entry.path}, job.previous).empty()) {
            dropped.push_back(entry.path);
        } else {
            core::log::warn("{}: '{}' is no longer generated, but was edited since the last "
                            "generation: it is left where it is",
                            job.spec.path,
                            (job.output / entry.path).generic_string());
        }
    }
    return dropped;
}

/// Switches the output folder to accepted files, with their manifest.
void accept(const GenerateOptions& options,
            const Job& job,
            const std::vector<ExtractedFile>& files,
            const llm::Reply& reply,
            std::chrono::steady_clock::duration elapsed,
            SpecOutcome& outcome)
{
    if (!options.force) {
        if (const auto edited = edited_files(job.output, files, job.previous); !edited.empty()) {
            // Only files the spec does not list get here: its outputs were compared
            // before the call. The reply is kept, so the call was not for nothing.
            outcome.status = SpecStatus::rejected;
            std::string problem = edited_error(job, edited).message();
            outcome.problem = problem.substr(job.spec.path.size() + 2);
            keep_rejected(job, files, reply.text);
            outcome.reply_kept = true;
            return;
        }
    }
    FolderChange change;
    change.files = files;
    change.removed = dropped_files(job, files);
    const spec::Manifest manifest = make_manifest(job, files, outcome, reply.model, elapsed);
    // A rerun that finds the folder as it would write it changes nothing, the record of
    // the run that made the files included.
    const bool as_written = change.removed.empty() && job.previous
                            && same_generation(*job.previous, manifest)
                            && files_on_disk(job.output, files);
    if (!as_written) {
        change.manifest = spec::manifest_text(manifest);
    }
    auto switched = switch_folder(job.output, change);
    if (!switched) {
        outcome.status = switched.error().code() == core::ErrorCode::interrupted
                             ? SpecStatus::interrupted
                             : SpecStatus::failed;
        outcome.problem = switched.error().message();
        return;
    }
    std::error_code ignored;
    fs::remove_all(job.output / ".aiops" / "rejected", ignored);
    const bool same_files = switched->installed == 0 && switched->removed == 0;
    outcome.status = same_files ? SpecStatus::unchanged : SpecStatus::written;
    for (const auto& file : files) {
        outcome.files.push_back(file.path);
    }
}

/// Why the files of a reply may not be written, or nullopt.
std::optional<std::string> refused_files(const GenerateOptions& options,
                                         const Job& job,
                                         const std::vector<ExtractedFile>& files)
{
    std::vector<std::string> paths;
    for (const auto& file : files) {
        paths.push_back(file.path);
    }
    for (const auto& file : files) {
        auto refused = refuse_path(job.output, file.path, job.outputs, options.allow_extra_files);
        if (!refused) {
            refused = refuse_beside(file.path, paths);
        }
        if (refused) {
            return fmt::format("the reply's block at line {} names '{}', which is refused: {}",
                               file.line,
                               file.path,
                               *refused);
        }
    }
    return std::nullopt;
}

/// Why a reply that did not end with a clean stop is not used, or nullopt. A reply cut
/// off, stopped by a filter or ended for a reason aiops does not know may be partial,
/// and a refusal holds no files: none is written or sent back for repair.
std::optional<std::string> unfinished_reply(const llm::Request& request, const llm::Reply& reply)
{
    const std::string raw = reply.raw_finish_reason.empty() ? std::string("none given")
                                                            : "'" + reply.raw_finish_reason + "'";
    switch (reply.finish_reason) {
    case llm::FinishReason::stop:
        return std::nullopt;
    case llm::FinishReason::length:
        return fmt::format(
            "the reply was cut off at the token limit (max_tokens {}, finish reason {}): "
            "nothing was written; raise max_tokens in the spec or with --max-tokens",
            request.max_tokens.value_or(llm::k_default_max_tokens),
            raw);
    case llm::FinishReason::content_filter: {
        const std::string said =
            core::trim(reply.text).empty() || reply.text.find("```") != std::string::npos
                ? std::string()
                : fmt::format(": '{}'", core::quote_for_message(core::trim(reply.text), 300));
        return fmt::format("the model refused, or the provider's content filter stopped the reply "
                           "(finish reason {}){}; nothing was written",
                           raw,
                           said);
    }
    case llm::FinishReason::tool_calls:
    case llm::FinishReason::other:
        break;
    }
    return fmt::format("the reply did not end with a clean stop (finish reason {}), so it may be "
                       "partial: nothing was written",
                       raw);
}

/// What to do after a reply.
struct Verdict
{
    enum class Kind
    {
        accept, ///< the files passed: write them
        repair, ///< ask again with `follow_up`
        stop,   ///< the outcome is settled (rejected or failed)
    };
    Kind kind = Kind::stop;
    std::vector<ExtractedFile> files;
    std::string follow_up;
};

/// Judges one reply: cut off, unreadable, refused, failing the checks, or good.
Verdict judge(const GenerateOptions& options,
              const Job& job,
              const llm::Request& request,
              const llm::Reply& reply,
              SpecOutcome& outcome)
{
    Verdict verdict;
    if (auto unfinished = unfinished_reply(request, reply)) {
        outcome.status = SpecStatus::rejected;
        outcome.problem = *unfinished;
        return verdict;
    }
    auto files = extract_files(reply.text, job.outputs);
    outcome.findings.clear();
    if (!files) {
        outcome.problem = files.error().message();
        verdict.kind = Verdict::Kind::repair;
        // The model sees what was wrong, not the outline of its own reply.
        std::string problem = outcome.problem.substr(0, outcome.problem.find(';'));
        if (problem.starts_with("reply: ")) {
            problem.erase(0, 7);
        }
        verdict.follow_up = unreadable_reply_message(problem);
        return verdict;
    }
    if (auto refused = refused_files(options, job, *files)) {
        outcome.status = SpecStatus::rejected;
        outcome.problem = *refused + "; nothing was written";
        return verdict;
    }
    auto findings = check_files(job, *files);
    if (!findings) {
        outcome.status = findings.error().code() == core::ErrorCode::interrupted
                             ? SpecStatus::interrupted
                             : SpecStatus::failed;
        outcome.problem = findings.error().message();
        return verdict;
    }
    verdict.files = std::move(*files);
    if (findings->empty()) {
        outcome.problem.clear();
        verdict.kind = Verdict::Kind::accept;
        return verdict;
    }
    outcome.findings = std::move(*findings);
    outcome.problem = fmt::format("{} finding{} in the generated files",
                                  outcome.findings.size(),
                                  outcome.findings.size() == 1 ? "" : "s");
    verdict.kind = Verdict::Kind::repair;
    verdict.follow_up = repair_message(outcome.findings);
    return verdict;
}

/// Records a call that failed. One that took the run past its budget was made and paid
/// for: it counts, and its reply is kept for inspection (and in the cache, for a rerun
/// with a larger budget).
void stopped_by(const llm::Failure& failure, const Job& job, SpecOutcome& outcome)
{
    outcome.budget_exceeded = failure.kind == llm::FailureKind::budget_exceeded;
    outcome.status = outcome.budget_exceeded                         ? SpecStatus::rejected
                     : failure.kind == llm::FailureKind::interrupted ? SpecStatus::interrupted
                                                                     : SpecStatus::failed;
    outcome.problem = failure.message;
    if (!failure.reply) {
        return;
    }
    ++outcome.calls;
    outcome.input_tokens += failure.reply->usage.input_tokens;
    outcome.output_tokens += failure.reply->usage.output_tokens;
    outcome.cost_usd += failure.cost_usd;
    auto files = extract_files(failure.reply->text, job.outputs);
    keep_rejected(job, files ? *files : std::vector<ExtractedFile>(), failure.reply->text);
    outcome.reply_kept = true;
}

} // namespace

void run_repair_loop(const GenerateOptions& options,
                     const Job& job,
                     llm::ModelClient& client,
                     SpecOutcome& outcome)
{
    const auto started = std::chrono::steady_clock::now();
    llm::Request request = job.request;
    for (int round = 0;; ++round) {
        if (core::interrupted()) {
            outcome.status = SpecStatus::interrupted;
            return;
        }
        auto done = client.complete(request);
        if (!done) {
            stopped_by(done.failure(), job, outcome);
            return;
        }
        add_usage(*done, outcome);
        if (core::interrupted()) {
            outcome.status = SpecStatus::interrupted;
            return;
        }
        Verdict verdict = judge(options, job, request, done->reply, outcome);
        if (verdict.kind == Verdict::Kind::accept) {
            accept(options,
                   job,
                   verdict.files,
                   done->reply,
                   std::chrono::steady_clock::now() - started,
                   outcome);
            return;
        }
        if (verdict.kind == Verdict::Kind::repair && round >= options.max_repairs) {
            outcome.status = SpecStatus::rejected;
            verdict.kind = Verdict::Kind::stop;
        }
        if (verdict.kind == Verdict::Kind::stop) {
            if (outcome.status == SpecStatus::rejected) {
                keep_rejected(job, verdict.files, done->reply.text);
                outcome.reply_kept = true;
            }
            return;
        }
        ++outcome.repairs;
        core::log::info("{}: repair round {} of {}: {}",
                        job.spec.path,
                        outcome.repairs,
                        options.max_repairs,
                        outcome.problem);
        request.messages.push_back({llm::Role::assistant, done->reply.text});
        request.messages.push_back({llm::Role::user, verdict.follow_up});
    }
}

core::Error edited_error(const Job& job, const std::vector<std::string>& edited)
{
    const std::string& path = edited.front();
    const std::string file = (job.output / path).generic_string();
    const std::string manifest = (job.output / spec::k_manifest_path).generic_string();
    // A file the manifest records was edited since; one it does not record (or with no
    // manifest at all: a hand-written file where the output goes) was never generated.
    const bool recorded =
        job.previous
        && std::any_of(job.previous->files.begin(),
                       job.previous->files.end(),
                       [&path](const spec::ManifestFile& entry) { return entry.path == path; });
    std::string why;
    if (recorded) {
        why = fmt::format("differs from what the last generation wrote there (see {})", manifest);
    } else if (job.previous) {
        why = fmt::format("is there, and the last generation did not write it (see {})", manifest);
    } else {
        why = fmt::format("is there, and no generation wrote it (there is no {})", manifest);
    }
    return core::Error(core::ErrorCode::usage,
                       fmt::format("{}: '{}' {}; --force overwrites it", job.spec.path, file, why));
}

} // namespace aiops::generate
