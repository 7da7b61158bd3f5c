#pragma once

#include "core/error.hpp"
#include "prompt/prompt.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace aiops::prompt {

/// A name a template uses: a variable, or a section over one.
struct TemplateReference
{
    std::string name;        ///< the first part of a dotted name
    bool in_section = false; ///< inside a section, where it may name a field of an item
    int line = 1;            ///< 1-based, inside the template's text
    int column = 1;
};

/// The names a template uses, in order (comments, partials and '.' are left out);
/// follows delimiter changes such as {{=<% %>=}}.
std::vector<TemplateReference> template_references(const std::string& text);

/// The partials ({{> name}}) a template includes, in order. Prompts have none to
/// include, so lint and render refuse each.
std::vector<TemplateReference> template_partials(const std::string& text);

/// What is wrong with including partial `name`, for messages.
std::string partial_problem(const std::string& name);

/// Why a template cannot be compiled, or nullopt when it can.
std::optional<std::string> template_problem(const std::string& text);

/// Why a template cannot be compiled, and where.
struct TemplateProblem
{
    std::string message;
    int line = 1; ///< 1-based, inside the template's text: the tag that is wrong
    int column = 1;
};

/// template_problem with the place of the tag that is wrong (an unclosed or unopened
/// section, an unclosed tag), or the template's start when the reason names none.
std::optional<TemplateProblem> template_problem_at(const std::string& text);

/// The values of a render: a mapping from variable name to a value (a string, or a
/// list or object for sections).
using RenderValues = std::map<std::string, nlohmann::json>;

/// One rendered message.
struct RenderedMessage
{
    std::string role;
    std::string content;
};

/// What a render did besides the messages.
struct RenderOutcome
{
    std::vector<RenderedMessage> messages;
    std::vector<std::string> warnings; ///< unknown values given, undeclared names used
};

/// Renders every message of a prompt; `missing_hint` follows the message for a required
/// variable without a value, to say how the caller's user gives one. Values are inserted as they
/// are: prompts are not HTML, so {{x}} does not escape. Declared defaults fill in missing values (a
/// null value counts as missing); an optional variable without one has no value, so {{x}} inserts
/// nothing and {{#x}} is skipped. Sections repeat for each item of a list and enter an object.
/// Fails as an input error when a required variable has no value (naming each), a template cannot
/// be compiled, or a variable tag names a list, an object or a boolean, for which mustache would
/// insert nothing ('file:line:column' of the tag). A variable tag that names null
/// inserts nothing and adds a warning.
core::Result<RenderOutcome>
render_prompt(const Prompt& prompt, const RenderValues& values, std::string_view missing_hint = {});

} // namespace aiops::prompt
