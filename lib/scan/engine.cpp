#include "scan/engine.hpp"

#include "core/strings.hpp"
#include "scan/python_names.hpp"
#include "source/grammar.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <unordered_map>

namespace aiops::scan {

namespace {

/// What predicates know about a file of a language without import resolution: a
/// name is its own text, literals are read the common way.
class PlainNames : public rules::MatchContext
{
public:
    explicit PlainNames(const source::SyntaxTree& tree) : m_tree(tree) {}

    std::string_view text(TSNode node) const override { return m_tree.node_text(node); }

    std::optional<std::string> qualified_name(TSNode node) const override
    {
        return std::string(m_tree.node_text(node));
    }

    std::optional<bool> literal_truth(TSNode node) const override
    {
        const std::string_view value = m_tree.node_text(node);
        if (value == "true" || value == "True") {
            return true;
        }
        if (value == "false" || value == "False" || value == "null" || value == "nil"
            || value == "None" || value == "0") {
            return false;
        }
        return std::nullopt;
    }

private:
    const source::SyntaxTree& m_tree;
};

struct Candidate
{
    const rules::Rule* rule;
    const rules::Query* query;
    int focus; ///< capture index, or -1 for the whole match
};

struct Guard
{
    TSFieldId field;
    std::unordered_map<std::string, std::vector<int>> by_name;
};

bool is_container(const char* type)
{
    static const std::set<std::string, std::less<>> containers{
        "module",
        "block",
        "program",
        "source_file",
        "translation_unit",
        "compound_statement",
        "statement_block",
        "declaration_list",
        "class_body",
        "body",
        "do_block",
        "then",
    };
    return containers.count(std::string_view(type)) != 0;
}

std::string fill_message(const Candidate& candidate,
                         const rules::Captures& captures,
                         const rules::MatchContext& context)
{
    static const RE2 placeholder(R"(\{\{\s*([A-Za-z0-9_.-]+)\s*\}\})");
    const std::string& templ = candidate.rule->message;
    std::string message;
    re2::StringPiece rest(templ);
    re2::StringPiece whole;
    std::string name;
    static const RE2 wrapped("(" + placeholder.pattern() + ")");
    while (RE2::PartialMatch(rest, wrapped, &whole, &name)) {
        message.append(rest.data(), static_cast<std::size_t>(whole.data() - rest.data()));
        const auto node = captures.first(candidate.query->capture_index(name));
        message += node ? core::quote_for_message(context.text(*node), 60) : std::string();
        rest.remove_prefix(static_cast<std::size_t>(whole.data() - rest.data()) + whole.size());
    }
    message.append(rest.data(), rest.size());
    return message;
}

} // namespace

struct RuleEngine::LanguageIndex
{
    source::Language language;
    const TSLanguage* grammar;
    std::vector<Candidate> candidates;
    std::vector<std::vector<int>> by_symbol;
    std::vector<int> any_node;
    std::unordered_map<TSSymbol, std::vector<Guard>> guards;
    std::vector<bool> container; ///< by symbol: nodes whose children are statements
    TSSymbol comment = 0;

    // A rule whose single pattern is (kind field: (_) @x ...) with (#qname-any-of? @x ...)
    // need only be tried where the child in that field has one of those names.
    bool add_guarded(int index)
    {
        const rules::Query& query = *candidates[static_cast<std::size_t>(index)].query;
        if (query.patterns.size() != 1 || query.patterns[0].kind != rules::PatternNode::Kind::named
            || query.patterns[0].symbol == 0) {
            return false;
        }
        const rules::PatternNode& root = query.patterns[0];
        for (const auto& predicate : query.predicates) {
            if (predicate.name != "qname-eq?" && predicate.name != "qname-any-of?") {
                continue;
            }
            const int capture = predicate.arguments[0].capture;
            for (const auto& child : root.children) {
                const bool captures =
                    std::find(child.captures.begin(), child.captures.end(), capture)
                    != child.captures.end();
                if (child.field == 0 || !captures
                    || child.quantifier != rules::PatternNode::Quantifier::one) {
                    continue;
                }
                std::vector<Guard>& list = guards[root.symbol];
                auto guard = std::find_if(list.begin(), list.end(), [&](const Guard& g) {
                    return g.field == child.field;
                });
                if (guard == list.end()) {
                    list.push_back({child.field, {}});
                    guard = list.end() - 1;
                }
                for (std::size_t i = 1; i < predicate.arguments.size(); ++i) {
                    guard->by_name[predicate.arguments[i].text].push_back(index);
                }
                return true;
            }
        }
        return false;
    }
};

RuleEngine::RuleEngine(const rules::RuleSet& rule_set)
{
    for (const auto language : source::k_languages) {
        auto index = std::make_unique<LanguageIndex>();
        index->language = language;
        index->grammar = source::grammar(language);
        index->by_symbol.resize(ts_language_symbol_count(index->grammar));
        index->comment = ts_language_symbol_for_name(index->grammar, "comment", 7, true);
        index->container.resize(index->by_symbol.size());
        for (TSSymbol symbol = 0; symbol < index->container.size(); ++symbol) {
            index->container[symbol] =
                is_container(ts_language_symbol_name(index->grammar, symbol));
        }
        m_indexes.push_back(std::move(index));
    }
    for (const auto& rule : rule_set.rules) {
        for (std::size_t i = 0; i < rule->languages.size(); ++i) {
            LanguageIndex& index = *m_indexes[static_cast<std::size_t>(rule->languages[i])];
            const rules::Query& query = rule->queries[i];
            const int focus = rule->focus.empty() ? -1 : query.capture_index(rule->focus);
            const int candidate = static_cast<int>(index.candidates.size());
            index.candidates.push_back({rule.get(), &query, focus});
            if (index.add_guarded(candidate)) {
                continue;
            }
            const std::vector<TSSymbol> roots = rules::root_symbols(query);
            if (roots.empty()) {
                index.any_node.push_back(candidate);
            }
            for (const TSSymbol symbol : roots) {
                index.by_symbol[symbol].push_back(candidate);
            }
        }
    }
}

RuleEngine::~RuleEngine() = default;

bool RuleEngine::has_rules_for(source::Language language) const
{
    return !m_indexes[static_cast<std::size_t>(language)]->candidates.empty();
}

TreeMatches RuleEngine::run(const source::SyntaxTree& tree) const
{
    const LanguageIndex& index = *m_indexes[static_cast<std::size_t>(tree.language())];
    TreeMatches out;
    std::unique_ptr<PythonNames> python;
    std::unique_ptr<PlainNames> plain;
    const rules::MatchContext* context = nullptr;
    if (tree.language() == source::Language::python) {
        python = std::make_unique<PythonNames>(tree);
        context = python.get();
    } else {
        plain = std::make_unique<PlainNames>(tree);
        context = plain.get();
    }

    std::set<std::tuple<const rules::Rule*, uint32_t, uint32_t>> seen;
    std::vector<int> tried;
    const auto try_candidates = [&](const std::vector<int>& list,
                                    TSNode node,
                                    std::size_t statement_row) {
        for (const int i : list) {
            const Candidate& candidate = index.candidates[static_cast<std::size_t>(i)];
            rules::match_at(*candidate.query, node, *context, [&](const rules::Captures& captures) {
                TSNode focus = node;
                if (candidate.focus >= 0) {
                    if (const auto bound = captures.first(candidate.focus)) {
                        focus = *bound;
                    }
                }
                const auto key = std::make_tuple(
                    candidate.rule, ts_node_start_byte(focus), ts_node_end_byte(focus));
                if (seen.insert(key).second) {
                    out.matches.push_back({candidate.rule,
                                           ts_node_start_byte(focus),
                                           ts_node_end_byte(focus),
                                           fill_message(candidate, captures, *context),
                                           statement_row});
                }
                return false; // one match per rule and node is enough
            });
        }
    };

    struct Frame
    {
        bool container;
        std::size_t statement_row;
    };

    std::vector<Frame> frames;
    TSTreeCursor cursor = ts_tree_cursor_new(tree.root());
    while (true) {
        const TSNode node = ts_tree_cursor_current_node(&cursor);
        const TSSymbol symbol = ts_node_symbol(node);
        const std::size_t row = ts_node_start_point(node).row;
        const std::size_t statement_row =
            frames.empty() || frames.back().container ? row : frames.back().statement_row;
        if (symbol == index.comment && index.comment != 0) {
            out.comments.push_back(
                {row, ts_node_end_point(node).row, std::string(tree.node_text(node))});
        } else if (ts_node_is_named(node)) {
            if (python && PythonNames::is_import(node)) {
                python->add_import(node);
            }
            if (symbol < index.by_symbol.size() && !index.by_symbol[symbol].empty()) {
                try_candidates(index.by_symbol[symbol], node, statement_row);
            }
            if (const auto guarded = index.guards.find(symbol); guarded != index.guards.end()) {
                for (const Guard& guard : guarded->second) {
                    const TSNode child = ts_node_child_by_field_id(node, guard.field);
                    if (ts_node_is_null(child)) {
                        continue;
                    }
                    const auto name = context->qualified_name(child);
                    if (!name) {
                        continue;
                    }
                    if (const auto hit = guard.by_name.find(*name); hit != guard.by_name.end()) {
                        try_candidates(hit->second, node, statement_row);
                    }
                }
            }
            if (!index.any_node.empty()) {
                try_candidates(index.any_node, node, statement_row);
            }
        }
        if (ts_tree_cursor_goto_first_child(&cursor)) {
            frames.push_back(
                {frames.empty() || (symbol < index.container.size() && index.container[symbol]),
                 statement_row});
            continue;
        }
        bool done = false;
        while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
            if (frames.empty() || !ts_tree_cursor_goto_parent(&cursor)) {
                done = true;
                break;
            }
            frames.pop_back();
        }
        if (done) {
            break;
        }
    }
    ts_tree_cursor_delete(&cursor);
    std::sort(out.matches.begin(), out.matches.end(), [](const RuleMatch& a, const RuleMatch& b) {
        return std::tie(a.start_byte, a.end_byte, a.rule->id)
               < std::tie(b.start_byte, b.end_byte, b.rule->id);
    });
    return out;
}

} // namespace aiops::scan
