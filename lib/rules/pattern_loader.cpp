#include "rules/pattern_loader.hpp"

#include "core/scalar_position.hpp"
#include "rules/pattern.hpp"
#include "source/grammar.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <string_view>

namespace aiops::rules {

namespace {

const std::vector<std::string> k_condition_keys{"regex", "not-regex", "kind", "constant", "qname"};
const std::vector<std::string> k_clause_keys{"pattern", "pattern-not", "inside", "not-inside"};

std::string without_dollar(std::string name)
{
    if (name.starts_with('$')) {
        name.erase(0, 1);
    }
    return name;
}

class PatternLoader
{
public:
    PatternLoader(const YAML::Node& node,
                  const core::YamlReader& reader,
                  const std::vector<std::string>& lines)
        : m_node(node), m_reader(reader), m_lines(lines)
    {}

    void load(Rule& rule, const std::vector<source::Language>& declared)
    {
        check_operators();
        m_languages = declared;
        for (const auto language : rule.languages) {
            Query query;
            query.language = language;
            auto code = std::make_shared<CodePattern>();
            code->alternatives = alternatives(language, query.capture_names);
            if (m_node["any"] || m_node["pattern"]) {
                code->all = clauses("all", language, query.capture_names);
            } else {
                code->all.assign(code->alternatives.begin() + 1, code->alternatives.end());
                code->alternatives.resize(1);
            }
            code->not_patterns = snippets(m_node, "pattern-not", language, query.capture_names);
            code->inside = snippets(m_node, "inside", language, query.capture_names);
            code->not_inside = snippets(m_node, "not-inside", language, query.capture_names);
            code->bound_by_alternative = bindable_captures(*code);
            code->conditions = conditions(language, query.capture_names, *code);
            for (const auto& alternative : code->alternatives) {
                query.patterns.push_back(shell(alternative, *code, language));
            }
            query.code = std::move(code);
            rule.queries.push_back(std::move(query));
        }
        for (const auto& [item, failure] : m_any_failures) {
            if (failure.languages == m_languages.size()) {
                throw failure.first;
            }
        }
    }

private:
    void check_operators() const
    {
        // The error stands at the second of the keys, in the file's order.
        int positive = 0;
        for (const auto& entry : m_node) {
            const std::string key = entry.first.Scalar();
            if ((key == "pattern" || key == "any" || key == "all") && ++positive > 1) {
                m_reader.raise(entry.first,
                               "a rule has one of 'pattern', 'any' and 'all', not several");
            }
        }
        if (m_node["pattern"] && !m_node["pattern"].IsScalar()) {
            m_reader.raise(m_node["pattern"],
                           "'pattern' must be a string (one snippet); 'any' takes a list of them");
        }
        if (m_node["query"]) {
            m_reader.raise(m_node["query"], "a rule has either 'query' or 'pattern', not both");
        }
        for (const char* list : {"any", "all"}) {
            if (m_node[list] && (!m_node[list].IsSequence() || m_node[list].size() == 0)) {
                m_reader.raise(m_node[list],
                               fmt::format("'{}' must be a list of one or more patterns", list));
            }
        }
    }

    // The query pattern that stands for an alternative in the engine's index: the node
    // kinds it can start at (for a lone metavariable, those its `where` allows), as
    // options of an alternation; with none, a match may start anywhere.
    static PatternNode
    shell(const CodeClause& clause, const CodePattern& code, source::Language language)
    {
        const CodeNode& alternative = clause.pattern;
        std::vector<TSSymbol> symbols = code_root_symbols(alternative, language);
        if (alternative.kind == CodeNode::Kind::metavariable) {
            for (const auto& condition : code.conditions) {
                if (condition.capture == alternative.capture && !condition.kinds.empty()) {
                    symbols = condition.kinds;
                }
            }
        }
        PatternNode out;
        if (symbols.size() == 1) {
            out.symbol = symbols[0];
        } else if (symbols.size() > 1) {
            out.kind = PatternNode::Kind::alternation;
            for (const TSSymbol symbol : symbols) {
                PatternNode option;
                option.symbol = symbol;
                out.children.push_back(std::move(option));
            }
        }
        return out;
    }

    std::vector<CodeClause> alternatives(source::Language language, std::vector<std::string>& names)
    {
        const char* key = m_node["pattern"] ? "pattern" : m_node["any"] ? "any" : "all";
        return clauses(key, language, names);
    }

    // The clauses under a key: a snippet, or a list of snippets and mappings that give a
    // `pattern` and the operators narrowing it.
    std::vector<CodeClause>
    clauses(const char* key, source::Language language, std::vector<std::string>& names) const
    {
        std::vector<CodeClause> out;
        const YAML::Node value = m_node[key];
        if (!value) {
            return out;
        }
        const auto add = [&](const YAML::Node& item) {
            CodeClause clause;
            if (!item.IsMap()) {
                clause.pattern = compile(item, key, language, names);
                out.push_back(std::move(clause));
                return;
            }
            m_reader.check_mapping(item, k_clause_keys, fmt::format("an item of '{}'", key));
            m_reader.require(item, {"pattern"}, fmt::format("an item of '{}'", key));
            clause.pattern = compile(item["pattern"], "pattern", language, names);
            clause.not_patterns = snippets(item, "pattern-not", language, names);
            clause.inside = snippets(item, "inside", language, names);
            clause.not_inside = snippets(item, "not-inside", language, names);
            out.push_back(std::move(clause));
        };
        if (!value.IsSequence()) {
            add(value);
            return out;
        }
        // In a rule for several languages, an item of `any` that one grammar cannot
        // parse (a TypeScript `as` where JavaScript is read too) applies in the others;
        // it is an error only when none parses it.
        const bool optional = std::string_view(key) == "any" && m_languages.size() > 1;
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (!optional) {
                add(value[i]);
                continue;
            }
            try {
                add(value[i]);
            } catch (const core::Error& error) {
                auto [failure, first] = m_any_failures.try_emplace(i, AnyFailure{error, 0});
                ++failure->second.languages;
            }
        }
        return out;
    }

    // The patterns under a key of a mapping: one snippet, or a list of them.
    std::vector<CodeNode> snippets(const YAML::Node& map,
                                   const char* key,
                                   source::Language language,
                                   std::vector<std::string>& names) const
    {
        std::vector<CodeNode> out;
        const YAML::Node value = map[key];
        if (!value) {
            return out;
        }
        if (value.IsSequence() && value.size() == 0) {
            m_reader.raise(value,
                           fmt::format("'{}' must be a snippet or a list of one or more", key));
        }
        if (value.IsSequence()) {
            for (const auto& item : value) {
                out.push_back(compile(item, key, language, names));
            }
        } else {
            out.push_back(compile(value, key, language, names));
        }
        return out;
    }

    CodeNode compile(const YAML::Node& item,
                     const char* key,
                     source::Language language,
                     std::vector<std::string>& names) const
    {
        const std::string text = snippet_text(item, key);
        auto compiled = compile_code_pattern(text, language, names);
        if (auto* error = std::get_if<PatternError>(&compiled)) {
            int line = 1;
            int column = 1;
            for (std::size_t i = 0; i < error->offset && i < text.size(); ++i) {
                if (text[i] == '\n') {
                    ++line;
                    column = 1;
                } else {
                    ++column;
                }
            }
            const YAML::Mark mark = item.Mark();
            const auto [file_line, file_column] =
                core::scalar_text_position(m_lines, mark.line, mark.column, line, column);
            YAML::Mark at;
            at.line = file_line - 1;
            at.column = file_column - 1;
            throw m_reader.error_at(at, fmt::format("invalid '{}': {}", key, error->message));
        }
        return std::get<CodeNode>(std::move(compiled));
    }

    static void add_captures(const CodeNode& node, std::vector<int>& out)
    {
        if (node.capture >= 0 && std::find(out.begin(), out.end(), node.capture) == out.end()) {
            out.push_back(node.capture);
        }
        for (const auto& child : node.children) {
            add_captures(child, out);
        }
    }

    static void add_captures(const CodeClause& clause, std::vector<int>& out)
    {
        add_captures(clause.pattern, out);
        for (const auto& context : clause.inside) {
            add_captures(context, out);
        }
    }

    // For each alternative, the captures of the operators that bind: what
    // `pattern-not` and `not-inside` match is left out, so their metavariables get no
    // value.
    static std::vector<std::vector<int>> bindable_captures(const CodePattern& code)
    {
        std::vector<int> shared;
        for (const auto& clause : code.all) {
            add_captures(clause, shared);
        }
        for (const auto& context : code.inside) {
            add_captures(context, shared);
        }
        std::vector<std::vector<int>> out;
        for (const auto& clause : code.alternatives) {
            std::vector<int> bound = shared;
            add_captures(clause, bound);
            out.push_back(std::move(bound));
        }
        return out;
    }

    // A snippet's text. A plain 5, true or null is a number, a boolean or null in YAML
    // and in the schema, not code: such a snippet is written in quotes.
    std::string snippet_text(const YAML::Node& item, const char* key) const
    {
        const std::string text = m_reader.string(item, key);
        double number = 0;
        bool flag = false;
        const bool plain = item.Tag() == "?";
        const bool null = text == "~" || text == "null" || text == "Null" || text == "NULL";
        if (plain
            && (null || YAML::convert<double>::decode(item, number)
                || YAML::convert<bool>::decode(item, flag))) {
            m_reader.raise(item,
                           fmt::format("'{}' must be a string (a code snippet), not '{}'; quote "
                                       "a snippet that is only a literal",
                                       key,
                                       text));
        }
        return text;
    }

    std::vector<MetavariableCondition> conditions(source::Language language,
                                                  const std::vector<std::string>& names,
                                                  const CodePattern& code) const
    {
        std::vector<MetavariableCondition> out;
        const YAML::Node where = m_node["where"];
        if (!where) {
            return out;
        }
        if (!where.IsMap()) {
            m_reader.raise(where, "'where' must map metavariables to conditions");
        }
        std::vector<std::string> named;
        for (const auto& entry : where) {
            const std::string name = without_dollar(entry.first.as<std::string>());
            // `X` and `$X` name the same metavariable.
            if (std::find(named.begin(), named.end(), name) != named.end()) {
                m_reader.raise(entry.first, fmt::format("'where' names '${}' twice", name));
            }
            named.push_back(name);
            const auto found = std::find(names.begin(), names.end(), name);
            if (found == names.end()) {
                m_reader.raise(entry.first,
                               fmt::format("'where' names '${}', which no pattern binds", name));
            }
            const int capture = static_cast<int>(found - names.begin());
            if (!code.can_bind(capture)) {
                m_reader.raise(entry.first,
                               fmt::format("'where' names '${}', which only 'pattern-not' or "
                                           "'not-inside' binds: a match never gives it a value",
                                           name));
            }
            m_reader.check_mapping(entry.second, k_condition_keys, "'where." + name + "'");
            MetavariableCondition condition;
            condition.capture = capture;
            condition.regex = regex(entry.second, "regex");
            condition.not_regex = regex(entry.second, "not-regex");
            if (entry.second["kind"]) {
                condition.kinds = kinds(entry.second["kind"], language);
                condition.checks_kind = true;
            }
            if (entry.second["constant"]) {
                condition.constant = m_reader.boolean(entry.second["constant"], "constant");
            }
            if (const YAML::Node qname = entry.second["qname"]) {
                condition.qualified_names = qname.IsScalar()
                                                ? std::vector{m_reader.string(qname, "qname")}
                                                : m_reader.strings(qname, "qname");
                if (condition.qualified_names.empty()) {
                    m_reader.raise(qname,
                                   "'qname' must name a qualified name or a list of one or more");
                }
            }
            out.push_back(std::move(condition));
        }
        return out;
    }

    std::shared_ptr<const RE2> regex(const YAML::Node& map, const char* key) const
    {
        if (!map[key]) {
            return nullptr;
        }
        RE2::Options options;
        options.set_log_errors(false);
        auto compiled = std::make_shared<const RE2>(m_reader.string(map[key], key), options);
        if (!compiled->ok()) {
            m_reader.raise(map[key], fmt::format("invalid '{}': {}", key, compiled->error()));
        }
        return compiled;
    }

    static TSSymbol symbol_of(const std::string& kind, source::Language language)
    {
        return ts_language_symbol_for_name(source::grammar(language),
                                           kind.data(),
                                           static_cast<uint32_t>(kind.size()),
                                           /*is_named=*/true);
    }

    // The symbols of the kinds in one language. A rule for several languages may name a
    // kind only some of them have (`as_expression` of TypeScript in a rule that also
    // reads JavaScript): it applies where it exists, and is an error only when none of
    // the rule's languages has it.
    std::vector<TSSymbol> kinds(const YAML::Node& value, source::Language language) const
    {
        if (value.IsSequence() && value.size() == 0) {
            m_reader.raise(value, "'kind' must name a node kind or a list of one or more");
        }
        const std::vector<std::string> names = value.IsScalar()
                                                   ? std::vector{m_reader.string(value, "kind")}
                                                   : m_reader.strings(value, "kind");
        std::vector<TSSymbol> out;
        for (std::size_t i = 0; i < names.size(); ++i) {
            const std::string& kind = names[i];
            if (const TSSymbol symbol = symbol_of(kind, language); symbol != 0) {
                out.push_back(symbol);
                continue;
            }
            const bool known =
                std::any_of(m_languages.begin(), m_languages.end(), [&](source::Language other) {
                    return symbol_of(kind, other) != 0;
                });
            if (!known) {
                std::vector<std::string_view> languages;
                for (const auto other : m_languages) {
                    languages.push_back(source::language_name(other));
                }
                m_reader.raise(
                    value.IsSequence() ? value[i] : value,
                    fmt::format("unknown node kind '{}' for {}", kind, fmt::join(languages, ", ")));
            }
        }
        return out;
    }

    const YAML::Node& m_node;
    const core::YamlReader& m_reader;
    const std::vector<std::string>& m_lines;
    std::vector<source::Language> m_languages; ///< the rule's, compiled or not

    /// An item of `any` that did not compile: the first error, and in how many of the
    /// rule's languages it failed.
    struct AnyFailure
    {
        core::Error first;
        std::size_t languages = 0;
    };

    mutable std::map<std::size_t, AnyFailure> m_any_failures;
};

} // namespace

const std::vector<std::string>& pattern_rule_keys()
{
    static const std::vector<std::string> keys{
        "pattern", "any", "all", "pattern-not", "inside", "not-inside", "where"};
    return keys;
}

bool is_pattern_rule(const YAML::Node& rule)
{
    return rule["pattern"] || rule["any"] || rule["all"];
}

void load_code_patterns(const YAML::Node& node,
                        const core::YamlReader& reader,
                        const std::vector<std::string>& lines,
                        Rule& rule,
                        const std::vector<source::Language>& declared)
{
    PatternLoader(node, reader, lines).load(rule, declared);
}

} // namespace aiops::rules
