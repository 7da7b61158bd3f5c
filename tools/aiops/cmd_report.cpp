#include "cli_common.hpp"
#include "commands.hpp"
#include "core/atomic_file.hpp"
#include "core/log.hpp"
#include "report/merge.hpp"
#include "report/output.hpp"
#include "source/source_file.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>

namespace aiops::cli {

namespace {

struct MergeFlags
{
    std::vector<std::string> inputs;
    std::string output;
};

int run_merge(const MergeFlags& flags)
{
    std::vector<report::ReportInput> inputs;
    for (const auto& path : flags.inputs) {
        // Naming what is not there is a usage error; one that is there and cannot be
        // read is an I/O error.
        std::error_code ec;
        const auto status = std::filesystem::status(path, ec);
        if (!std::filesystem::exists(status)) {
            throw core::Error(core::ErrorCode::usage, fmt::format("'{}': no such file", path));
        }
        if (std::filesystem::is_directory(status)) {
            throw core::Error(core::ErrorCode::usage,
                              fmt::format("'{}': a folder, not a report", path));
        }
        auto text = source::read_file(path);
        if (!text) {
            throw core::Error(core::ErrorCode::io,
                              fmt::format("{}: cannot read: {}", path, text.error().message()));
        }
        inputs.push_back({path, std::move(*text)});
    }
    const report::MergedReport merged = report::merge_reports(inputs).take();
    core::write_file_atomically(flags.output, merged.text).take();
    core::log::info("merged {} {} reports into {}",
                    inputs.size(),
                    report::to_string(merged.kind),
                    flags.output);
    return static_cast<int>(core::ExitCode::success);
}

} // namespace

void register_report(CLI::App& app, CommandAction& action)
{
    CLI::App* command = app.add_subcommand("report", "Work with the reports aiops writes");
    command->require_subcommand(1);
    auto flags = std::make_shared<MergeFlags>();
    CLI::App* merge = command->add_subcommand(
        "merge", "Merge the reports of CI matrix shards (--shard I/N) into one");
    merge->footer(
        "The format (SARIF, GitLab SAST, GitLab Code Quality or JUnit) is read from the files;\n"
        "all inputs must have the same one.\n"
        "Examples:\n"
        "  aiops report merge shard-*.sarif -o scan.sarif\n"
        "  aiops report merge a.gl-sast.json b.gl-sast.json -o gl-sast-report.json\n"
        "SARIF logs and JUnit reports of --shard runs name their shard: every shard of a run\n"
        "must be there, once.\n"
        "Exit codes: 0 merged, 2 a missing, malformed or mismatched report or shard, 3 a file\n"
        "could not be read or written.");
    merge->add_option("reports", flags->inputs, "The reports to merge")->required();
    merge->add_option("-o,--output", flags->output, "Where to write the merged report")
        ->required()
        ->check(file_name());
    merge->callback(
        [&action, flags] { action = [flags](const GlobalOptions&) { return run_merge(*flags); }; });
}

} // namespace aiops::cli
