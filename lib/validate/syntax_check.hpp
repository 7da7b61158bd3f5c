#pragma once

#include "core/error.hpp"
#include "source/language.hpp"
#include "source/syntax_tree.hpp"
#include "validate/check.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::validate {

/// A file parsed for the checks: its tree, the language it was parsed as and every
/// syntax problem.
struct ParsedFile
{
    source::SyntaxTree tree;
    source::Language language;
    std::vector<source::SyntaxProblem> problems;
    std::size_t total_problems = 0; ///< may exceed problems.size()
    /// C and C++ are parsed from a copy with `extern "C"` guards blanked; the tree's
    /// text points here then.
    std::unique_ptr<std::string> prepared_text;
};

/// Parses the text for the checks. A .h file that parses as C with problems and as C++
/// with fewer is taken as C++. JSON's problems come from a strict parser.
core::Result<ParsedFile>
parse_for_checks(const std::string& path, source::Language language, std::string_view text);

/// The `syntax` check: every syntax problem, with its range, up to a cap a file, plus
/// an encoding finding when the text is not valid in its encoding.
std::unique_ptr<Check> make_syntax_check(std::size_t max_problems_per_file);

} // namespace aiops::validate
