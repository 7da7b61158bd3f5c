#include "generate/prompt_assembly.hpp"

#include "core/strings.hpp"
#include "core/version.hpp"
#include "llm/client_setup.hpp"
#include "prompt/prompt.hpp"

#include <fmt/format.h>

namespace aiops::generate {

namespace {

using nlohmann::json;

std::string parameter_text(const spec::Parameter& parameter)
{
    std::string out = parameter.name;
    if (!parameter.type.empty()) {
        out += ": " + parameter.type;
    }
    if (parameter.default_value) {
        out += " = " + *parameter.default_value;
    }
    return out;
}

std::string signature(const spec::Function& function)
{
    std::vector<std::string> parameters;
    for (const auto& parameter : function.parameters) {
        parameters.push_back(parameter_text(parameter));
    }
    std::string out = fmt::format("{}({})", function.name, fmt::join(parameters, ", "));
    if (!function.returns.empty()) {
        out += " -> " + function.returns;
    }
    return out;
}

std::string where(const std::string& file)
{
    return file.empty() ? std::string() : " in " + file;
}

std::string about(const std::string& description)
{
    return description.empty() ? std::string() : ": " + description;
}

void add_functions(const spec::Spec& spec, std::string& out)
{
    if (spec.functions.empty()) {
        return;
    }
    out += "Functions:\n";
    for (const auto& function : spec.functions) {
        out += fmt::format(
            "- {}{}{}\n", signature(function), where(function.file), about(function.description));
    }
}

void add_classes(const spec::Spec& spec, std::string& out)
{
    if (spec.classes.empty()) {
        return;
    }
    out += "Classes:\n";
    for (const auto& type : spec.classes) {
        const std::string bases =
            type.bases.empty() ? "" : fmt::format("({})", fmt::join(type.bases, ", "));
        out += fmt::format(
            "- class {}{}{}{}\n", type.name, bases, where(type.file), about(type.description));
        for (const auto& field : type.fields) {
            out += fmt::format("  - field {}{}{}\n",
                               field.name,
                               field.type.empty() ? "" : ": " + field.type,
                               about(field.description));
        }
        for (const auto& method : type.methods) {
            out += fmt::format("  - method {}{}\n", signature(method), about(method.description));
        }
    }
}

void add_endpoints(const spec::Spec& spec, std::string& out)
{
    if (spec.endpoints.empty()) {
        return;
    }
    out += "HTTP endpoints:\n";
    for (const auto& endpoint : spec.endpoints) {
        std::vector<std::string> parameters;
        for (const auto& parameter : endpoint.parameters) {
            std::vector<std::string> notes;
            if (!parameter.type.empty()) {
                notes.push_back(parameter.type);
            }
            if (parameter.required) {
                notes.push_back("required");
            }
            parameters.push_back(
                fmt::format("{} in {}{}",
                            parameter.name,
                            parameter.in,
                            notes.empty() ? "" : fmt::format(" ({})", fmt::join(notes, ", "))));
        }
        out += fmt::format(
            "- {} {}{}{}{}{}\n",
            endpoint.method,
            endpoint.path,
            endpoint.operation_id.empty() ? "" : " (operationId " + endpoint.operation_id + ")",
            where(endpoint.file),
            about(endpoint.summary),
            parameters.empty() ? "" : fmt::format("; parameters: {}", fmt::join(parameters, "; ")));
    }
}

json parameters_json(const std::vector<spec::Parameter>& parameters)
{
    json out = json::array();
    for (const auto& parameter : parameters) {
        out.push_back({{"name", parameter.name},
                       {"type", parameter.type},
                       {"default", parameter.default_value.value_or("")},
                       {"description", parameter.description},
                       {"text", parameter_text(parameter)}});
    }
    return out;
}

json function_json(const spec::Function& function)
{
    return {{"name", function.name},
            {"file", function.file},
            {"parameters", parameters_json(function.parameters)},
            {"returns", function.returns},
            {"description", function.description},
            {"signature", signature(function)}};
}

json classes_json(const spec::Spec& spec)
{
    json out = json::array();
    for (const auto& type : spec.classes) {
        json methods = json::array();
        for (const auto& method : type.methods) {
            methods.push_back(function_json(method));
        }
        json fields = json::array();
        for (const auto& field : type.fields) {
            fields.push_back(
                {{"name", field.name}, {"type", field.type}, {"description", field.description}});
        }
        out.push_back({{"name", type.name},
                       {"file", type.file},
                       {"bases", type.bases},
                       {"description", type.description},
                       {"fields", fields},
                       {"methods", methods}});
    }
    return out;
}

json endpoints_json(const spec::Spec& spec)
{
    json out = json::array();
    for (const auto& endpoint : spec.endpoints) {
        json parameters = json::array();
        for (const auto& parameter : endpoint.parameters) {
            parameters.push_back({{"name", parameter.name},
                                  {"in", parameter.in},
                                  {"required", parameter.required},
                                  {"type", parameter.type}});
        }
        out.push_back({{"method", endpoint.method},
                       {"path", endpoint.path},
                       {"operation_id", endpoint.operation_id},
                       {"summary", endpoint.summary},
                       {"file", endpoint.file},
                       {"parameters", parameters}});
    }
    return out;
}

std::string bullets(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items) {
        out += "- " + item + "\n";
    }
    return out;
}

/// What the built-in prompt adds for a language, by the name `--lang` takes.
struct LanguageNote
{
    std::string_view language;
    std::string_view note;
};

// clang-format off
constexpr LanguageNote k_language_notes[] = {
    {"python", "Give every function type hints, and follow PEP 8."},
    {"javascript", "Write ES modules (import and export), with const and let."},
    {"typescript", "Write ES modules, with explicit types on everything exported."},
    {"tsx", "Write ES modules, with explicit types on everything exported."},
    {"go", "Begin each file with its package clause; format it as gofmt would."},
    {"java", "Put each public class in the file named after it, in the package its path gives."},
    {"rust", "Write code that builds on stable Rust without warnings."},
    {"c", "Write C17 with a header guard in each header."},
    {"cpp", "Write C++20 with #pragma once in each header."},
    {"csharp", "Use file-scoped namespaces and nullable reference types."},
    {"ruby", "Follow the community Ruby style guide."},
    {"php", "Begin each file with declare(strict_types=1)."},
    {"bash", "Begin each script with set -euo pipefail and quote every expansion."},
};

constexpr const char* k_builtin_system =
    "You write {{language}} code from a specification. Answer with every file the "
    "specification lists, each complete and in its own fenced code block whose info string "
    "names the language and the file's path, like this:\n"
    "\n"
    "```{{fence_language}} path={{example_path}}\n"
    "(the whole file)\n"
    "```\n"
    "\n"
    "Write whole files: no placeholders, no elided code, no unfinished bodies. Import only "
    "the standard library and the dependencies the specification allows.{{language_note}}";

// Plain variables only: a mustache section over an empty string would still render.
constexpr const char* k_builtin_user =
    "Write {{name}}{{summary}}\n"
    "\n"
    "Language: {{language}}{{framework_note}}\n"
    "\n"
    "Files to write:\n"
    "{{output_list}}"
    "\n"
    "{{interface_section}}"
    "{{requirement_section}}"
    "Dependencies allowed besides the standard library: {{dependency_list}}\n";

// clang-format on

/// The spec's `prompt:` line, for errors about the prompt it names.
std::string prompt_place(const spec::Spec& spec)
{
    const spec::Origin& at = spec.prompt->origin;
    return at.line > 0 ? fmt::format("{}:{}:{}", spec.path, at.line, at.column) : spec.path;
}

/// The registry prompt a spec names, rendered with the spec's values. A variable the
/// prompt requires that a spec does not give is an error at the spec's `prompt:` line,
/// naming what a spec gives.
core::Result<prompt::RenderedPrompt> render_registry_prompt(const spec::Spec& spec,
                                                            const prompt::Registry& registry,
                                                            const prompt::RenderValues& values)
{
    const std::string reference = spec.prompt->name + "@" + spec.prompt->version;
    auto resolved = registry.resolve(reference);
    if (!resolved) {
        return core::Error(resolved.error().code(),
                           prompt_place(spec) + ": " + resolved.error().message());
    }
    std::vector<std::string> missing;
    for (const auto& variable : resolved->prompt.variables) {
        if (variable.required && !variable.default_value && !values.contains(variable.name)) {
            missing.push_back("'" + variable.name + "'");
        }
    }
    if (!missing.empty()) {
        std::vector<std::string> given;
        for (const auto& [name, value] : values) {
            given.push_back(name);
        }
        return core::Error(core::ErrorCode::input,
                           fmt::format("{}: prompt '{}' requires {} {}, which a spec does not "
                                       "give (a spec gives {}): give {} a default in the prompt, "
                                       "or name another prompt",
                                       prompt_place(spec),
                                       reference,
                                       missing.size() == 1 ? "variable" : "variables",
                                       fmt::join(missing, ", "),
                                       fmt::join(given, ", "),
                                       missing.size() == 1 ? "it" : "them"));
    }
    auto outcome = prompt::render_prompt(resolved->prompt, values);
    if (!outcome) {
        return outcome.error();
    }
    prompt::RenderedPrompt rendered;
    rendered.source = std::move(*resolved);
    for (auto& message : outcome->messages) {
        rendered.messages.emplace_back(std::move(message.role), std::move(message.content));
    }
    return rendered;
}

} // namespace

prompt::RenderValues spec_values(const spec::Spec& spec)
{
    prompt::RenderValues values;
    values["name"] = spec.name.empty() ? std::string("the code") : spec.name;
    values["description"] = spec.description;
    values["language"] = spec.language.empty() ? std::string("the requested") : spec.language;
    values["framework"] = spec.framework;
    json outputs = json::array();
    std::string output_list;
    for (const auto& output : spec.outputs) {
        outputs.push_back({{"path", output.path}, {"description", output.description}});
        output_list += "- " + output.path + about(output.description) + "\n";
    }
    values["outputs"] = outputs;
    values["output_list"] = output_list;
    json functions = json::array();
    for (const auto& function : spec.functions) {
        functions.push_back(function_json(function));
    }
    values["functions"] = functions;
    values["classes"] = classes_json(spec);
    values["endpoints"] = endpoints_json(spec);
    std::string interface;
    add_functions(spec, interface);
    add_classes(spec, interface);
    add_endpoints(spec, interface);
    values["interface"] = interface;
    values["interface_section"] =
        interface.empty() ? interface : "The interface, exactly as named here:\n" + interface + "\n";
    values["summary"] = about(spec.description);
    values["framework_note"] = spec.framework.empty() ? spec.framework : ", with " + spec.framework;
    values["requirements"] = spec.requirements;
    values["requirement_list"] = bullets(spec.requirements);
    values["requirement_section"] = spec.requirements.empty()
                                        ? std::string()
                                        : "Requirements:\n" + bullets(spec.requirements) + "\n";
    values["dependencies"] = spec.dependencies;
    values["dependency_list"] = spec.dependencies.empty()
                                    ? std::string("none")
                                    : fmt::format("{}", fmt::join(spec.dependencies, ", "));
    values["spec_json"] = spec::to_json(spec).dump(2);
    std::string note;
    for (const auto& entry : k_language_notes) {
        if (entry.language == core::to_lower(spec.language)) {
            note = " " + std::string(entry.note);
        }
    }
    values["language_note"] = note;
    values["fence_language"] = core::to_lower(spec.language.empty() ? "text" : spec.language);
    // A path with spaces is quoted, the one form in which the reply can give it whole.
    std::string example =
        spec.outputs.empty() ? std::string("path/to/file") : spec.outputs.front().path;
    if (example.find(' ') != std::string::npos) {
        example = '"' + example + '"';
    }
    values["example_path"] = example;
    return values;
}

prompt::Prompt builtin_prompt(const spec::Spec& spec)
{
    prompt::Prompt out;
    out.name = "builtin/" + core::to_lower(spec.language.empty() ? "any" : spec.language);
    out.file = out.name;
    out.description = "aiops's built-in code generation prompt";
    for (const auto& [name, value] : spec_values(spec)) {
        prompt::Variable variable;
        variable.name = name;
        out.variables.push_back(std::move(variable));
    }
    out.messages.push_back({"system", k_builtin_system, {}, 0, 0});
    out.messages.push_back({"user", k_builtin_user, {}, 0, 0});
    return out;
}

core::Result<AssembledPrompt> assemble_prompt(const spec::Spec& spec,
                                              const prompt::Registry* registry)
{
    const prompt::RenderValues values = spec_values(spec);
    AssembledPrompt out;
    std::vector<std::pair<std::string, std::string>> messages;
    if (spec.prompt) {
        if (registry == nullptr) {
            return core::Error(core::ErrorCode::usage,
                               fmt::format("{}: the spec names prompt '{}@{}' but no prompt "
                                           "registry (a folder with prompts/) was found; name "
                                           "one with --registry",
                                           spec.path,
                                           spec.prompt->name,
                                           spec.prompt->version));
        }
        auto rendered = render_registry_prompt(spec, *registry, values);
        if (!rendered) {
            return rendered.error();
        }
        const std::string& hash = rendered->source.hash;
        // The name by which the registry knows it ("codegen/gen"), which tells prompts of
        // one name in different folders apart.
        out.identity = {spec.prompt->name,
                        rendered->source.label,
                        hash.starts_with("sha256:") ? hash.substr(7) : hash};
        out.model = rendered->source.prompt.model.model;
        out.temperature = rendered->source.prompt.model.temperature;
        out.max_tokens = rendered->source.prompt.model.max_tokens;
        messages = std::move(rendered->messages);
    } else {
        const prompt::Prompt builtin = builtin_prompt(spec);
        auto rendered = prompt::render_prompt(builtin, values);
        if (!rendered) {
            return rendered.error();
        }
        const std::string hash = prompt::prompt_hash(builtin);
        out.identity = {builtin.name, core::k_version, hash.substr(hash.find(':') + 1)};
        out.builtin = true;
        for (auto& message : rendered->messages) {
            messages.emplace_back(std::move(message.role), std::move(message.content));
        }
    }
    for (auto& [role, content] : messages) {
        const auto kind = llm::parse_role(role);
        if (!kind) {
            return core::Error(
                core::ErrorCode::input,
                fmt::format("prompt '{}': unknown message role '{}'", out.identity.name, role));
        }
        out.messages.push_back({*kind, std::move(content)});
    }
    return out;
}

std::string repair_message(const std::vector<core::Finding>& findings)
{
    std::string out = "The files you wrote fail these checks:\n";
    for (const auto& finding : findings) {
        out += fmt::format("- {}:{}:{}: {}: {}\n",
                           finding.location.path,
                           finding.location.start_line,
                           finding.location.start_column,
                           finding.rule_id,
                           finding.message);
    }
    out += "\nAnswer again with every file of the specification, each whole and in the same "
           "form, with these problems corrected.";
    return out;
}

std::string unreadable_reply_message(const std::string& problem)
{
    return "Your reply could not be read as files: " + problem
           + "\n\nAnswer again with every file of the specification, each whole in its own "
             "fenced code block whose info string names the file's path.";
}

} // namespace aiops::generate
