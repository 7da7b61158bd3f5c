#pragma once

#include "core/error.hpp"
#include "core/finding.hpp"
#include "llm/model.hpp"
#include "prompt/registry.hpp"
#include "prompt/template.hpp"
#include "spec/manifest.hpp"
#include "spec/spec.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aiops::generate {

/// The messages of a generation and where they came from.
struct AssembledPrompt
{
    std::vector<llm::Message> messages;
    spec::ManifestPrompt identity; ///< name, version label and SHA-256 (hex) of the prompt
    bool builtin = false;          ///< the built-in prompt of the spec's language
    /// The model settings the prompt file suggests, used when the spec names none.
    std::optional<std::string> model;
    std::optional<double> temperature;
    std::optional<std::int64_t> max_tokens;
};

/// The variables a prompt sees for a spec: name, description, language, framework,
/// outputs (list of {path, description}), functions, classes, endpoints (lists of
/// objects), requirements and dependencies (lists of strings), and the same as ready
/// text: output_list, interface, requirement_list, dependency_list, spec_json, and
/// summary, framework_note, interface_section, requirement_section (empty when there is
/// nothing to say, so templates need no sections over strings); fence_language and
/// example_path show the reply's format; language_note is the built-in prompt's advice
/// for the language.
prompt::RenderValues spec_values(const spec::Spec& spec);

/// The built-in prompt for a spec's language: asks for every output in full, each in a
/// fenced block whose info string names its path, with a line of advice for the
/// languages aiops parses.
prompt::Prompt builtin_prompt(const spec::Spec& spec);

/// Renders the spec's prompt: its `prompt: name@version` from the registry (null when
/// there is none: then naming a prompt is a usage error), else the built-in prompt.
/// Fails as render_reference does, or with ErrorCode::input for a message role that is
/// not system, user or assistant.
core::Result<AssembledPrompt> assemble_prompt(const spec::Spec& spec,
                                              const prompt::Registry* registry);

/// The message asking for corrected files: each finding as "path:line:column: rule:
/// message", then the request to answer with every file again, whole.
std::string repair_message(const std::vector<core::Finding>& findings);

/// The message asking again after a reply whose files could not be taken out.
std::string unreadable_reply_message(const std::string& problem);

} // namespace aiops::generate
