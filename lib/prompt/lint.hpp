#pragma once

#include "prompt/prompt.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace aiops::scan {
class SecretFinder;
} // namespace aiops::scan

namespace aiops::prompt {

/// One problem lint found in a prompt file.
struct LintProblem
{
    std::string prompt; ///< the prompt's name
    std::string file;
    FilePosition position;
    std::string check; ///< e.g. "unknown-variable"
    bool error = true; ///< false for a warning, which does not fail the gate
    std::string message;
};

/// The checks lint runs, by name.
const std::vector<std::string>& lint_checks();

/// Whether a variable carries user input: 'source: user', or no source and a name whose
/// words (split at '_', '-' and camelCase) start with 'user' or 'customer', hold
/// 'input', 'question' or 'query' (or their plurals) anywhere, or are just 'message' or
/// 'request': user_input, userInput, user-input, input_text, search_query, inputs.
bool carries_user_input(const Variable& variable);

/// Checks one prompt. `text` is the file's text, which positions refer to; `secrets` finds
/// secrets in it as `aiops scan` would in a file at `scan_path` (the same rules, allowlist
/// and suppression comments):
/// - unknown-variable (error): a template uses a name no variable declares;
/// - unused-variable (warning): a declared variable no template uses;
/// - user-input-in-system (error): a variable that carries user input inside a system
///   or developer message, where it could rewrite the instructions;
/// - secret (error): what scan's secret rules find (shown redacted);
/// - hidden-unicode (error): bidirectional controls, zero-width characters, tag
///   characters and other invisible code points;
/// - template (error): a template that cannot be compiled, or includes a partial.
std::vector<LintProblem> lint_prompt(const Prompt& prompt,
                                     std::string_view text,
                                     const scan::SecretFinder& secrets,
                                     const std::string& scan_path);

} // namespace aiops::prompt
