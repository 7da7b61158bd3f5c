#include "validate/artefacts_check.hpp"

#include "core/strings.hpp"
#include "validate/artefacts.hpp"
#include "validate/syntax_check.hpp"

#include <algorithm>

namespace aiops::validate {

namespace {

using namespace artefacts;

const std::vector<std::string> k_tags{"artefacts", "llm", "correctness"};

report::RuleInfo rule(const char* id,
                      const char* name,
                      const char* short_description,
                      const char* full_description,
                      const char* help,
                      core::Severity severity)
{
    return {
        id, name, short_description, full_description, help, severity, k_tags, "high", {}, {}, {}};
}

std::vector<report::RuleInfo> artefact_rules()
{
    return {
        rule(k_fence_rule,
             "MarkdownFence",
             "A markdown code fence is left in a source file.",
             "A line of three or more backticks or tildes, with or without an info string "
             "such as ```python, outside any comment or string: the file was cut from a "
             "model's reply together with the markdown around the code.",
             "The file holds a markdown fence line, so it was saved from a chat reply as it "
             "was. Delete the fence lines (and any text around them that is not code). Fences "
             "inside a docstring, a comment or a string are not reported.\n\n"
             "The syntax errors the fence causes are not reported separately.",
             core::Severity::high),
        rule(k_prose_rule,
             "ProseInSource",
             "Natural-language text from a model's reply is left in a source file.",
             "Lines outside any comment or string that read as English sentences (\"Here is "
             "the updated file:\", \"Let me know if you need anything else!\"), where they "
             "break the syntax or stand next to a markdown fence, and a short label such as "
             "\"Usage:\" or \"**Example usage:**\" on a line of its own where the syntax "
             "breaks.",
             "The file holds the explanation a model wrote around its code. Delete those lines, "
             "or turn them into a comment if they are worth keeping.\n\n"
             "The syntax errors the text causes are not reported separately.",
             core::Severity::high),
        rule(k_elided_rule,
             "ElidedCode",
             "Code was left out and replaced by a marker such as '... rest of the code ...'.",
             "A comment that stands for code that is not there (\"// ... existing code ...\", "
             "\"# rest of the implementation\", \"(same as before)\", \"// ... other getters "
             "and setters ...\", \"# same as before\"), a line that is only an ellipsis where "
             "code belongs, or a Python `...` among other statements.",
             "A model shortened its reply and the marker was saved instead of the code it "
             "stands for: the file lacks that code. Put the missing code back, usually from the "
             "earlier version of the file.",
             core::Severity::high),
        rule(k_placeholder_rule,
             "PlaceholderBody",
             "A function's body is only a placeholder.",
             "A function whose body is only `pass`, `...`, `raise NotImplementedError`, a "
             "throw or panic of \"not implemented\" or \"TODO\", `todo!()`/`unimplemented!()`, "
             "C#'s `NotImplementedException`, or a TODO comment. Abstract methods, interface "
             "and Protocol members, overloads, stub files, bodies with a docstring or an "
             "explaining comment, and methods of abstract bases that raise \"not implemented\" "
             "by convention are not reported.",
             "The function exists but does nothing yet: a model wrote the outline and not the "
             "code. Implement it, or, if doing nothing is right, say so with a docstring or a "
             "comment.",
             core::Severity::medium),
        rule(k_truncated_rule,
             "TruncatedFile",
             "The file ends inside an unfinished construct.",
             "The file stops inside an unclosed function body, block, call, string or comment, "
             "as a model's reply does when it reaches its length limit. One finding names the "
             "construct that was never finished.",
             "The file is cut off: the code after the reported construct is missing. Generate "
             "or write the rest of the file; closing the brackets alone leaves the code "
             "unfinished.\n\nThe syntax errors at the end of the file that the cut causes are "
             "not reported separately.",
             core::Severity::high),
    };
}

core::Severity severity_of(const char* rule_id)
{
    return std::string_view(rule_id) == k_placeholder_rule ? core::Severity::medium
                                                           : core::Severity::high;
}

// The text with the artefacts' lines replaced by spaces: byte offsets, line numbers
// and Python's indentation stay as they were.
std::string blank_out(std::string_view text, const std::vector<Artefact>& artefacts)
{
    std::string out(text);
    for (const Artefact& artefact : artefacts) {
        for (std::size_t i = artefact.start; i < std::min(artefact.end, out.size()); ++i) {
            if (out[i] != '\n' && out[i] != '\r') {
                out[i] = ' ';
            }
        }
    }
    return out;
}

/// A parse of the file with some artefact lines blanked out. The text is on the heap:
/// the tree points into it.
struct Reparse
{
    std::unique_ptr<std::string> text;
    ParsedFile parsed;
};

std::optional<Reparse>
reparse(const CheckedFile& file, std::string_view text, const std::vector<Artefact>& artefacts)
{
    auto blanked = std::make_unique<std::string>(blank_out(text, artefacts));
    auto parsed = parse_for_checks(file.path, file.language, *blanked);
    if (!parsed) {
        return std::nullopt;
    }
    return Reparse{std::move(blanked), std::move(*parsed)};
}

View view_of(const CheckedFile& file, const Reparse& reparsed, const std::vector<Line>& lines)
{
    return {file.path,
            file.language,
            reparsed.parsed.tree.text(),
            reparsed.parsed.tree,
            reparsed.parsed.problems,
            node_roles(file.language),
            lines};
}

// The syntax problems the blanked lines caused: those on them, and those the parse
// without them no longer has on their line.
void explain_syntax(std::span<const source::SyntaxProblem> problems,
                    const std::vector<Artefact>& blanked,
                    const View& without,
                    FileFindings& out)
{
    std::vector<std::size_t> remaining;
    for (const auto& problem : without.problems) {
        remaining.push_back(line_of(without.lines, problem.start_byte));
    }
    std::sort(remaining.begin(), remaining.end());
    for (const auto& problem : problems) {
        const std::size_t line = line_of(without.lines, problem.start_byte);
        const bool on_artefact =
            std::any_of(blanked.begin(), blanked.end(), [&](const Artefact& a) {
                return problem.start_byte >= a.start && problem.start_byte <= a.end;
            });
        if (on_artefact || !std::binary_search(remaining.begin(), remaining.end(), line)) {
            out.syntax_explained.emplace_back(problem.start_byte, problem.start_byte + 1);
        }
    }
}

// The lines, up to the last line that has code, on which a parse has a syntax problem
// that starts there.
std::vector<std::size_t> problem_lines_before_end(const View& view)
{
    std::size_t last = view.lines.size();
    while (last > 0
           && core::trim(view.text.substr(view.lines[last - 1].start,
                                          view.lines[last - 1].end - view.lines[last - 1].start))
                  .empty()) {
        --last;
    }
    std::vector<std::size_t> lines;
    for (const auto& problem : view.problems) {
        if (const std::size_t line = line_of(view.lines, problem.start_byte); line + 1 < last) {
            lines.push_back(line);
        }
    }
    std::sort(lines.begin(), lines.end());
    return lines;
}

// The syntax problems a cut explains: those from the line of the unfinished construct
// on, and those before it that the cut caused. A problem before that line is the cut's
// when a parse of the file without its cut tail no longer has a problem on its line
// (the new end of that parse has problems of its own, which do not count): a syntax
// error in the middle of a truncated file is still reported.
void explain_truncation(const CheckedFile& file,
                        const View& view,
                        const Truncation& truncation,
                        FileFindings& out)
{
    const std::size_t cut = view.lines[line_of(view.lines, truncation.artefact.start)].start;
    const std::size_t from = std::min(truncation.explains_from, cut);
    out.syntax_explained.emplace_back(cut, view.text.size());
    std::vector<const source::SyntaxProblem*> before;
    for (const auto& problem : file.syntax_problems) {
        if (problem.start_byte >= from && problem.start_byte < cut) {
            before.push_back(&problem);
        }
    }
    if (before.empty()) {
        return;
    }
    const Artefact tail{k_truncated_rule, {}, cut, view.text.size()};
    const auto without_tail = reparse(file, view.text, {tail});
    if (!without_tail) {
        out.syntax_explained.emplace_back(from, cut);
        return;
    }
    const std::vector<std::size_t> remaining =
        problem_lines_before_end(view_of(file, *without_tail, view.lines));
    for (const source::SyntaxProblem* problem : before) {
        const std::size_t line = line_of(view.lines, problem->start_byte);
        if (!std::binary_search(remaining.begin(), remaining.end(), line)) {
            out.syntax_explained.emplace_back(problem->start_byte, problem->start_byte + 1);
        }
    }
}

class ArtefactsCheck final : public Check
{
public:
    std::vector<report::RuleInfo> rules() const override { return artefact_rules(); }

    void check_file(const CheckedFile& file, FileFindings& out) const override;
};

void ArtefactsCheck::check_file(const CheckedFile& file, FileFindings& out) const
{
    const std::string_view text = file.tree.text();
    const std::vector<Line> lines = split_lines(text);
    const NodeRoles& roles = node_roles(file.language);
    const View original{
        file.path, file.language, text, file.tree, file.syntax_problems, roles, lines};

    // Fences first: their backticks pair up as strings in several languages and hide
    // the code between them, so prose and code are read from a parse without them.
    std::vector<Artefact> found = find_fences(original);
    std::optional<Reparse> unfenced;
    if (!found.empty()) {
        unfenced = reparse(file, text, found);
    }
    const View fenceless = unfenced ? view_of(file, *unfenced, lines) : original;
    // Without a fence or a syntax problem, only the file's first and last paragraphs
    // can be prose (in the languages where a sentence may parse).
    const bool valid = found.empty() && fenceless.problems.empty();
    std::vector<Artefact> more = find_prose(fenceless, found, /*edges_only=*/valid);
    for (auto& line : find_elided_lines(fenceless)) {
        more.push_back(std::move(line));
    }
    std::optional<Reparse> cleaned;
    if (!more.empty()) {
        cleaned = reparse(file, fenceless.text, more);
    }
    std::move(more.begin(), more.end(), std::back_inserter(found));
    const View final_view = cleaned ? view_of(file, *cleaned, lines) : fenceless;

    if (!found.empty()) {
        explain_syntax(file.syntax_problems, found, final_view, out);
    }
    if (auto truncation = find_truncation(final_view)) {
        explain_truncation(file, final_view, *truncation, out);
        if (truncation->in_literal) {
            // What follows an unterminated string or comment is its text, not prose.
            std::erase_if(found, [&](const Artefact& artefact) {
                return artefact.start > truncation->artefact.start;
            });
        }
        found.push_back(std::move(truncation->artefact));
    }
    const Inventory inventory = take_inventory(final_view);
    for (auto& elided : find_elided_code(final_view, inventory)) {
        found.push_back(std::move(elided));
    }
    for (auto& stub : find_placeholders(final_view, inventory)) {
        found.push_back(std::move(stub));
    }
    for (Artefact& artefact : found) {
        core::Finding finding = file_finding(file,
                                             artefact.rule,
                                             severity_of(artefact.rule),
                                             std::move(artefact.message),
                                             artefact.start,
                                             artefact.end);
        finding.tags = k_tags;
        out.findings.push_back(std::move(finding));
    }
}

} // namespace

std::unique_ptr<Check> make_artefacts_check()
{
    return std::make_unique<ArtefactsCheck>();
}

} // namespace aiops::validate
