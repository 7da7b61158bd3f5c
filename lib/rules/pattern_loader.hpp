#pragma once

#include "core/yaml_reader.hpp"
#include "rules/rule.hpp"

#include <string>
#include <vector>

namespace aiops::rules {

/// The keys of a pattern rule: `pattern`, `any` or `all` (one of them), and the
/// optional `pattern-not`, `inside`, `not-inside` and `where`.
const std::vector<std::string>& pattern_rule_keys();

/// Whether a rule's mapping holds `pattern`, `any` or `all`.
bool is_pattern_rule(const YAML::Node& rule);

/// Compiles a pattern rule's operators for each of rule.languages into rule.queries.
/// Throws core::Error "file:line:column: what is wrong" for a snippet that does not
/// parse (pointing into the snippet), a `where` naming a metavariable no pattern has,
/// an unknown node kind, or a bad regular expression. `lines` are the file's lines.
/// `declared` are the languages the rule names, of which rule.languages may be a part:
/// an item of `any` is an error only when it compiles for none of them, and a node kind
/// only when none of them knows it, so such checks are left out when only a part is
/// compiled.
void load_code_patterns(const YAML::Node& node,
                        const core::YamlReader& reader,
                        const std::vector<std::string>& lines,
                        Rule& rule,
                        const std::vector<source::Language>& declared);

} // namespace aiops::rules
