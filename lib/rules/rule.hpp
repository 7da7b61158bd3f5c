#pragma once

#include "core/error.hpp"
#include "core/severity.hpp"
#include "rules/query.hpp"
#include "source/language.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::rules {

/// Where a rule was defined, for messages that point back at it.
struct RuleOrigin
{
    std::string file; ///< as given, or "rules/python/x.yaml" for a built-in rule
    int line = 1;
    int column = 1;
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
    std::vector<std::string> bad_examples;
    std::vector<std::string> good_examples;
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
    std::string text;
};

/// Loads rules from YAML. A file holds one rule (a mapping with `id`) or a mapping
/// with `rules:` and a list of them. Loading is strict: YAML errors, unknown keys,
/// wrong types, missing keys, bad values, invalid queries and duplicate ids fail with
/// ErrorCode::input and "file:line:column: what is wrong". Rules are appended to `set`.
core::Result<bool> load_rules(const RuleSource& source, RuleSet& set);

/// The rules compiled into the binary (the rules/ folder of the source tree).
const std::vector<RuleSource>& builtin_rule_sources();

/// Loads rule files: a file, or every *.yaml and *.yml below a folder, in path order.
core::Result<bool> load_rule_path(const std::string& path, RuleSet& set);

} // namespace aiops::rules
