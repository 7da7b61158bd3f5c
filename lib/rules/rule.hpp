#pragma once

#include "core/error.hpp"
#include "core/severity.hpp"
#include "rules/query.hpp"
#include "source/language.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace aiops::rules {

/// Where a rule was defined, for messages that point back at it.
struct RuleOrigin
{
    std::string file; ///< as given, or "rules/python/x.yaml" for a built-in rule
    int line = 1;
    int column = 1;
};

/// The matcher of a text rule: a regular expression over the text of any text file,
/// with or without a grammar.
struct TextMatcher
{
    std::shared_ptr<const re2::RE2> regex;
    /// Lowercase strings one of which a line (or, for a multiline rule, the file) must
    /// hold before the regex runs; empty: the regex's own literal start, if any.
    std::vector<std::string> keywords;
    bool multiline = false; ///< the regex runs over the whole file, not keyword lines
    /// The least Shannon entropy (bits per character) of the reported group.
    std::optional<double> min_entropy;
    int group = 0; ///< the capture group reported (and redacted); 0: the whole match
    /// A match whose group matches one of these is not reported.
    std::vector<std::shared_ptr<const re2::RE2>> allow;
    /// A match whose whole text matches one of these is not reported: what the group
    /// alone cannot tell, such as the name a value is assigned to.
    std::vector<std::shared_ptr<const re2::RE2>> allow_match;
    /// Patterns (gitignore syntax) of the files the rule reads; empty: every text file.
    std::vector<std::string> paths;
    bool comments = false; ///< also reads the comments of files with a grammar
    /// The group holds a secret: the finding shows only its start and a hash of it.
    bool redact = true;
    /// When set, the named group must decode from base64 (or base64url) to a text
    /// this matches.
    int decoded_group = 0;
    std::shared_ptr<const re2::RE2> decoded_regex;
};

/// One rule: metadata, a matcher per language, and its own examples.
struct Rule
{
    std::string id;      ///< dotted, e.g. "python.subprocess-shell"
    std::string message; ///< may name captures as {{name}}
    core::Severity severity = core::Severity::medium;
    std::string confidence = "medium"; ///< high, medium or low
    std::vector<source::Language> languages;
    std::vector<std::string> cwe;
    std::vector<std::string> owasp;
    std::vector<std::string> aliases;
    std::string help;  ///< markdown
    std::string focus; ///< the capture to report; empty: the whole match
    /// The query, compiled once per language of the rule (same order as languages).
    std::vector<Query> queries;
    /// Set for a text rule (`regex:`), which has no languages and no queries.
    std::optional<TextMatcher> text;
    std::vector<std::string> bad_examples;
    std::vector<std::string> good_examples;
    /// Where each example is in the rule file (same order as the examples).
    std::vector<RuleOrigin> bad_example_origins;
    std::vector<RuleOrigin> good_example_origins;
    RuleOrigin origin;
};

/// A set of rules with unique ids.
struct RuleSet
{
    std::vector<std::shared_ptr<const Rule>> rules;

    const Rule* find(std::string_view id) const;
};

/// A rule file's text and the name errors should give it.
struct RuleSource
{
    std::string name;
    /// Held by the caller while the rules load: the built-in rules' texts stay where the
    /// binary holds them.
    std::string_view text;
};

/// Whether a rule reads plain text (a `regex` rule) rather than syntax trees.
inline bool is_text_rule(const Rule& rule)
{
    return rule.text.has_value();
}

/// How rules are loaded.
struct LoadOptions
{
    /// When set, a tree rule's query or patterns are compiled only for these of its
    /// languages, and its other languages are left out of Rule::languages (a rule of
    /// none of them keeps its metadata and matches nothing). For a scan that knows the
    /// languages of its files, of rules that are checked in full elsewhere (the built-in
    /// ones, by --test-rules): the checks that need every language are left out.
    std::optional<std::vector<source::Language>> languages;
    /// Whether the rules keep their `examples` (for --test-rules). They are checked as
    /// strictly either way; a scan does not run them.
    bool keep_examples = true;
};

/// Loads rules from YAML. A file holds one rule (a mapping with `id`) or a mapping
/// with `rules:` and a list of them. Loading is strict: YAML errors, unknown keys,
/// wrong types, missing keys, bad values, invalid queries and duplicate ids fail with
/// ErrorCode::input and "file:line:column: what is wrong". Rules are appended to `set`.
core::Result<bool>
load_rules(const RuleSource& source, RuleSet& set, const LoadOptions& options = {});

/// A rule file's text read as YAML. Reading YAML is most of the cost of loading a rule
/// file and depends on no LoadOptions, so a caller may read files ahead, while other
/// work runs.
class RuleDocument;

/// Reads a source's YAML; fails as load_rules does on text that is not valid YAML.
core::Result<std::shared_ptr<const RuleDocument>> read_rule_document(const RuleSource& source);

/// load_rules on a document read_rule_document read from the same source.
core::Result<bool> load_rules(const RuleSource& source,
                              const RuleDocument& document,
                              RuleSet& set,
                              const LoadOptions& options = {});

/// The rules compiled into the binary (the rules/ folder of the source tree).
const std::vector<RuleSource>& builtin_rule_sources();

/// Loads rule files: a file, or every *.yaml and *.yml below a folder, in path order.
core::Result<bool> load_rule_path(const std::string& path, RuleSet& set);

/// The rule files a path names: the file, or every *.yaml and *.yml below a folder, in
/// path order. Fails with ErrorCode::usage, naming the flag the path came from, for a
/// path that does not exist and for a folder that holds no rule file.
core::Result<std::vector<std::string>> rule_files(const std::string& path, std::string_view flag);

/// Loads one rule file.
core::Result<bool> load_rule_file(const std::string& file, RuleSet& set);

} // namespace aiops::rules
