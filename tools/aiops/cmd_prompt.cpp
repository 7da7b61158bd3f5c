#include "commands.hpp"
#include "core/strings.hpp"
#include "prompt/command.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>
#include <memory>

namespace aiops::cli {

namespace {

struct PromptFlags
{
    prompt::PromptCommandOptions options;
    std::string registry;
    std::string unknown_subcommand;        ///< a word where a subcommand should be
    std::vector<std::string> values_files; ///< --vars, which may be given once
};

/// Refuses `aiops prompt` without a subcommand, naming a misspelt one and the one
/// meant, where CLI11 would only say that a subcommand is required.
void require_known_subcommand(CLI::App* prompt, const PromptFlags& flags)
{
    if (!prompt->get_subcommands().empty()) {
        return;
    }
    std::vector<std::string> names;
    for (const auto* sub : prompt->get_subcommands([](const CLI::App*) { return true; })) {
        names.push_back(sub->get_name());
    }
    if (flags.unknown_subcommand.empty()) {
        throw CLI::ValidationError("A subcommand is required: "
                                   + fmt::format("{}", fmt::join(names, ", ")));
    }
    std::string message = "unknown subcommand '" + flags.unknown_subcommand + "'";
    if (auto close = core::closest_match(flags.unknown_subcommand, names)) {
        message += "; did you mean '" + *close + "'?";
    }
    throw CLI::ValidationError(message + " (" + fmt::format("{}", fmt::join(names, ", ")) + ")");
}

int run(PromptFlags flags)
{
    if (!flags.registry.empty()) {
        flags.options.registry.root = flags.registry;
    }
    if (flags.values_files.size() > 1) {
        throw core::Error(core::ErrorCode::usage,
                          "--vars is given more than once; give one file or mapping (--var "
                          "NAME=VALUE adds single values)");
    }
    if (!flags.values_files.empty()) {
        flags.options.values_file = flags.values_files.front();
    }
    return prompt::run_prompt_command(flags.options, std::cout).take();
}

/// Adds one subcommand of `aiops prompt`; each takes --json.
CLI::App* add_action(CLI::App* prompt,
                     const std::shared_ptr<PromptFlags>& flags,
                     CommandAction& action,
                     const std::string& name,
                     const std::string& description,
                     prompt::PromptAction which)
{
    CLI::App* command = prompt->add_subcommand(name, description);
    command->add_flag("--json", flags->options.json, "Write one JSON document to standard output");
    command->callback([&action, flags, which] {
        flags->options.action = which;
        action = [flags](const GlobalOptions&) { return run(*flags); };
    });
    return command;
}

} // namespace

void register_prompt(CLI::App& app, CommandAction& action)
{
    auto flags = std::make_shared<PromptFlags>();
    auto& targets = flags->options.targets;
    CLI::App* prompt = app.add_subcommand(
        "prompt",
        "Prompt registry in git: list, show, versions, diff, render, register, lock, verify, lint");
    prompt->require_subcommand(0, 1);
    prompt->add_option("subcommand", flags->unknown_subcommand)->group("");
    prompt->callback([prompt, flags] { require_known_subcommand(prompt, *flags); });
    prompt
        ->add_option("--registry",
                     flags->registry,
                     "Folder holding prompts/ and prompts.lock (default: found from here up to "
                     "the repository's root)")
        ->envname("AIOPS_PROMPT_REGISTRY");
    prompt->footer(
        "Examples:\n"
        "  aiops prompt list                               prompts, versions, lock state\n"
        "  aiops prompt versions codegen/python-module     the commits that changed it\n"
        "  aiops prompt diff review@1 review@working       what changed since v1\n"
        "  aiops prompt render review --var lang=python    the messages a model would get\n"
        "  aiops prompt lock && aiops prompt verify        pin the prompts, then gate on them\n"
        "References: NAME or NAME@working (the working copy), NAME@3 or NAME@v3 (always\n"
        "version 3, up to six digits, even when a tag or commit is named so), NAME@sha256:PREFIX\n"
        "(by content), NAME@commit:REV (a git revision, always: a tag 'v3' is NAME@commit:v3),\n"
        "NAME@REV (HEAD, HEAD~1, main, a tag, a commit id of seven digits or more).\n"
        "Exit codes: 0 done, 1 verify or lint failed, 2 usage or input error, 3 I/O or git "
        "error, 130 interrupted.");
    prompt->fallthrough();

    using prompt::PromptAction;
    add_action(prompt,
               flags,
               action,
               "list",
               "List the prompts: version, hash, lock state",
               PromptAction::list);
    add_action(prompt, flags, action, "show", "Show a prompt at a version", PromptAction::show)
        ->add_option("reference", targets, "NAME or NAME@VERSION")
        ->required();
    add_action(prompt,
               flags,
               action,
               "versions",
               "List the commits that changed a prompt",
               PromptAction::versions)
        ->add_option("name", targets, "Prompt name")
        ->required();
    add_action(prompt, flags, action, "diff", "Show how two versions differ", PromptAction::diff)
        ->add_option("references", targets, "NAME@A NAME@B")
        ->required()
        ->expected(2);
    CLI::App* render = add_action(prompt,
                                  flags,
                                  action,
                                  "render",
                                  "Render a prompt's messages with values",
                                  PromptAction::render);
    render->add_option("reference", targets, "NAME or NAME@VERSION")->required();
    render->add_option(
        "--var", flags->options.variables, "A string value: NAME=VALUE (repeatable)");
    render->add_option("--vars",
                       flags->values_files,
                       "A YAML or JSON file of values, or a mapping written out: "
                       "'{items: [a, b], user: {name: Ada}}'");
    render->footer(
        "Values: strings are inserted as they are, numbers as written (3.10 stays 3.10; one\n"
        "too large for a double, such as 1e400, is an error). {{#x}}...{{/x}} repeats for\n"
        "each item of a list ({{.}} is the item), enters an object ({{name}} is its field),\n"
        "and shows when x is true or any other value, an empty string too; {{^x}} shows when\n"
        "x is false, null, an empty list or has no value (an optional variable not given).\n"
        "{{x.field}} reaches into an object. A variable tag such as\n"
        "{{x}} that names a list, an object or a boolean is an error (exit 2), since mustache\n"
        "would insert nothing. A null value is no value (the default applies, a required\n"
        "variable fails); a null inside a list or object inserts nothing, with a warning.\n"
        "--var values win over --vars; a name given twice, in --vars or by --var, is an\n"
        "error, and so is a value that is not UTF-8.");
    CLI::App* register_command = add_action(prompt,
                                            flags,
                                            action,
                                            "register",
                                            "Add or replace a prompt from a file",
                                            PromptAction::register_file);
    register_command->add_option("name", targets, "Prompt name, e.g. codegen/python-module")
        ->required();
    register_command
        ->add_option("--file", flags->options.source_file, "The prompt file to register")
        ->required();
    register_command->add_flag(
        "--commit",
        flags->options.commit,
        "Also commit the prompt file (without running git hooks or signing the commit)");
    add_action(prompt,
               flags,
               action,
               "lock",
               "Write prompts.lock from the working copies",
               PromptAction::lock);
    add_action(prompt,
               flags,
               action,
               "verify",
               "Fail when a prompt differs from prompts.lock",
               PromptAction::verify);
    add_action(
        prompt, flags, action, "lint", "Check prompts for mistakes and risks", PromptAction::lint)
        ->add_option("names", targets, "Prompts to check (default: all)");
}

} // namespace aiops::cli
