#include "commands.hpp"
#include "scaffold/scaffold.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace aiops::cli {

namespace {

// The gates to run once the starter files are there, from the project's folder.
constexpr const char* k_next_steps = "  aiops validate --spec specs/greeting.yaml src/\n"
                                     "  aiops scan\n"
                                     "  aiops prompt lint\n"
                                     "  aiops behave behave/\n";

int run_init(const std::string& folder)
{
    const auto result = scaffold::init_project(folder).take();
    // Paths as the user would type them from where aiops runs.
    const auto shown = [&folder](const std::string& path) {
        return folder == "." ? path : (std::filesystem::path(folder) / path).generic_string();
    };
    for (const auto& path : result.written) {
        std::printf("wrote    %s\n", shown(path).c_str());
    }
    for (const auto& path : result.skipped) {
        std::printf("skipped  %s (already there, left as it is)\n", shown(path).c_str());
    }
    if (result.written.empty()) {
        std::printf("nothing written: all %zu starter files are already there\n",
                    result.skipped.size());
        return 0;
    }
    const std::string where = folder == "." ? "" : fmt::format(" in '{}'", folder);
    std::printf("\nRun the gates%s as the workflow does:\n%s", where.c_str(), k_next_steps);
    return 0;
}

} // namespace

void register_init(CLI::App& app, CommandAction& action)
{
    auto folder = std::make_shared<std::string>(".");
    CLI::App* command = app.add_subcommand(
        "init",
        "Start a project: a configuration, a prompt, a spec, a behave suite and a CI workflow");
    command->footer(
        "Writes .aiops.yaml, prompts/codegen/python-module.prompt.yaml, specs/greeting.yaml,\n"
        "src/greeting.py (the code the spec describes), behave/smoke.suite.yaml and the GitHub\n"
        "workflow .github/workflows/aiops.yml. A file that is already there is never changed:\n"
        "it is listed as skipped. The files are written all or none.\n"
        "Examples:\n"
        "  aiops init                 start in the folder you are in\n"
        "  aiops init my-service      start in my-service/ (created if missing)\n"
        "Exit codes: 0 done (also when every file was there), 2 DIR is not a folder or a\n"
        "starter file cannot be written there, 3 a file could not be written.");
    // An empty variable (aiops init "$DIR") must not start a project in the wrong place.
    command->add_option("dir", *folder, "The project's folder, DIR (default: .)")
        ->check(CLI::Validator(
            [](std::string& value) {
                return value.empty() ? std::string("a folder name is needed") : std::string();
            },
            "DIR"));
    command->callback([&action, folder] {
        action = [folder](const GlobalOptions&) { return run_init(*folder); };
    });
}

} // namespace aiops::cli
