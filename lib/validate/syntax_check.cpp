#include "validate/syntax_check.hpp"

#include "core/line_index.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "source/syntax_tree.hpp"
#include "validate/json_text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace aiops::validate {

namespace {

constexpr const char* k_error_rule = "syntax.error";
constexpr const char* k_missing_rule = "syntax.missing";
constexpr const char* k_encoding_rule = "syntax.encoding";

// JSON is checked by a strict parser: the tree-sitter grammar accepts what JSON does
// not (several top-level values, an empty file) and refuses what it allows (1e+5).
// Comments are allowed, as in the JSON-with-comments files of editors and compilers;
// trailing commas too in the files whose tools accept them (tsconfig.json).
std::vector<source::SyntaxProblem> json_problems(std::string_view text, bool jsonc)
{
    try {
        static_cast<void>(parse_json_text(text, jsonc));
        return {};
    } catch (const nlohmann::json::parse_error& error) {
        const JsonError failure = describe_json_error(error, text);
        return {{source::SyntaxProblem::Kind::error,
                 failure.offset,
                 std::min(failure.offset + 1, text.size()),
                 "invalid JSON: " + failure.reason}};
    }
}

// Problems past this many are counted but not described.
constexpr std::size_t k_described_problems = 10000;

core::Result<ParsedFile> parse_as(source::Language language, std::string_view text, bool jsonc)
{
    std::unique_ptr<std::string> prepared;
    if (language == source::Language::c || language == source::Language::cpp) {
        prepared = std::make_unique<std::string>(source::blank_extern_c_guards(text));
        text = *prepared;
    }
    auto tree = source::parse(language, text);
    if (!tree) {
        return tree.error();
    }
    ParsedFile parsed{std::move(*tree), language, {}, 0, std::move(prepared)};
    if (language == source::Language::json) {
        parsed.problems = json_problems(text, jsonc);
        parsed.total_problems = parsed.problems.size();
    } else {
        parsed.problems =
            source::find_syntax_problems(parsed.tree, k_described_problems, parsed.total_problems);
    }
    return parsed;
}

class SyntaxCheck final : public Check
{
public:
    explicit SyntaxCheck(std::size_t max_problems) : m_max_problems(max_problems) {}

    std::vector<report::RuleInfo> rules() const override;
    void check_file(const CheckedFile& file, FileFindings& out) const override;

private:
    std::size_t m_max_problems;
};

std::vector<report::RuleInfo> SyntaxCheck::rules() const
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

void SyntaxCheck::check_file(const CheckedFile& file, FileFindings& out) const
{
    if (file.invalid_offset) {
        const std::size_t at = std::min(*file.invalid_offset, file.text.size());
        out.findings.push_back(file_finding(file,
                                            k_encoding_rule,
                                            core::Severity::high,
                                            std::string(file.invalid_reason),
                                            at,
                                            std::min(at + 1, file.text.size())));
    }
    const std::size_t shown = std::min(m_max_problems, file.syntax_problems.size());
    for (std::size_t i = 0; i < shown; ++i) {
        const source::SyntaxProblem& problem = file.syntax_problems[i];
        const char* rule =
            problem.kind == source::SyntaxProblem::Kind::missing ? k_missing_rule : k_error_rule;
        core::Finding finding = file_finding(file,
                                             rule,
                                             core::Severity::high,
                                             problem.message,
                                             problem.start_byte,
                                             problem.end_byte);
        finding.tags = {"syntax", "correctness"};
        out.findings.push_back(std::move(finding));
    }
    if (file.total_syntax_problems > shown) {
        out.note = fmt::format("{} more syntax problems are not shown (at most {} a file; see "
                               "--max-errors-per-file)",
                               file.total_syntax_problems - shown,
                               m_max_problems);
    }
}

} // namespace

core::Result<ParsedFile>
parse_for_checks(const std::string& path, source::Language language, std::string_view text)
{
    auto parsed = parse_as(language, text, is_jsonc_file(path));
    if (!parsed) {
        return parsed.error();
    }
    // A .h file may hold C or C++; it counts as C++ when only C++ parses it cleanly.
    if (language == source::Language::c && parsed->total_problems > 0 && path.ends_with(".h")) {
        auto as_cpp = parse_as(source::Language::cpp, text, false);
        if (!as_cpp) {
            return as_cpp.error();
        }
        if (as_cpp->total_problems < parsed->total_problems) {
            return as_cpp;
        }
    }
    return parsed;
}

std::unique_ptr<Check> make_syntax_check(std::size_t max_problems_per_file)
{
    return std::make_unique<SyntaxCheck>(max_problems_per_file);
}

} // namespace aiops::validate
