// Functions whose body only stands in for code: `pass`, `...`, `raise
// NotImplementedError`, `throw new Error("not implemented")`, `todo!()`, or a TODO
// comment. Abstract methods, interface members, overloads and stubs are left alone.

#include "core/strings.hpp"
#include "validate/artefacts.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <unordered_map>

namespace aiops::validate::artefacts {

namespace {

using source::Language;

std::string collapsed(const View& view, TSNode node)
{
    return core::normalise_whitespace(view.tree.node_text(node));
}

// A message that says the work is not done: "not implemented", "TODO", "implement me".
const RE2& unfinished_message()
{
    static const RE2 pattern(
        "(?i)\\b(?:todo|fixme|tbd|wip)\\b|not (?:yet )?implemented|unimplemented|"
        "not supported yet|implement (?:me|this|later|it)\\b|to be implemented|"
        "needs? (?:to be )?implemented|coming soon|work in progress|placeholder|"
        "haven'?t (?:been )?(?:written|implemented|figured)|not (?:yet )?written");
    return pattern;
}

// The stronger form, which an abstract base class does not use for its abstract methods:
// "not implemented yet", "TODO".
const RE2& admits_unfinished()
{
    static const RE2 pattern("(?i)\\b(?:todo|fixme|tbd|wip|yet|later|placeholder)\\b|"
                             "coming soon|haven'?t|work in progress");
    return pattern;
}

// A comment that marks the body as still to be written.
const RE2& todo_comment()
{
    static const RE2 pattern(
        "(?i)\\b(?:todo|fixme|tbd)\\b|implement (?:me|this|here|later|it|the \\w+)\\b|"
        "not (?:yet )?implemented|your (?:code|implementation|logic) (?:goes )?here|"
        "(?:add|insert|put|write) (?:your )?(?:code|logic|implementation) here|"
        "implementation (?:goes )?here|placeholder");
    return pattern;
}

// Docstrings and comments that say a method is meant to be overridden.
const RE2& abstract_hint()
{
    static const RE2 pattern("(?i)subclass|overrid|abstract|derived class|must be implemented|"
                             "should be implemented|implemented by|interface");
    return pattern;
}

// Class names of abstract bases, and of classes whose methods do nothing on purpose.
const RE2& abstract_name()
{
    static const RE2 pattern(
        "(?:Base|Abstract)(?:[A-Z_]|$)|^_?Base|Mixin$|Interface$|ABC$|Protocol$");
    return pattern;
}

// A function named for the error it raises is a helper, not a stub: notImplemented(),
// throw_unsupported().
const RE2& thrower_name()
{
    static const RE2 pattern("(?i)not_?implemented|unimplemented|unsupported");
    return pattern;
}

const RE2& null_object_name()
{
    static const RE2 pattern("Null|Dummy|Noop|NoOp|Nop[A-Z]|Fake|Stub|Mock|Devnull|DevNull");
    return pattern;
}

/// What one statement of a body is.
enum class StatementKind
{
    other,
    pass,     ///< Python's pass
    ellipsis, ///< Python's ...
    trivial,  ///< an empty statement or a return of nothing, null, zero or false
    raises,   ///< a raise, throw, panic or macro that says "not implemented"
};

struct Statement
{
    StatementKind kind = StatementKind::other;
    std::string text;    ///< the statement, white space collapsed
    std::string message; ///< what it raises with, if anything
    bool always = false; ///< a placeholder whatever the context (todo!(), C#'s exception)
    bool python_nie = false;
};

struct Patterns
{
    RE2 python_raise{"^raise\\s+(?:[\\w.]+\\.)?NotImplemented(?:Error)?\\b\\s*(?:\\((.*)\\))?$"};
    RE2 python_return{"^return(?:\\s+(?:None|False|0|\"\"|''|\\[\\]|\\{\\}|\\(\\)))?$"};
    RE2 throw_new{"^(?:=>\\s*)?throw\\s+(?:new\\s+)?\\\\?([\\w.$:\\\\]+)\\s*[({](.*)[)}]\\s*;?$"};
    RE2 throw_string{"^throw\\s+((?:\"|'|`).*)\\s*;?$"};
    RE2 c_return{"^return(?:\\s+(?:null|undefined|nil|nullptr|NULL|false|0|0L|\"\"|''|\\[\\]|"
                 "\\{\\}|default|None|Ok\\(\\(\\)\\)))?\\s*;?$"};
    RE2 go_panic{"^panic\\((.*)\\)$"};
    RE2 go_return{"^return(?:\\s+(?:nil|0|\"\"|false)(?:\\s*,\\s*(?:nil|0|\"\"|false))*)?$"};
    RE2 rust_macro{"^((?:todo|unimplemented)!)\\s*[(\\[{](.*)[)\\]}]\\s*;?$"};
    RE2 rust_panic{"^panic!\\s*[(\\[{](.*)[)\\]}]\\s*;?$"};
    RE2 ruby_raise{"^raise(?:\\s+|\\s*\\()\\s*(?:::)?(NotImplementedError)\\b\\s*,?\\s*(.*?)\\)?$"};
    RE2 ruby_raise_string{"^raise\\s+((?:\"|').*)$"};
    RE2 ruby_trivial{"^(?:nil|return(?:\\s+nil)?)$"};
    RE2 bash_trivial{"^(?::|true|return(?:\\s+0)?)$"};
};

const Patterns& patterns()
{
    static const Patterns compiled;
    return compiled;
}

Statement classify_statement(const View& view, TSNode node)
{
    Statement statement;
    statement.text = collapsed(view, node);
    const std::string& text = statement.text;
    const Patterns& p = patterns();
    std::string kind;
    std::string message;
    switch (view.language) {
    case Language::python:
        if (text == "pass") {
            statement.kind = StatementKind::pass;
        } else if (text == "...") {
            statement.kind = StatementKind::ellipsis;
        } else if (RE2::FullMatch(text, p.python_return)) {
            statement.kind = StatementKind::trivial;
        } else if (RE2::FullMatch(text, p.python_raise, &message)) {
            statement.kind = StatementKind::raises;
            statement.message = message;
            statement.python_nie = true;
        }
        break;
    case Language::go:
        if (RE2::FullMatch(text, p.go_return)) {
            statement.kind = StatementKind::trivial;
        } else if (RE2::FullMatch(text, p.go_panic, &message)) {
            statement.kind = StatementKind::raises;
            statement.message = message;
        }
        break;
    case Language::rust:
        if (RE2::FullMatch(text, p.rust_macro, &kind, &message)) {
            statement.kind = StatementKind::raises;
            statement.message = message;
            statement.always = true;
        } else if (RE2::FullMatch(text, p.rust_panic, &message)) {
            // A panic is a placeholder by its message, as Go's is.
            statement.kind = StatementKind::raises;
            statement.message = message;
        } else if (RE2::FullMatch(text, p.c_return)) {
            statement.kind = StatementKind::trivial;
        }
        break;
    case Language::ruby:
        if (RE2::FullMatch(text, p.ruby_trivial)) {
            statement.kind = StatementKind::trivial;
        } else if (RE2::FullMatch(text, p.ruby_raise, &kind, &message)) {
            statement.kind = StatementKind::raises;
            statement.message = message;
            statement.python_nie = true;
        } else if (RE2::FullMatch(text, p.ruby_raise_string, &message)) {
            statement.kind = StatementKind::raises;
            statement.message = message;
        }
        break;
    case Language::bash:
        statement.kind =
            RE2::FullMatch(text, p.bash_trivial) ? StatementKind::trivial : StatementKind::other;
        break;
    default:
        if (text == ";" || RE2::FullMatch(text, p.c_return)) {
            statement.kind = StatementKind::trivial;
        } else if (RE2::FullMatch(text, p.throw_new, &kind, &message)) {
            statement.kind = StatementKind::raises;
            statement.message = message;
            statement.always = view.language == Language::c_sharp
                               && (kind == "NotImplementedException"
                                   || kind.ends_with(".NotImplementedException"));
        } else if (RE2::FullMatch(text, p.throw_string, &message)) {
            statement.kind = StatementKind::raises;
            statement.message = message;
        }
        break;
    }
    return statement;
}

// The statements and comments of a body, with wrappers (Go's statement_list, Ruby's
// body_statement, C#'s arrow clause) opened.
struct Body
{
    std::vector<TSNode> statements;
    std::vector<TSNode> comments;
    std::optional<TSNode> docstring;
};

void collect_item(const View& view, TSNode item, Body& body);

void collect_items(const View& view, TSNode parent, Body& body)
{
    const uint32_t count = ts_node_named_child_count(parent);
    for (uint32_t i = 0; i < count; ++i) {
        collect_item(view, ts_node_named_child(parent, i), body);
    }
}

void collect_item(const View& view, TSNode item, Body& body)
{
    const std::string_view type = ts_node_type(item);
    if (view.roles.of(item) == Role::comment) {
        body.comments.push_back(item);
    } else if (type == "statement_list" || type == "body_statement"
               || type == "arrow_expression_clause") {
        collect_items(view, item, body);
    } else {
        body.statements.push_back(item);
    }
}

bool is_docstring(const View& view, TSNode node)
{
    if (std::string_view(ts_node_type(node)) != "expression_statement"
        || ts_node_named_child_count(node) != 1) {
        return false;
    }
    return view.roles.of(ts_node_named_child(node, 0)) == Role::literal;
}

// A placeholder body has a statement or two, and maybe comments: more is code, and
// reading its children one by one would cost time for nothing.
constexpr uint32_t k_most_body_items = 8;

std::optional<Body> body_of(const View& view, TSNode function)
{
    TSNode block = ts_node_child_by_field_id(function, view.roles.body_field());
    const bool ruby_inline = view.language == Language::ruby && ts_node_is_null(block);
    if (!ts_node_is_null(block)
        && (ts_node_has_error(block) || ts_node_named_child_count(block) > k_most_body_items)) {
        return std::nullopt;
    }
    Body body;
    const TSNode name = ts_node_child_by_field_id(function, view.roles.name_field());
    const uint32_t count = ts_node_named_child_count(function);
    for (uint32_t i = 0; i < count; ++i) {
        const TSNode child = ts_node_named_child(function, i);
        const std::string_view type = ts_node_type(child);
        if (view.roles.of(child) == Role::comment) {
            // Comments between a Python signature and its block belong to the body.
            body.comments.push_back(child);
        } else if (ts_node_is_null(block) && type == "arrow_expression_clause") {
            block = child;
        } else if (ruby_inline && !ts_node_eq(child, name)
                   && type.find("parameters") == std::string_view::npos && type != "self") {
            // A Ruby method without a body_statement holds its statements itself.
            collect_item(view, child, body);
        }
    }
    if (ruby_inline) {
        return body;
    }
    if (ts_node_is_null(block) || ts_node_named_child_count(block) > k_most_body_items) {
        return std::nullopt;
    }
    const std::string_view block_type = ts_node_type(block);
    if (block_type == "arrow_expression_clause") {
        collect_items(view, block, body);
        return body;
    }
    if (!block_type.ends_with("block") && block_type != "compound_statement"
        && block_type != "constructor_body" && block_type != "body_statement") {
        return std::nullopt; // an arrow function's expression body
    }
    collect_items(view, block, body);
    if (view.language == Language::python && !body.statements.empty()
        && is_docstring(view, body.statements.front())) {
        body.docstring = body.statements.front();
        body.statements.erase(body.statements.begin());
    }
    return body;
}

// The name a function is known by: its own, or the variable, property or key it is
// assigned to.
std::string function_name(const View& view, TSNode function)
{
    TSNode name = ts_node_child_by_field_id(function, view.roles.name_field());
    if (ts_node_is_null(name)) {
        // C and C++: the name sits in the declarator.
        TSNode declarator = ts_node_child_by_field_name(function, "declarator", 10);
        while (!ts_node_is_null(declarator)) {
            const TSNode inner = ts_node_child_by_field_name(declarator, "declarator", 10);
            if (ts_node_is_null(inner)) {
                break;
            }
            declarator = inner;
        }
        name = declarator;
    }
    if (ts_node_is_null(name)) {
        const TSNode parent = ts_node_parent(function);
        if (!ts_node_is_null(parent)) {
            for (const char* field : {"name", "key", "left"}) {
                const TSNode named = ts_node_child_by_field_name(
                    parent, field, static_cast<uint32_t>(std::strlen(field)));
                if (!ts_node_is_null(named) && !ts_node_eq(named, function)) {
                    name = named;
                    break;
                }
            }
        }
    }
    if (ts_node_is_null(name)) {
        return "anonymous function";
    }
    return core::quote_for_message(view.tree.node_text(name), 40);
}

/// What the class around a method tells about it.
struct ClassFacts
{
    bool interface = false; ///< a Protocol, an ABC or an interface: stubs are its members
    bool abstract = false;  ///< an abstract base by its modifier, name, docstring or use
    bool has_bases = false;
    bool null_object = false;
};

/// Facts about the file's classes that placeholders depend on, gathered once.
class FileFacts
{
public:
    FileFacts(const View& view, const std::vector<TSNode>& classes) : m_view(view)
    {
        for (const TSNode node : classes) {
            add_class(node);
        }
    }

    ClassFacts facts(TSNode class_node) const
    {
        const auto key = ts_node_start_byte(class_node);
        if (const auto found = m_facts.find(key); found != m_facts.end()) {
            return found->second;
        }
        ClassFacts result = compute(class_node);
        m_facts[key] = result;
        return result;
    }

private:
    const View& m_view;
    std::set<std::string, std::less<>> m_base_names;
    mutable std::unordered_map<uint32_t, ClassFacts> m_facts;

    std::optional<TSNode> heritage(TSNode class_node) const
    {
        const TSNode supers = ts_node_child_by_field_name(class_node, "superclasses", 12);
        if (!ts_node_is_null(supers)) {
            return supers;
        }
        const uint32_t count = ts_node_named_child_count(class_node);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode child = ts_node_named_child(class_node, i);
            const std::string_view type = ts_node_type(child);
            if (type == "class_heritage" || type == "superclass" || type == "super_interfaces"
                || type == "base_list" || type == "base_clause" || type == "base_class_clause"
                || type == "extends_clause" || type == "class_interface_clause") {
                return child;
            }
        }
        return std::nullopt;
    }

    std::vector<std::string> base_names(TSNode class_node) const
    {
        std::vector<std::string> names;
        const auto supers = heritage(class_node);
        if (!supers) {
            return names;
        }
        std::string word;
        for (const char c : m_view.tree.node_text(*supers)) {
            if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_') {
                word += c;
            } else if (!word.empty()) {
                names.push_back(std::exchange(word, {}));
            }
        }
        if (!word.empty()) {
            names.push_back(word);
        }
        return names;
    }

    std::string name_of(TSNode class_node) const
    {
        const TSNode name = ts_node_child_by_field_id(class_node, m_view.roles.name_field());
        return std::string(ts_node_is_null(name) ? std::string_view{}
                                                 : m_view.tree.node_text(name));
    }

    void add_class(TSNode class_node)
    {
        for (auto& name : base_names(class_node)) {
            m_base_names.insert(std::move(name));
        }
    }

    // A class is an abstract base when it says so (a modifier, a docstring), when its
    // name does (BaseX, XMixin) or when the file derives from it. Deriving from an
    // abstract base says nothing: the class that implements an interface is concrete.
    ClassFacts compute(TSNode class_node) const
    {
        ClassFacts facts;
        const std::string_view type = ts_node_type(class_node);
        const std::string name = name_of(class_node);
        facts.interface = type.find("interface") != std::string_view::npos;
        facts.abstract = type.starts_with("abstract") || RE2::PartialMatch(name, abstract_name())
                         || m_base_names.contains(name);
        const uint32_t count = ts_node_child_count(class_node);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode child = ts_node_child(class_node, i);
            if (std::string_view(ts_node_type(child)).find("modifier") != std::string_view::npos
                && m_view.tree.node_text(child).find("abstract") != std::string_view::npos) {
                facts.abstract = true;
            }
        }
        for (const std::string& base : base_names(class_node)) {
            if (base == "object") {
                continue;
            }
            facts.has_bases = true;
            if (m_view.language == source::Language::python
                && (base == "Protocol" || base == "ABC" || base == "ABCMeta")) {
                facts.interface = true;
            }
        }
        facts.null_object = RE2::PartialMatch(name, null_object_name());
        const TSNode body = ts_node_child_by_field_id(class_node, m_view.roles.body_field());
        if (!ts_node_is_null(body) && ts_node_named_child_count(body) > 0) {
            const TSNode first = ts_node_named_child(body, 0);
            if ((is_docstring(m_view, first) || m_view.roles.of(first) == Role::comment)
                && RE2::PartialMatch(m_view.tree.node_text(first), abstract_hint())) {
                facts.abstract = true;
            }
        }
        return facts;
    }
};

// The class a function is a method of, if it is one (not a function nested in another).
std::optional<TSNode> enclosing_class(const View& view, TSNode function)
{
    for (TSNode node = ts_node_parent(function); !ts_node_is_null(node);
         node = ts_node_parent(node)) {
        const Role role = view.roles.of(node);
        if (role == Role::class_like) {
            return node;
        }
        if (role == Role::function) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

// A function inside another one (a local callback, a method of a local class) or in
// one branch of an if or try (a fallback for a platform or a missing module): an empty
// body or a bare NotImplementedError there is meant.
bool nested_or_conditional(TSNode function)
{
    for (TSNode node = ts_node_parent(function); !ts_node_is_null(node);
         node = ts_node_parent(node)) {
        const std::string_view type = ts_node_type(node);
        if (type == "function_definition" || type == "if_statement" || type == "try_statement") {
            return true;
        }
    }
    return false;
}

// Python decorators that make a stub body right: abstract methods and overloads.
bool has_stub_decorator(const View& view, TSNode function)
{
    const TSNode parent = ts_node_parent(function);
    if (ts_node_is_null(parent)
        || std::string_view(ts_node_type(parent)) != "decorated_definition") {
        return false;
    }
    const uint32_t count = ts_node_named_child_count(parent);
    for (uint32_t i = 0; i < count; ++i) {
        const TSNode child = ts_node_named_child(parent, i);
        if (std::string_view(ts_node_type(child)) == "decorator") {
            const std::string_view text = view.tree.node_text(child);
            if (text.find("abstract") != std::string_view::npos
                || text.find("overload") != std::string_view::npos) {
                return true;
            }
        }
    }
    return false;
}

// Test code: a folder of tests, or a test module. Its empty functions are fixtures
// (made to be inspected, mocked or called), unless they are tests themselves.
bool is_test_path(std::string_view path)
{
    const std::size_t slash = path.rfind('/');
    const std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
    if (file.starts_with("test_") || file.ends_with("_test.py") || file == "conftest.py") {
        return true;
    }
    for (std::string_view folder : {"test/", "tests/", "testing/", "idle_test/", "testdata/"}) {
        for (std::size_t at = path.find(folder); at != std::string_view::npos;
             at = path.find(folder, at + 1)) {
            if (at == 0 || path[at - 1] == '/') {
                return true;
            }
        }
    }
    return false;
}

bool is_dunder(std::string_view name)
{
    return name.size() > 4 && name.starts_with("__") && name.ends_with("__");
}

// Where a placeholder finding points: the function's first line.
Artefact placeholder(const View& view, TSNode function, std::string message)
{
    const std::size_t start = ts_node_start_byte(function);
    const Line& line = view.lines[line_of(view.lines, start)];
    return {k_placeholder_rule,
            std::move(message),
            start,
            std::max(start, std::min<std::size_t>(line.end, ts_node_end_byte(function)))};
}

std::string raises_description(const View& view, const Statement& statement)
{
    if (statement.python_nie) {
        return "raises NotImplementedError";
    }
    std::string_view text = statement.text;
    if (view.language == Language::go) {
        return fmt::format("panics: '{}'", core::quote_for_message(text, 50));
    }
    if (view.language == Language::rust) {
        return fmt::format("calls '{}'", core::quote_for_message(text, 50));
    }
    while (text.ends_with(';')) {
        text.remove_suffix(1);
    }
    if (text.starts_with("=>")) {
        text = core::trim(text.substr(2));
    }
    return fmt::format("throws: '{}'", core::quote_for_message(text, 50));
}

// The statements of a body, when each is one a placeholder may have; nullopt for a
// body of real code.
std::optional<std::vector<Statement>> simple_statements(const View& view, const Body& body)
{
    // A placeholder is a statement or two; a longer body, or a long statement, is code.
    constexpr std::size_t k_most_statements = 3;
    constexpr std::size_t k_longest_statement = 400;
    if (body.statements.size() > k_most_statements) {
        return std::nullopt;
    }
    std::vector<Statement> statements;
    for (const TSNode node : body.statements) {
        if (ts_node_end_byte(node) - ts_node_start_byte(node) > k_longest_statement) {
            return std::nullopt;
        }
        statements.push_back(classify_statement(view, node));
        if (statements.back().kind == StatementKind::other) {
            return std::nullopt;
        }
    }
    return statements;
}

/// A function being judged, with what its surroundings say about it.
struct Candidate
{
    TSNode node;
    std::string name;
    const Body& body;
    bool method = false;
    ClassFacts facts;
    /// Python only: nested in a function, defined in a branch of an if or try, or a
    /// fixture of test code. An empty body or a bare raise is meant there.
    bool local_or_fixture = false;
};

class PlaceholderFinder
{
public:
    PlaceholderFinder(const View& view, const Inventory& inventory)
        : m_view(view), m_facts(view, inventory.classes)
    {}

    void check(TSNode function, std::vector<Artefact>& out) const
    {
        const auto body = body_of(m_view, function);
        const auto statements = body ? simple_statements(m_view, *body) : std::nullopt;
        if (!statements || has_stub_decorator(m_view, function)) {
            return;
        }
        const auto cls = enclosing_class(m_view, function);
        Candidate candidate{function, function_name(m_view, function), *body, cls.has_value()};
        candidate.facts = cls ? m_facts.facts(*cls) : ClassFacts{};
        if (candidate.facts.interface) {
            return;
        }
        candidate.local_or_fixture =
            m_view.language == Language::python
            && (nested_or_conditional(function)
                || (is_test_path(m_view.path) && !candidate.name.starts_with("test")));
        if (auto message = placeholder_message(candidate, *statements)) {
            out.push_back(placeholder(m_view, function, std::move(*message)));
        }
    }

private:
    const View& m_view;
    FileFacts m_facts;

    std::optional<std::string> placeholder_message(const Candidate& candidate,
                                                   const std::vector<Statement>& statements) const
    {
        const std::string& name = candidate.name;
        if (statements.size() == 1 && statements[0].kind == StatementKind::raises) {
            if (RE2::PartialMatch(name, thrower_name())
                || !raising_is_placeholder(candidate, statements[0])) {
                return std::nullopt;
            }
            return fmt::format(
                "placeholder body: '{}' only {}", name, raises_description(m_view, statements[0]));
        }
        const bool only_trivial =
            std::all_of(statements.begin(), statements.end(), [](const Statement& s) {
                return s.kind != StatementKind::raises;
            });
        if (!only_trivial) {
            return std::nullopt;
        }
        const auto& comments = candidate.body.comments;
        const auto todo = std::find_if(comments.begin(), comments.end(), [&](TSNode c) {
            return RE2::PartialMatch(m_view.tree.node_text(c), todo_comment());
        });
        if (todo != comments.end()) {
            const std::string comment = excerpt(m_view.tree.node_text(*todo), 50);
            // Python's pass is what the syntax asks of an empty body; a return is code.
            std::string code;
            for (const Statement& statement : statements) {
                if (statement.kind != StatementKind::pass) {
                    code += code.empty() ? statement.text : " " + statement.text;
                }
            }
            if (code.empty()) {
                return fmt::format(
                    "placeholder body: '{}' has only the comment '{}'", name, comment);
            }
            return fmt::format("placeholder body: '{}' has only '{}' and the comment '{}'",
                               name,
                               core::quote_for_message(code, 40),
                               comment);
        }
        // Python's `pass` or `...` alone, with neither a docstring nor a comment to say
        // the empty body is meant.
        if (m_view.language != Language::python || statements.size() != 1
            || statements[0].kind == StatementKind::trivial || candidate.body.docstring
            || !comments.empty() || is_dunder(name) || candidate.local_or_fixture) {
            return std::nullopt;
        }
        const ClassFacts& facts = candidate.facts;
        if (candidate.method && (facts.has_bases || facts.abstract || facts.null_object)) {
            return std::nullopt;
        }
        const char* what = statements[0].kind == StatementKind::pass ? "pass" : "...";
        return fmt::format("placeholder body: '{}' is only '{}'", name, what);
    }

    // A raise of "not implemented" is the body of an abstract method by convention in
    // an abstract base; elsewhere, and whenever its message admits the work is not
    // done ("TODO", "not yet implemented"), it is a placeholder. A message that gives
    // another reason ("not supported on Windows") is deliberate.
    bool raising_is_placeholder(const Candidate& candidate, const Statement& statement) const
    {
        if (statement.always) {
            return true;
        }
        const bool bare = core::trim(statement.message).empty();
        if (!bare && !RE2::PartialMatch(statement.message, unfinished_message())) {
            return false;
        }
        if (!bare && RE2::PartialMatch(statement.message, admits_unfinished())) {
            return true;
        }
        if (bare && !statement.python_nie) {
            return false; // throw new UnsupportedOperationException(): refused on purpose
        }
        // A documented NotImplementedError is an abstract method: the docstring says
        // what implementations do.
        if (candidate.local_or_fixture || (candidate.method && candidate.facts.abstract)
            || candidate.body.docstring) {
            return false;
        }
        return std::none_of(
            candidate.body.comments.begin(), candidate.body.comments.end(), [&](TSNode comment) {
                return RE2::PartialMatch(m_view.tree.node_text(comment), abstract_hint());
            });
    }
};

} // namespace

std::vector<Artefact> find_placeholders(const View& view, const Inventory& inventory)
{
    std::vector<Artefact> out;
    if (inventory.functions.empty() || view.language == Language::json
        || view.language == Language::yaml
        || (view.language == Language::python && view.path.ends_with(".pyi"))) {
        return out;
    }
    const PlaceholderFinder finder(view, inventory);
    for (const TSNode function : inventory.functions) {
        finder.check(function, out);
    }
    return out;
}

} // namespace aiops::validate::artefacts
