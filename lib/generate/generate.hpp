#pragma once

#include "core/error.hpp"
#include "core/finding.hpp"
#include "llm/client_setup.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace aiops::generate {

/// Everything `aiops generate` takes.
struct GenerateOptions
{
    /// Spec files, or folders whose *.yaml, *.yml and *.json files are specs.
    std::vector<std::filesystem::path> specs;
    /// The output folder; with several specs, each writes into a folder inside it named
    /// after the spec's file ("users" for users.yaml or users.openapi.yaml).
    std::filesystem::path output;
    bool dry_run = false;             ///< print the messages and the cost estimate, call nothing
    bool force = false;               ///< overwrite files edited since the last generation
    bool allow_extra_files = false;   ///< write files the spec does not list among its outputs
    int max_repairs = 2;              ///< rounds of findings sent back to the model
    std::optional<std::string> model; ///< "provider:model", overriding the spec's
    std::optional<double> temperature;
    std::optional<std::int64_t> max_tokens;
    std::optional<double> max_cost; ///< USD for the whole run
    llm::ConnectionSettings connection;
    /// The folder holding prompts/; found from each spec's folder up to the repository
    /// root when unset.
    std::optional<std::filesystem::path> registry;
    /// The validate checks run on the files before they are written.
    std::vector<std::string> checks{"syntax", "artefacts", "imports", "conformance"};
    unsigned jobs = 0; ///< specs generated at once; 0: all cores
    int max_concurrent_requests = 8;
    int requests_per_minute = 0;
};

/// How the generation of one spec ended.
enum class SpecStatus
{
    written,     ///< the files passed the checks and were written
    unchanged,   ///< the files passed and were already there as written
    planned,     ///< --dry-run: nothing was called
    rejected,    ///< findings remained after the repairs, or the reply was unusable
    failed,      ///< the call could not be made (network, provider, offline miss, I/O)
    interrupted, ///< stopped by an interrupt
};

/// What generating one spec did.
struct SpecOutcome
{
    std::string spec_path; ///< as given
    std::string name;      ///< the spec's name
    std::filesystem::path output;
    SpecStatus status = SpecStatus::failed;
    std::string problem; ///< why it was rejected or failed
    std::vector<std::string> files;
    std::vector<core::Finding> findings; ///< of the last round, when rejected
    int repairs = 0;                     ///< repair rounds sent
    int calls = 0;
    int cache_hits = 0;
    std::int64_t input_tokens = 0;
    std::int64_t output_tokens = 0;
    double cost_usd = 0;
    bool budget_exceeded = false;
    bool reply_kept = false;  ///< the last reply is in DIR/.aiops/rejected/
    std::string dry_run_text; ///< the rendered messages and the estimate (--dry-run)
};

struct GenerateReport
{
    std::vector<SpecOutcome> specs;
};

/// The spec files the options name: files as given, folders searched (not below
/// hidden folders) for *.yaml, *.yml and *.json. Fails with ErrorCode::usage when a
/// path does not exist or no spec is found.
core::Result<std::vector<std::filesystem::path>>
find_spec_files(const std::vector<std::filesystem::path>& paths);

/// Generates code for every spec. Every spec is loaded and its prompt rendered before
/// any call, so a malformed spec (ErrorCode::input, "file:line:column: what is wrong"),
/// an unknown check, prompt or model, or files edited since the last generation
/// (without --force; ErrorCode::usage) fail the run before it spends anything. A plan
/// whose first calls could pass --max-cost marks every spec rejected, calling nothing.
/// Then the specs run concurrently; each one's outcome says how it ended.
core::Result<GenerateReport> run_generate(const GenerateOptions& options);

/// 0 when every spec was written, unchanged or planned; 3 when one failed; 130 when
/// interrupted; else 1.
core::ExitCode generate_exit_code(const GenerateReport& report);

/// The report as text: a paragraph per spec, findings as path:line:column.
std::string generate_text(const GenerateReport& report);

/// The report as JSON (schemas/generate-report.schema.json): per spec its status, files,
/// remaining findings, repairs, calls, tokens and cost, and the run's exit code.
nlohmann::json generate_to_json(const GenerateReport& report);

} // namespace aiops::generate
