#include "prompt/lint.hpp"

#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "prompt/template.hpp"
#include "scan/scan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace aiops::prompt {

namespace {

/// The name of an invisible or direction-changing code point, or nullptr for others.
const char* hidden_code_point_name(char32_t c)
{
    switch (c) {
    case 0x00AD:
        return "SOFT HYPHEN";
    case 0x061C:
        return "ARABIC LETTER MARK";
    case 0x180E:
        return "MONGOLIAN VOWEL SEPARATOR";
    case 0x200B:
        return "ZERO WIDTH SPACE";
    case 0x200C:
        return "ZERO WIDTH NON-JOINER";
    case 0x200D:
        return "ZERO WIDTH JOINER";
    case 0x200E:
        return "LEFT-TO-RIGHT MARK";
    case 0x200F:
        return "RIGHT-TO-LEFT MARK";
    case 0x202A:
        return "LEFT-TO-RIGHT EMBEDDING";
    case 0x202B:
        return "RIGHT-TO-LEFT EMBEDDING";
    case 0x202C:
        return "POP DIRECTIONAL FORMATTING";
    case 0x202D:
        return "LEFT-TO-RIGHT OVERRIDE";
    case 0x202E:
        return "RIGHT-TO-LEFT OVERRIDE";
    case 0x2060:
        return "WORD JOINER";
    case 0x2061:
    case 0x2062:
    case 0x2063:
    case 0x2064:
        return "INVISIBLE OPERATOR";
    case 0x2066:
        return "LEFT-TO-RIGHT ISOLATE";
    case 0x2067:
        return "RIGHT-TO-LEFT ISOLATE";
    case 0x2068:
        return "FIRST STRONG ISOLATE";
    case 0x2069:
        return "POP DIRECTIONAL ISOLATE";
    case 0xFEFF:
        return "ZERO WIDTH NO-BREAK SPACE";
    default:
        break;
    }
    if (c >= 0xE0000 && c <= 0xE007F) {
        return "TAG CHARACTER";
    }
    return nullptr;
}

class PromptLinter
{
public:
    PromptLinter(const Prompt& prompt,
                 std::string_view text,
                 const scan::SecretFinder& secrets,
                 const std::string& scan_path)
        : m_prompt(prompt), m_text(text), m_secrets(secrets), m_scan_path(scan_path)
    {}

    std::vector<LintProblem> run()
    {
        check_templates();
        check_unused();
        check_hidden_text();
        check_secrets();
        std::stable_sort(m_problems.begin(), m_problems.end(), [](const auto& a, const auto& b) {
            return std::pair(a.position.line, a.position.column)
                   < std::pair(b.position.line, b.position.column);
        });
        return std::move(m_problems);
    }

private:
    void add(FilePosition at, const char* check, bool error, std::string message)
    {
        m_problems.push_back({m_prompt.name, m_prompt.file, at, check, error, std::move(message)});
    }

    void check_templates()
    {
        for (std::size_t i = 0; i < m_prompt.messages.size(); ++i) {
            const Message& message = m_prompt.messages[i];
            if (auto problem = template_problem_at(message.text)) {
                add(m_prompt.template_position(i, problem->line, problem->column),
                    "template",
                    true,
                    fmt::format("the {} message's template cannot be compiled: {}",
                                message.role,
                                problem->message));
                continue;
            }
            for (const auto& partial : template_partials(message.text)) {
                add(m_prompt.template_position(i, partial.line, partial.column),
                    "template",
                    true,
                    fmt::format("the {} message: {}", message.role, partial_problem(partial.name)));
            }
            const bool instructions = message.role == "system" || message.role == "developer";
            for (const auto& reference : template_references(message.text)) {
                m_used.insert(reference.name);
                const FilePosition at =
                    m_prompt.template_position(i, reference.line, reference.column);
                const Variable* variable = m_prompt.find_variable(reference.name);
                if (variable == nullptr) {
                    if (!reference.in_section) {
                        add(at,
                            "unknown-variable",
                            true,
                            fmt::format("the {} message uses '{}', which no variable declares",
                                        message.role,
                                        reference.name));
                    }
                    continue;
                }
                if (instructions && carries_user_input(*variable)) {
                    add(at,
                        "user-input-in-system",
                        true,
                        fmt::format("'{}' carries user input and sits in the {} message, where it "
                                    "can rewrite the instructions; move it to a user message, or "
                                    "mark it 'source: trusted' if it never holds user input",
                                    reference.name,
                                    message.role));
                }
            }
        }
    }

    void check_unused()
    {
        for (const auto& variable : m_prompt.variables) {
            if (m_used.count(variable.name) == 0) {
                add(variable.position,
                    "unused-variable",
                    false,
                    fmt::format("variable '{}' is declared but no template uses it",
                                variable.name));
            }
        }
    }

    void check_hidden_text()
    {
        const auto lines = core::split(m_text, '\n');
        for (std::size_t index = 0; index < lines.size(); ++index) {
            check_hidden(lines[index], static_cast<int>(index) + 1, index == 0);
        }
    }

    /// The secrets scan finds in the file, through scan's own rules and engine.
    void check_secrets()
    {
        for (const auto& finding : m_secrets.find(m_scan_path, std::string(m_text))) {
            add({finding.location.start_line, finding.location.start_column},
                "secret",
                true,
                fmt::format(
                    "{} ({}); keep secrets out of prompts", finding.message, finding.rule_id));
        }
    }

    void check_hidden(const std::string& line, int line_number, bool first_line)
    {
        std::size_t offset = 0;
        int column = 1;
        while (offset < line.size()) {
            const core::DecodedCodePoint decoded = core::decode_utf8(line, offset);
            const bool byte_order_mark = first_line && offset == 0 && decoded.code_point == 0xFEFF;
            if (const char* name = hidden_code_point_name(decoded.code_point);
                name && !byte_order_mark) {
                add({line_number, column},
                    "hidden-unicode",
                    true,
                    fmt::format("invisible character U+{:04X} {}: what a reader sees is not what "
                                "the model gets",
                                static_cast<std::uint32_t>(decoded.code_point),
                                name));
            }
            offset += decoded.length;
            ++column;
        }
    }

    const Prompt& m_prompt;
    std::string_view m_text;
    const scan::SecretFinder& m_secrets;
    const std::string& m_scan_path;
    std::set<std::string> m_used;
    std::vector<LintProblem> m_problems;
};

} // namespace

const std::vector<std::string>& lint_checks()
{
    static const std::vector<std::string> checks{"unknown-variable",
                                                 "unused-variable",
                                                 "user-input-in-system",
                                                 "secret",
                                                 "hidden-unicode",
                                                 "template"};
    return checks;
}

namespace {

/// The words of a variable name, lowercase: split at '_', '-' and where camelCase starts
/// a word, so 'userInput', 'user-input' and 'user_input' are all 'user' and 'input'.
std::vector<std::string> name_words(std::string_view name)
{
    std::vector<std::string> words(1);
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool upper = std::isupper(static_cast<unsigned char>(c)) != 0;
        const bool after_lower =
            i > 0 && std::islower(static_cast<unsigned char>(name[i - 1])) != 0;
        if (c == '_' || c == '-' || (upper && after_lower)) {
            if (!words.back().empty()) {
                words.emplace_back();
            }
            if (c == '_' || c == '-') {
                continue;
            }
        }
        words.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (words.back().empty()) {
        words.pop_back();
    }
    return words;
}

bool is_one_of(const std::string& word, std::initializer_list<std::string_view> list)
{
    return std::find(list.begin(), list.end(), word) != list.end();
}

} // namespace

bool carries_user_input(const Variable& variable)
{
    if (!variable.source.empty()) {
        return variable.source == "user";
    }
    const std::vector<std::string> words = name_words(variable.name);
    if (words.empty()) {
        return false;
    }
    // Whoever the name says it comes from: user_*, customer_*.
    if (is_one_of(words.front(), {"user", "customer"})) {
        return true;
    }
    // What users type, wherever the word sits: input_text, search_query, inputs.
    const bool typed = std::any_of(words.begin(), words.end(), [](const std::string& word) {
        return is_one_of(word, {"input", "inputs", "question", "questions", "query", "queries"});
    });
    // 'message' and 'request' alone; request_id or system_message say something else.
    const bool alone = words.size() == 1
                       && is_one_of(words.front(), {"message", "messages", "request", "requests"});
    return typed || alone;
}

std::vector<LintProblem> lint_prompt(const Prompt& prompt,
                                     std::string_view text,
                                     const scan::SecretFinder& secrets,
                                     const std::string& scan_path)
{
    return PromptLinter(prompt, text, secrets, scan_path).run();
}

} // namespace aiops::prompt
