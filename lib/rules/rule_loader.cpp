#include "core/line_index.hpp"
#include "core/log.hpp"
#include "core/scalar_position.hpp"
#include "core/strings.hpp"
#include "core/yaml_reader.hpp"
#include "rules/matcher.hpp"
#include "rules/pattern.hpp"
#include "rules/pattern_loader.hpp"
#include "rules/rule.hpp"
#include "source/source_file.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <map>

namespace aiops::rules {

namespace {

const std::vector<std::string> k_rule_keys{
    "id",       "message",   "severity", "confidence",   "languages", "cwe",
    "owasp",    "aliases",   "help",     "query",        "focus",     "regex",
    "keywords", "multiline", "entropy",  "secret-group", "allow",     "allow-match",
    "paths",    "comments",  "redact",   "decoded",      "examples",
};

/// The names a text rule's message may use: the reported group (redacted when it is a
/// secret, with invisible characters escaped otherwise) and the ASCII text hidden in
/// Unicode tag characters.
const std::vector<std::string> k_text_message_names{"match", "hidden"};

// The error for a metavariable that only `pattern-not` or `not-inside` names.
std::string never_bound(const std::string& what)
{
    return what
           + ", which only 'pattern-not' or 'not-inside' binds: a match never gives it a value";
}

// YAML allows no control characters but tab and line ends; the YAML reader reports
// some of them (a NUL) at a later line, with the raw byte in its message.
core::Result<bool> control_character(const RuleSource& source)
{
    const std::string_view text = source.text;
    for (std::size_t at = 0; at < text.size(); ++at) {
        const auto byte = static_cast<unsigned char>(text[at]);
        if ((byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7f) {
            const core::TextPosition where = core::LineIndex(text).position(at);
            return core::Error(core::ErrorCode::input,
                               fmt::format("{}:{}:{}: invalid YAML: control character "
                                           "U+{:04X} (a rule file is text)",
                                           source.name,
                                           where.line,
                                           where.column,
                                           byte));
        }
    }
    return true;
}

// A rule file's YAML document.
core::Result<YAML::Node> read_source(const RuleSource& source)
{
    if (auto control = control_character(source); !control) {
        return control.error();
    }
    return core::YamlReader(source.name).read_document(source.text);
}

class RuleFileLoader
{
public:
    RuleFileLoader(const RuleSource& source, RuleSet& set, const LoadOptions& options)
        : m_source(source), m_set(set), m_options(options), m_reader(source.name)
    {
        m_lines = core::split(source.text, '\n');
    }

    core::Result<bool> run()
    {
        auto parsed = read_source(m_source);
        if (!parsed) {
            return parsed.error();
        }
        return run(*parsed);
    }

    core::Result<bool> run(const YAML::Node& document)
    {
        try {
            if (!document.IsMap()) {
                return fail(document,
                            "a rule file holds a mapping: one rule, or 'rules:' and a list");
            }
            if (document["rules"]) {
                for (const auto& key : document) {
                    if (key.first.as<std::string>() != "rules") {
                        return fail(key.first,
                                    fmt::format("unknown key '{}' beside 'rules'",
                                                key.first.as<std::string>()));
                    }
                }
                const YAML::Node list = document["rules"];
                if (!list.IsSequence()) {
                    return fail(list, "'rules' must be a list of rules");
                }
                for (const auto& rule : list) {
                    if (auto loaded = load_rule(rule); !loaded) {
                        return loaded;
                    }
                }
                return true;
            }
            return load_rule(document);
        } catch (const core::Error& error) {
            return error;
        } catch (const YAML::Exception& error) {
            return m_reader.error_at(error.mark, error.msg);
        }
    }

private:
    // A position from a line and column (1-based), for errors inside a query's text.
    core::Error error_at(int line, int column, const std::string& message) const
    {
        YAML::Mark mark;
        mark.line = line - 1;
        mark.column = column - 1;
        return m_reader.error_at(mark, message);
    }

    core::Error fail(const YAML::Node& node, const std::string& message) const
    {
        return m_reader.error_at(node, message);
    }

    [[noreturn]] void raise(const YAML::Node& node, const std::string& message) const
    {
        m_reader.raise(node, message);
    }

    std::string scalar(const YAML::Node& node, const std::string& key) const
    {
        return m_reader.string(node, key);
    }

    std::vector<std::string> strings(const YAML::Node& node, const std::string& key) const
    {
        return m_reader.strings(node, key);
    }

    // Where a place in a query's text is in the file.
    std::pair<int, int> query_position(const YAML::Node& node, const QueryPosition& at) const
    {
        const YAML::Mark mark = node.Mark();
        return core::scalar_text_position(m_lines, mark.line, mark.column, at.line, at.column);
    }

    void check_keys(const YAML::Node& rule) const
    {
        std::vector<std::string> known = k_rule_keys;
        known.insert(known.end(), pattern_rule_keys().begin(), pattern_rule_keys().end());
        m_reader.check_mapping(rule, known, /*what=*/"");
        m_reader.require(rule, {"id", "message", "severity", "help"}, "the rule");
        if (rule["query"] && rule["regex"]) {
            raise(rule["regex"], "a rule has either 'query' or 'regex', not both");
        }
        const bool pattern = is_pattern_rule(rule);
        if (pattern && rule["regex"]) {
            raise(rule["regex"], "a rule has either 'pattern' or 'regex', not both");
        }
        if (!rule["query"] && !rule["regex"] && !pattern) {
            raise(rule, "the rule has no 'query' or 'pattern' (or 'regex' for a text rule)");
        }
        if (!pattern) {
            for (const auto& key : pattern_rule_keys()) {
                if (rule[key]) {
                    raise(
                        rule[key],
                        fmt::format("'{}' belongs to a rule with 'pattern', 'any' or 'all'", key));
                }
            }
        }
        if (rule["query"] || pattern) {
            if (!rule["languages"]) {
                raise(rule, "the rule has no 'languages'");
            }
            for (const char* text_only : {"keywords",
                                          "multiline",
                                          "entropy",
                                          "secret-group",
                                          "allow",
                                          "allow-match",
                                          "paths",
                                          "comments",
                                          "redact",
                                          "decoded"}) {
                if (rule[text_only]) {
                    raise(rule[text_only],
                          fmt::format("'{}' belongs to a 'regex' rule, not a 'query' one",
                                      text_only));
                }
            }
        } else {
            for (const char* tree_only : {"languages", "focus"}) {
                if (rule[tree_only]) {
                    raise(rule[tree_only],
                          fmt::format("a 'regex' rule reads every text file: it takes no '{}'",
                                      tree_only));
                }
            }
        }
    }

    // Where each item of a list (or a lone value) starts.
    std::vector<RuleOrigin> origins(const YAML::Node& node) const
    {
        std::vector<RuleOrigin> out;
        const auto add = [&](const YAML::Node& item) {
            out.push_back({m_source.name, item.Mark().line + 1, item.Mark().column + 1});
        };
        if (node.IsSequence()) {
            for (const auto& item : node) {
                add(item);
            }
        } else {
            add(node);
        }
        return out;
    }

    void load_examples(const YAML::Node& node, Rule& rule) const
    {
        if (!node.IsMap()) {
            raise(node, "'examples' must be a mapping with 'bad' and 'good' lists");
        }
        for (const auto& entry : node) {
            const std::string key = entry.first.as<std::string>();
            const bool bad = key == "bad";
            if (!bad && key != "good") {
                raise(entry.first, fmt::format("unknown key '{}' in 'examples' (bad, good)", key));
            }
            auto examples = strings(entry.second, bad ? "examples.bad" : "examples.good");
            if (m_options.keep_examples) {
                (bad ? rule.bad_examples : rule.good_examples) = std::move(examples);
                (bad ? rule.bad_example_origins : rule.good_example_origins) =
                    origins(entry.second);
            }
        }
    }

    void check_message_captures(const YAML::Node& node, const Rule& rule) const
    {
        static const RE2 placeholder(R"(\{\{\s*([A-Za-z0-9_.-]+)\s*\}\})");
        static const RE2 braces(R"((\{\{[^{}]*\}\}))");
        re2::StringPiece rest(rule.message);
        std::string name;
        while (RE2::FindAndConsume(&rest, braces, &name)) {
            if (!RE2::FullMatch(name, placeholder)) {
                raise(node,
                      fmt::format("'{}' in the message names no capture: a name is letters, "
                                  "digits, '_', '.' and '-'",
                                  name));
            }
        }
        rest = re2::StringPiece(rule.message);
        while (RE2::FindAndConsume(&rest, placeholder, &name)) {
            if (is_text_rule(rule)
                && std::find(k_text_message_names.begin(), k_text_message_names.end(), name)
                       == k_text_message_names.end()) {
                raise(node,
                      fmt::format("a text rule's message names '{{{{match}}}}' or "
                                  "'{{{{hidden}}}}', not '{{{{{}}}}}'",
                                  name));
            }
            for (const auto& query : rule.queries) {
                const int capture = query.capture_index(name);
                if (capture < 0) {
                    raise(node,
                          fmt::format("the message names '{{{{{}}}}}', which the {}",
                                      name,
                                      query.code ? "patterns do not bind"
                                                 : "query does not capture"));
                }
                if (query.code && !query.code->can_bind(capture)) {
                    raise(node, never_bound(fmt::format("the message names '{{{{{}}}}}'", name)));
                }
            }
        }
        check_message_runs(node, rule);
    }

    // Placeholders written side by side ("{{fn}}{{local}}") may take turns, one for
    // each pattern; otherwise a capture a match leaves unbound would show as nothing,
    // so each run of them needs a capture that every match binds.
    void check_message_runs(const YAML::Node& node, const Rule& rule) const
    {
        for (const auto& run : placeholder_runs(rule.message)) {
            for (const auto& query : rule.queries) {
                const int unbound = pattern_leaving_unbound(query, run);
                if (unbound == 0) {
                    continue;
                }
                std::string names;
                for (const auto& name : run) {
                    names += "{{" + name + "}}";
                }
                raise(node,
                      fmt::format("the message names '{}', which {} {} does not always {}: "
                                  "each one must",
                                  names,
                                  query.code ? "alternative" : "pattern",
                                  unbound,
                                  query.code ? "bind" : "capture"));
            }
        }
    }

    // The names of the message's placeholders, in runs with nothing between them.
    static std::vector<std::vector<std::string>> placeholder_runs(const std::string& message)
    {
        static const RE2 placeholder(R"((\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}))");
        std::vector<std::vector<std::string>> runs;
        re2::StringPiece rest(message);
        re2::StringPiece whole;
        std::string name;
        const char* end_of_last = nullptr;
        while (RE2::FindAndConsume(&rest, placeholder, &whole, &name)) {
            if (runs.empty() || whole.data() != end_of_last) {
                runs.emplace_back();
            }
            runs.back().push_back(name);
            end_of_last = whole.data() + whole.size();
        }
        return runs;
    }

    // The first top-level pattern (1-based) of a query, or alternative of a pattern
    // rule, whose matches may leave every capture of the run unbound; 0 when each
    // match binds one of them.
    static int pattern_leaving_unbound(const Query& query, const std::vector<std::string>& run)
    {
        const std::size_t count =
            query.code ? query.code->bound_by_alternative.size() : query.patterns.size();
        for (std::size_t i = 0; i < count; ++i) {
            const bool bound = std::any_of(run.begin(), run.end(), [&](const std::string& name) {
                const int capture = query.capture_index(name);
                if (query.code) {
                    const auto& captures = query.code->bound_by_alternative[i];
                    return std::find(captures.begin(), captures.end(), capture) != captures.end();
                }
                return always_binds(query.patterns[i], capture);
            });
            if (!bound) {
                return static_cast<int>(i) + 1;
            }
        }
        return 0;
    }

    void load_metadata(const YAML::Node& node, Rule& rule) const
    {
        if (node["cwe"]) {
            rule.cwe = strings(node["cwe"], "cwe");
            static const RE2 cwe_shape(R"(CWE-[0-9]+)");
            for (const auto& cwe : rule.cwe) {
                if (!RE2::FullMatch(cwe, cwe_shape)) {
                    raise(node["cwe"], fmt::format("'{}' is not a CWE id such as 'CWE-78'", cwe));
                }
            }
        }
        if (node["owasp"]) {
            rule.owasp = strings(node["owasp"], "owasp");
        }
        if (node["aliases"]) {
            rule.aliases = strings(node["aliases"], "aliases");
        }
    }

    void load_queries(const YAML::Node& query_node, Rule& rule) const
    {
        const std::string query_text = scalar(query_node, "query");
        for (const auto language : rule.languages) {
            auto compiled = compile_query(query_text, language);
            if (auto* error = std::get_if<QueryError>(&compiled)) {
                const auto [line, column] = query_position(query_node, error->position);
                throw error_at(line,
                               column,
                               fmt::format("invalid query for {}: {}",
                                           source::language_name(language),
                                           error->message));
            }
            rule.queries.push_back(std::get<Query>(std::move(compiled)));
        }
    }

    // Whether matchers are compiled for the language (LoadOptions::languages).
    bool compiles_for(source::Language language) const
    {
        const auto& wanted = m_options.languages;
        return !wanted || std::find(wanted->begin(), wanted->end(), language) != wanted->end();
    }

    // A rule for TypeScript also reads .tsx files, whose grammar differs only in JSX and
    // in the `<T>x` casts JSX leaves out: unless the rule lists tsx itself, it gets tsx
    // too, when its query or patterns compile for that grammar.
    void
    add_tsx(const YAML::Node& node, Rule& rule, const std::vector<source::Language>& declared) const
    {
        using source::Language;
        if (std::find(declared.begin(), declared.end(), Language::typescript) == declared.end()
            || std::find(declared.begin(), declared.end(), Language::tsx) != declared.end()
            || !compiles_for(Language::tsx)) {
            return;
        }
        Rule with_tsx;
        with_tsx.languages = {Language::tsx};
        std::vector<Language> declared_with_tsx = declared;
        declared_with_tsx.push_back(Language::tsx);
        try {
            if (is_pattern_rule(node)) {
                load_code_patterns(node, m_reader, m_lines, with_tsx, declared_with_tsx);
                rule.queries.push_back(std::move(with_tsx.queries.back()));
            } else {
                auto compiled = compile_query(scalar(node["query"], "query"), Language::tsx);
                if (std::holds_alternative<QueryError>(compiled)) {
                    return;
                }
                rule.queries.push_back(std::get<Query>(std::move(compiled)));
            }
        } catch (const core::Error& error) {
            core::log::debug("rule '{}' does not compile for tsx: {}", rule.id, error.message());
            return;
        }
        rule.languages.push_back(Language::tsx);
    }

    core::Result<bool> load_rule(const YAML::Node& node)
    {
        if (!node.IsMap()) {
            return fail(node, "a rule must be a mapping");
        }
        // A key given twice anywhere in the rule (a second `bad:` under `examples`)
        // would silently replace the first.
        m_reader.check_unique_keys(node);
        check_keys(node);
        auto rule = std::make_shared<Rule>();
        // Where its id is, which names the rule in other messages.
        const YAML::Mark mark = node["id"] ? node["id"].Mark() : node.Mark();
        rule->origin = {m_source.name, mark.line + 1, mark.column + 1};

        rule->id = scalar(node["id"], "id");
        static const RE2 id_shape(R"([a-z0-9_-]+(\.[a-z0-9_-]+)+)");
        if (!RE2::FullMatch(rule->id, id_shape)) {
            raise(node["id"],
                  fmt::format("rule id '{}' must be dotted lowercase words, e.g. 'python.eval'",
                              rule->id));
        }
        if (const Rule* earlier = m_set.find(rule->id)) {
            raise(node["id"],
                  fmt::format("duplicate rule id '{}' (first defined at {}:{}:{})",
                              rule->id,
                              earlier->origin.file,
                              earlier->origin.line,
                              earlier->origin.column));
        }
        rule->message = scalar(node["message"], "message");
        const auto severity = core::parse_severity(scalar(node["severity"], "severity"));
        if (!severity) {
            raise(node["severity"], "'severity' must be one of critical, high, medium, low, info");
        }
        rule->severity = *severity;
        if (node["confidence"]) {
            rule->confidence = core::to_lower(scalar(node["confidence"], "confidence"));
            if (rule->confidence != "high" && rule->confidence != "medium"
                && rule->confidence != "low") {
                raise(node["confidence"], "'confidence' must be one of high, medium, low");
            }
        }
        if (node["regex"]) {
            rule->help = scalar(node["help"], "help");
            if (core::trim(rule->help).empty()) {
                raise(node["help"], "'help' must not be empty");
            }
            load_metadata(node, *rule);
            rule->text = load_text_matcher(node);
            finish_rule(node, std::move(rule));
            return true;
        }
        for (const auto& name : strings(node["languages"], "languages")) {
            const auto language = source::language_from_name(name);
            if (!language) {
                raise(node["languages"], fmt::format("unknown language '{}'", name));
            }
            rule->languages.push_back(*language);
        }
        if (rule->languages.empty()) {
            raise(node["languages"], "'languages' must name at least one language");
        }
        load_metadata(node, *rule);
        rule->help = scalar(node["help"], "help");
        if (core::trim(rule->help).empty()) {
            raise(node["help"], "'help' must not be empty");
        }

        const std::vector<source::Language> declared = rule->languages;
        std::erase_if(rule->languages,
                      [&](source::Language language) { return !compiles_for(language); });
        if (is_pattern_rule(node)) {
            load_code_patterns(node, m_reader, m_lines, *rule, declared);
        } else {
            load_queries(node["query"], *rule);
        }
        add_tsx(node, *rule, declared);
        if (node["focus"]) {
            rule->focus = scalar(node["focus"], "focus");
            const bool pattern = is_pattern_rule(node);
            if (pattern && rule->focus.starts_with('$')) {
                rule->focus.erase(0, 1);
            }
            for (const auto& query : rule->queries) {
                if (query.code && query.capture_index(rule->focus) >= 0
                    && !query.code->can_bind(query.capture_index(rule->focus))) {
                    raise(node["focus"],
                          never_bound(fmt::format("'focus' names '${}'", rule->focus)));
                }
                if (query.capture_index(rule->focus) < 0) {
                    raise(node["focus"],
                          pattern ? fmt::format("'focus' names '${}', which no pattern binds",
                                                rule->focus)
                                  : fmt::format("'focus' names '@{}', which the query does not "
                                                "capture",
                                                rule->focus));
                }
            }
        }
        finish_rule(node, std::move(rule));
        return true;
    }

    void finish_rule(const YAML::Node& node, std::shared_ptr<Rule> rule)
    {
        check_message_captures(node["message"], *rule);
        if (node["examples"]) {
            load_examples(node["examples"], *rule);
        }
        m_set.rules.push_back(std::move(rule));
    }

    std::shared_ptr<const RE2> regex(const YAML::Node& node, const std::string& key) const
    {
        RE2::Options options;
        options.set_log_errors(false);
        const std::string text = scalar(node, key);
        // An empty expression matches everywhere, or, as an allow list's, allows all.
        if (text.empty()) {
            raise(node, fmt::format("'{}' must not be empty", key));
        }
        auto compiled = std::make_shared<const RE2>(text, options);
        if (!compiled->ok()) {
            raise(node, fmt::format("invalid '{}': {}", key, compiled->error()));
        }
        return compiled;
    }

    std::vector<std::shared_ptr<const RE2>> regex_list(const YAML::Node& parent,
                                                       const char* key) const
    {
        std::vector<std::shared_ptr<const RE2>> list;
        const YAML::Node node = parent[key];
        if (!node) {
            return list;
        }
        if (!node.IsSequence()) {
            raise(node, fmt::format("'{}' must be a list of regular expressions", key));
        }
        for (const auto& item : node) {
            list.push_back(regex(item, key));
        }
        return list;
    }

    int group(const YAML::Node& node, const std::string& key, const RE2& pattern) const
    {
        if (!node.IsScalar()) {
            raise(node, fmt::format("'{}' must be a group number or name", key));
        }
        const std::string text = node.as<std::string>();
        const auto& names = pattern.NamedCapturingGroups();
        if (const auto named = names.find(text); named != names.end()) {
            return named->second;
        }
        int number = -1;
        try {
            std::size_t used = 0;
            number = std::stoi(text, &used);
            if (used != text.size()) {
                number = -1;
            }
        } catch (const std::exception&) {
            number = -1;
        }
        if (number < 0 || number > pattern.NumberOfCapturingGroups()) {
            raise(node,
                  fmt::format("'{}' names '{}', which is not a group of the regex (it has {})",
                              key,
                              text,
                              pattern.NumberOfCapturingGroups()));
        }
        return number;
    }

    bool boolean(const YAML::Node& node, const std::string& key) const
    {
        const std::string text = scalar(node, key);
        if (text != "true" && text != "false") {
            raise(node, fmt::format("'{}' must be true or false", key));
        }
        return text == "true";
    }

    TextMatcher load_text_matcher(const YAML::Node& node) const
    {
        TextMatcher matcher;
        matcher.regex = regex(node["regex"], "regex");
        if (node["keywords"]) {
            for (const auto& keyword : strings(node["keywords"], "keywords")) {
                if (keyword.empty()) {
                    raise(node["keywords"], "a keyword must not be empty");
                }
                matcher.keywords.push_back(core::to_lower(keyword));
            }
        }
        if (node["multiline"]) {
            matcher.multiline = boolean(node["multiline"], "multiline");
        }
        if (node["entropy"]) {
            try {
                matcher.min_entropy = node["entropy"].as<double>();
            } catch (const YAML::Exception&) {
                raise(node["entropy"], "'entropy' must be a number of bits per character");
            }
            if (*matcher.min_entropy < 0 || *matcher.min_entropy > 8) {
                raise(node["entropy"], "'entropy' must be between 0 and 8 bits per character");
            }
        }
        if (node["secret-group"]) {
            matcher.group = group(node["secret-group"], "secret-group", *matcher.regex);
        }
        matcher.allow = regex_list(node, "allow");
        matcher.allow_match = regex_list(node, "allow-match");
        if (node["paths"]) {
            matcher.paths = strings(node["paths"], "paths");
        }
        if (node["comments"]) {
            matcher.comments = boolean(node["comments"], "comments");
        }
        if (node["redact"]) {
            matcher.redact = boolean(node["redact"], "redact");
        }
        if (const YAML::Node decoded = node["decoded"]) {
            if (!decoded.IsMap() || !decoded["regex"]) {
                raise(decoded, "'decoded' must be a mapping with 'regex' and an optional 'group'");
            }
            for (const auto& entry : decoded) {
                const std::string key = entry.first.as<std::string>();
                if (key != "regex" && key != "group") {
                    raise(entry.first,
                          fmt::format("unknown key '{}' in 'decoded' (group, regex)", key));
                }
            }
            matcher.decoded_regex = regex(decoded["regex"], "decoded.regex");
            matcher.decoded_group = decoded["group"]
                                        ? group(decoded["group"], "decoded.group", *matcher.regex)
                                        : matcher.group;
        }
        return matcher;
    }

    const RuleSource& m_source;
    RuleSet& m_set;
    const LoadOptions& m_options;
    core::YamlReader m_reader;
    std::vector<std::string> m_lines;
};

} // namespace

const Rule* RuleSet::find(std::string_view id) const
{
    for (const auto& rule : rules) {
        if (rule->id == id) {
            return rule.get();
        }
    }
    return nullptr;
}

core::Result<bool> load_rules(const RuleSource& source, RuleSet& set, const LoadOptions& options)
{
    return RuleFileLoader(source, set, options).run();
}

class RuleDocument
{
public:
    YAML::Node root;
};

core::Result<std::shared_ptr<const RuleDocument>> read_rule_document(const RuleSource& source)
{
    auto parsed = read_source(source);
    if (!parsed) {
        return parsed.error();
    }
    auto document = std::make_shared<RuleDocument>();
    document->root = std::move(*parsed);
    return std::shared_ptr<const RuleDocument>(std::move(document));
}

core::Result<bool> load_rules(const RuleSource& source,
                              const RuleDocument& document,
                              RuleSet& set,
                              const LoadOptions& options)
{
    return RuleFileLoader(source, set, options).run(document.root);
}

core::Result<std::vector<std::string>> rule_files(const std::string& path, std::string_view flag)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<std::string> files;
    if (!fs::is_directory(path, ec)) {
        if (!fs::exists(path, ec)) {
            return core::Error(core::ErrorCode::usage,
                               fmt::format("{} '{}': no such file or folder", flag, path));
        }
        files.push_back(path);
        return files;
    }
    for (auto it = fs::recursive_directory_iterator(path, ec);
         !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        const auto extension = it->path().extension();
        if (it->is_regular_file(ec) && (extension == ".yaml" || extension == ".yml")) {
            files.push_back(it->path().string());
        }
    }
    if (ec) {
        return core::Error(core::ErrorCode::io, fmt::format("'{}': {}", path, ec.message()));
    }
    // A folder that is empty (a submodule not checked out) would turn the gate green.
    if (files.empty()) {
        return core::Error(
            core::ErrorCode::usage,
            fmt::format(
                "{} '{}': the folder holds no rule file (rule files are YAML: *.yaml, *.yml)",
                flag,
                path));
    }
    std::sort(files.begin(), files.end());
    return files;
}

core::Result<bool> load_rule_file(const std::string& file, RuleSet& set)
{
    auto text = source::read_file(file);
    if (!text) {
        return text.error();
    }
    return load_rules({file, std::move(*text)}, set);
}

core::Result<bool> load_rule_path(const std::string& path, RuleSet& set)
{
    auto files = rule_files(path, "--rules");
    if (!files) {
        return files.error();
    }
    for (const auto& file : *files) {
        if (auto loaded = load_rule_file(file, set); !loaded) {
            return loaded;
        }
    }
    core::log::debug("loaded rules from '{}': {} rules in all", path, set.rules.size());
    return true;
}

} // namespace aiops::rules
