#include "validate/syntax_check.hpp"

#include "core/line_index.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "source/syntax_tree.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace aiops::validate {

namespace {

constexpr const char* k_error_rule = "syntax.error";
constexpr const char* k_missing_rule = "syntax.missing";
constexpr const char* k_encoding_rule = "syntax.encoding";

core::Finding make_finding(const std::string& path,
                           const core::LineIndex& lines,
                           const char* rule,
                           std::string message,
                           std::size_t start_byte,
                           std::size_t end_byte)
{
    const core::TextPosition start = lines.position(start_byte);
    const core::TextPosition end = lines.position(end_byte);
    core::Finding finding;
    finding.rule_id = rule;
    finding.severity = core::Severity::high;
    finding.message = std::move(message);
    finding.location = {path, start.line, start.column, end.line, end.column};
    finding.snippet = lines.snippet(start.line, end.line);
    finding.tags = {"syntax", "correctness"};
    return finding;
}

// JSON is checked by a strict parser: the tree-sitter grammar accepts what JSON does
// not (several top-level values, an empty file) and refuses what it allows (1e+5).
// Comments are allowed, as in the JSON-with-comments files of editors and compilers.
std::vector<source::SyntaxProblem> json_problems(std::string_view text)
{
    try {
        const auto document = nlohmann::json::parse(text.begin(),
                                                    text.end(),
                                                    nullptr,
                                                    /*allow_exceptions=*/true,
                                                    /*ignore_comments=*/true);
        static_cast<void>(document);
        return {};
    } catch (const nlohmann::json::parse_error& error) {
        std::string reason = error.what();
        // "[json.exception.parse_error.101] parse error at line 1, column 4: syntax error
        // while parsing value - invalid literal; last read: '1e'"
        if (const std::size_t colon = reason.find(": ", reason.find("column"));
            colon != std::string::npos) {
            reason = reason.substr(colon + 2);
        }
        const std::size_t at =
            error.byte == 0 ? 0 : std::min<std::size_t>(error.byte - 1, text.size());
        return {{source::SyntaxProblem::Kind::error,
                 at,
                 std::min(at + 1, text.size()),
                 "invalid JSON: " + reason}};
    }
}

core::Result<std::pair<std::vector<source::SyntaxProblem>, std::size_t>>
problems_of(source::Language language, std::string_view text, std::size_t limit)
{
    if (language == source::Language::json) {
        auto problems = json_problems(text);
        const std::size_t total = problems.size();
        return std::make_pair(std::move(problems), total);
    }
    std::string prepared;
    if (language == source::Language::c || language == source::Language::cpp) {
        prepared = source::blank_extern_c_guards(text);
        text = prepared;
    }
    auto tree = source::parse(language, text);
    if (!tree) {
        return tree.error();
    }
    std::size_t total = 0;
    auto problems = source::find_syntax_problems(*tree, limit, total);
    return std::make_pair(std::move(problems), total);
}

} // namespace

std::vector<report::RuleInfo> syntax_rules()
{
    const std::vector<std::string> tags{"syntax", "correctness"};
    return {
        {k_error_rule,
         "SyntaxError",
         "Code the language's grammar does not allow.",
         "The parser met text it cannot fit into the grammar at this point: a stray token, "
         "an unfinished construct or a construct of another language.",
         "The code does not parse. Generated code often breaks this way when a reply was cut "
         "off, when two versions of a block were merged, or when prose was left among the "
         "code. Fix the code at the reported range; the message names the first unexpected "
         "token.",
         core::Severity::high,
         tags,
         "high",
         {},
         {},
         {}},
        {k_missing_rule,
         "MissingToken",
         "A token the grammar requires is missing.",
         "The parser could only go on by assuming a token that is not in the file, such as "
         "a closing bracket or a colon.",
         "The code does not parse: the token the message names is missing at the reported "
         "position. Add it, or finish the construct it belongs to.",
         core::Severity::high,
         tags,
         "high",
         {},
         {},
         {}},
        {k_encoding_rule,
         "InvalidEncoding",
         "The file is not valid text in its encoding.",
         "The file holds bytes that are not valid UTF-8 (or not valid in the encoding a "
         "Python file declares), so tools disagree on what the code says.",
         "Save the file as UTF-8, or declare the encoding it really uses (PEP 263 for "
         "Python).",
         core::Severity::high,
         tags,
         "high",
         {},
         {},
         {}},
    };
}

core::Result<SyntaxOutcome> check_syntax(const std::string& path,
                                         source::Language language,
                                         std::string_view text,
                                         std::optional<std::size_t> invalid_offset,
                                         const std::string& invalid_reason,
                                         std::size_t max_problems)
{
    auto parsed = problems_of(language, text, max_problems);
    if (!parsed) {
        return parsed.error();
    }
    SyntaxOutcome outcome;
    outcome.parsed_as = language;
    // A .h file may hold C or C++; it counts as C++ when only C++ parses it cleanly.
    if (language == source::Language::c && parsed->second > 0 && path.ends_with(".h")) {
        auto as_cpp = problems_of(source::Language::cpp, text, max_problems);
        if (!as_cpp) {
            return as_cpp.error();
        }
        if (as_cpp->second < parsed->second) {
            parsed = std::move(as_cpp);
            outcome.parsed_as = source::Language::cpp;
        }
    }
    const auto& [problems, total] = *parsed;
    if (problems.empty() && !invalid_offset) {
        return outcome;
    }
    const core::LineIndex lines(text);
    if (invalid_offset) {
        const std::size_t at = std::min(*invalid_offset, text.size());
        outcome.findings.push_back(make_finding(
            path, lines, k_encoding_rule, invalid_reason, at, std::min(at + 1, text.size())));
    }
    for (const auto& problem : problems) {
        const char* rule =
            problem.kind == source::SyntaxProblem::Kind::missing ? k_missing_rule : k_error_rule;
        core::Finding finding =
            make_finding(path, lines, rule, problem.message, problem.start_byte, problem.end_byte);
        outcome.findings.push_back(std::move(finding));
    }
    outcome.not_shown = total - problems.size();
    return outcome;
}

} // namespace aiops::validate
