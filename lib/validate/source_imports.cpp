#include "validate/source_imports.hpp"

#include "core/strings.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

namespace aiops::validate {

namespace {

bool is(TSNode node, const char* type)
{
    return std::strcmp(ts_node_type(node), type) == 0;
}

TSNode field(TSNode node, const char* name)
{
    return ts_node_child_by_field_name(node, name, static_cast<uint32_t>(std::strlen(name)));
}

/// The text of a string literal without its quotes; nullopt for one with
/// interpolation or escapes, whose value the text does not show.
std::optional<std::string_view> literal_text(const source::SyntaxTree& tree, TSNode node)
{
    if (ts_node_is_null(node)) {
        return std::nullopt;
    }
    const std::string_view text = tree.node_text(node);
    if (text.size() < 2 || text.find('\\') != std::string_view::npos
        || text.find("${") != std::string_view::npos) {
        return std::nullopt;
    }
    const char quote = text.front();
    if ((quote != '"' && quote != '\'' && quote != '`') || text.back() != quote) {
        return std::nullopt;
    }
    const std::string_view inner = text.substr(1, text.size() - 2);
    if (inner.find(quote) != std::string_view::npos) {
        return std::nullopt; // a triple-quoted or joined string
    }
    return inner;
}

// Statements that may hold other statements: the Python walk enters only these, since
// an import is always a statement of its own.
bool python_container(std::string_view type)
{
    static constexpr std::string_view k_containers[] = {"block",
                                                        "if_statement",
                                                        "elif_clause",
                                                        "else_clause",
                                                        "for_statement",
                                                        "while_statement",
                                                        "with_statement",
                                                        "try_statement",
                                                        "except_clause",
                                                        "except_group_clause",
                                                        "finally_clause",
                                                        "function_definition",
                                                        "class_definition",
                                                        "decorated_definition",
                                                        "match_statement",
                                                        "case_clause"};
    return std::find(std::begin(k_containers), std::end(k_containers), type)
           != std::end(k_containers);
}

/// Whether a try statement has a handler that an ImportError reaches: `except
/// ImportError`, `except (ModuleNotFoundError, ...)`, `except Exception` or a bare
/// `except:`.
bool catches_import_error(const source::SyntaxTree& tree, TSNode statement)
{
    const uint32_t count = ts_node_named_child_count(statement);
    for (uint32_t i = 0; i < count; ++i) {
        const TSNode clause = ts_node_named_child(statement, i);
        if (!is(clause, "except_clause")) {
            continue;
        }
        std::string_view head = tree.node_text(clause);
        head = head.substr(0, head.find(':'));
        if (core::trim(head) == "except" || head.find("ImportError") != std::string_view::npos
            || head.find("ModuleNotFoundError") != std::string_view::npos
            || head.find("Exception") != std::string_view::npos) {
            return true;
        }
    }
    return false;
}

/// Whether a with statement's items name ImportError or ModuleNotFoundError.
bool expects_import_error(const source::SyntaxTree& tree, TSNode statement)
{
    const uint32_t count = ts_node_named_child_count(statement);
    for (uint32_t i = 0; i < count; ++i) {
        const TSNode clause = ts_node_named_child(statement, i);
        if (is(clause, "with_clause")) {
            const std::string_view items = tree.node_text(clause);
            return items.find("ImportError") != std::string_view::npos
                   || items.find("ModuleNotFoundError") != std::string_view::npos;
        }
    }
    return false;
}

void add_python_name(const source::SyntaxTree& tree,
                     TSNode name,
                     const Import& where,
                     std::vector<Import>& imports)
{
    if (is(name, "aliased_import")) {
        name = field(name, "name");
    }
    if (ts_node_is_null(name) || !is(name, "dotted_name") || ts_node_is_missing(name)) {
        return;
    }
    Import found = where;
    found.module = tree.node_text(name);
    found.start_byte = ts_node_start_byte(name);
    found.end_byte = ts_node_end_byte(name);
    imports.push_back(found);
}

void add_python_statement(const source::SyntaxTree& tree,
                          TSNode statement,
                          const Import& where,
                          std::vector<Import>& imports)
{
    if (is(statement, "import_from_statement")) {
        // A relative import (`from . import x`) names the project's own modules.
        Import from = where;
        from.from_statement = statement;
        add_python_name(tree, field(statement, "module_name"), from, imports);
        return;
    }
    const uint32_t count = ts_node_named_child_count(statement);
    for (uint32_t i = 0; i < count; ++i) {
        add_python_name(tree, ts_node_named_child(statement, i), where, imports);
    }
}

/// `__import__("m")` and `importlib.import_module("m")` with a literal absolute name, as
/// a statement of its own or the value of an assignment.
void add_python_dynamic(const source::SyntaxTree& tree,
                        TSNode statement,
                        const Import& where,
                        std::vector<Import>& imports)
{
    TSNode call = ts_node_named_child(statement, 0);
    if (!ts_node_is_null(call) && is(call, "assignment")) {
        call = field(call, "right");
    }
    if (ts_node_is_null(call) || !is(call, "call")) {
        return;
    }
    const std::string_view function = tree.node_text(field(call, "function"));
    if (function != "__import__" && function != "importlib.import_module"
        && function != "import_module") {
        return;
    }
    const TSNode arguments = field(call, "arguments");
    if (ts_node_is_null(arguments) || ts_node_named_child_count(arguments) == 0) {
        return;
    }
    const TSNode name = ts_node_named_child(arguments, 0);
    const auto text = is(name, "string") ? literal_text(tree, name) : std::nullopt;
    if (!text || text->empty() || text->front() == '.') {
        return;
    }
    Import found = where;
    found.module = *text;
    found.start_byte = ts_node_start_byte(name);
    found.end_byte = ts_node_end_byte(name);
    imports.push_back(found);
}

void add_script_source(const source::SyntaxTree& tree,
                       TSNode literal,
                       bool type_only,
                       std::vector<Import>& imports)
{
    if (auto text = literal_text(tree, literal)) {
        imports.push_back({*text,
                           ts_node_start_byte(literal),
                           ts_node_end_byte(literal),
                           false,
                           false,
                           type_only});
    }
}

/// Whether the token after a statement's first keyword is `type` (`import type`).
bool type_keyword_follows(TSNode statement)
{
    if (ts_node_child_count(statement) < 2) {
        return false;
    }
    const TSNode second = ts_node_child(statement, 1);
    return !ts_node_is_named(second) && is(second, "type");
}

/// Whether a node stands in a TypeScript type (`type T = import("x").U`, `let v:
/// import("x").U`): an import there loads nothing at run time, so type declarations
/// are all it needs.
bool in_type_position(TSNode node)
{
    for (TSNode up = ts_node_parent(node); !ts_node_is_null(up); up = ts_node_parent(up)) {
        const std::string_view type = ts_node_type(up);
        if (type == "type_annotation" || type == "type_alias_declaration"
            || type == "type_arguments" || type == "type_query" || type == "interface_declaration"
            || type == "type_parameter" || type.ends_with("_type")) {
            return true;
        }
        if (type == "program" || type.ends_with("statement") || type.ends_with("declaration")
            || type.ends_with("declarator") || type == "arguments") {
            return false;
        }
    }
    return false;
}

void add_script_node(const source::SyntaxTree& tree,
                     TSNode node,
                     bool guarded,
                     std::vector<Import>& imports)
{
    const std::string_view type = ts_node_type(node);
    if (type == "import_statement") {
        const TSNode source = field(node, "source");
        if (!ts_node_is_null(source)) {
            add_script_source(tree, source, type_keyword_follows(node), imports);
            return;
        }
        // TypeScript's `import x = require('m')`.
        const uint32_t count = ts_node_named_child_count(node);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode child = ts_node_named_child(node, i);
            if (is(child, "import_require_clause")) {
                add_script_source(tree, field(child, "source"), false, imports);
            }
        }
    } else if (type == "export_statement") {
        const TSNode source = field(node, "source");
        if (!ts_node_is_null(source)) {
            add_script_source(tree, source, type_keyword_follows(node), imports);
        }
    } else if (type == "call_expression") {
        const TSNode function = field(node, "function");
        const bool loads = is(function, "import")
                           || (is(function, "identifier") && tree.node_text(function) == "require");
        const TSNode arguments = field(node, "arguments");
        if (loads && !ts_node_is_null(arguments) && ts_node_named_child_count(arguments) == 1) {
            const TSNode argument = ts_node_named_child(arguments, 0);
            if (is(argument, "string") || is(argument, "template_string")) {
                add_script_source(
                    tree, argument, is(function, "import") && in_type_position(node), imports);
                imports.back().guarded = guarded;
            }
        }
    }
}

} // namespace

/// The imports of a Python file, found in one walk over its statements.
std::vector<Import> python_imports(const source::SyntaxTree& tree)
{
    const std::string_view source_text = tree.text();
    const bool dynamic = source_text.find("__import__(") != std::string_view::npos
                         || source_text.find("import_module(") != std::string_view::npos;

    struct Level
    {
        bool guarded = false;
        bool try_guards = false; ///< a try whose body and handlers are guarded
        bool version_guarded = false;
    };

    std::vector<Import> imports;
    std::vector<Level> levels{Level{}};
    TSTreeCursor cursor = ts_tree_cursor_new(tree.root());
    bool more = ts_tree_cursor_goto_first_child(&cursor);
    while (more) {
        const TSNode node = ts_tree_cursor_current_node(&cursor);
        const std::string_view type = ts_node_type(node);
        const Level& up = levels.back();
        Level here{up.guarded, false, up.version_guarded};
        here.guarded |= up.try_guards && (type == "block" || type == "except_clause");
        const Import where{{}, 0, 0, here.guarded, here.version_guarded, false, {}};
        if (type == "import_statement" || type == "import_from_statement") {
            add_python_statement(tree, node, where, imports);
        } else if (dynamic && type == "expression_statement") {
            add_python_dynamic(tree, node, where, imports);
        } else if (python_container(type)) {
            // `with self.assertRaises(ImportError):` expects the import to fail.
            here.try_guards = (type == "try_statement" && catches_import_error(tree, node))
                              || (type == "with_statement" && expects_import_error(tree, node));
            if (type == "if_statement") {
                const std::string_view condition = tree.node_text(field(node, "condition"));
                here.version_guarded |= condition.find("version_info") != std::string_view::npos;
            }
            if (ts_tree_cursor_goto_first_child(&cursor)) {
                levels.push_back(here);
                continue;
            }
        }
        while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
            if (levels.size() == 1 || !ts_tree_cursor_goto_parent(&cursor)) {
                more = false;
                break;
            }
            levels.pop_back();
        }
    }
    ts_tree_cursor_delete(&cursor);
    return imports;
}

/// The imports of a JavaScript or TypeScript file. Static imports and exports sit at
/// the top level; the whole tree is walked only when the text holds `require` or
/// `import(`, the calls that load a module from anywhere. A call inside a `try` block
/// or its `catch` is guarded: the code goes on without the module.
std::vector<Import> script_imports(const source::SyntaxTree& tree, bool declarations_only)
{
    const std::string_view text = tree.text();
    const bool calls = text.find("require") != std::string_view::npos
                       || text.find("import(") != std::string_view::npos;
    std::vector<Import> imports;
    // Per level of the walk: whether its nodes are guarded, and whether it is a try
    // statement's (whose block and handler are).
    std::vector<std::pair<bool, bool>> levels{{false, false}};
    TSTreeCursor cursor = ts_tree_cursor_new(tree.root());
    bool more = ts_tree_cursor_goto_first_child(&cursor);
    while (more) {
        const TSNode node = ts_tree_cursor_current_node(&cursor);
        const auto [up_guarded, up_try] = levels.back();
        const bool guarded = up_guarded || (up_try && !is(node, "finally_clause"));
        add_script_node(tree, node, guarded, imports);
        if (calls && ts_node_child_count(node) > 0 && !is(node, "string") && !is(node, "comment")
            && ts_tree_cursor_goto_first_child(&cursor)) {
            levels.emplace_back(guarded, is(node, "try_statement"));
            continue;
        }
        while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
            if (levels.size() == 1 || !ts_tree_cursor_goto_parent(&cursor)) {
                more = false;
                break;
            }
            levels.pop_back();
        }
    }
    ts_tree_cursor_delete(&cursor);
    if (declarations_only) {
        for (auto& found : imports) {
            found.type_only = true;
        }
    }
    return imports;
}

/// The import paths of a Go file.
std::vector<Import> go_imports(const source::SyntaxTree& tree)
{
    std::vector<Import> imports;
    const auto add_spec = [&](TSNode spec) {
        const TSNode path = field(spec, "path");
        if (auto text = literal_text(tree, path)) {
            imports.push_back(
                {*text, ts_node_start_byte(path), ts_node_end_byte(path), false, false, false, {}});
        }
    };
    const TSNode root = tree.root();
    const uint32_t count = ts_node_named_child_count(root);
    for (uint32_t i = 0; i < count; ++i) {
        const TSNode declaration = ts_node_named_child(root, i);
        if (!is(declaration, "import_declaration")) {
            continue;
        }
        const uint32_t specs = ts_node_named_child_count(declaration);
        for (uint32_t j = 0; j < specs; ++j) {
            const TSNode child = ts_node_named_child(declaration, j);
            if (is(child, "import_spec")) {
                add_spec(child);
            } else if (is(child, "import_spec_list")) {
                const uint32_t listed = ts_node_named_child_count(child);
                for (uint32_t k = 0; k < listed; ++k) {
                    const TSNode spec = ts_node_named_child(child, k);
                    if (is(spec, "import_spec")) {
                        add_spec(spec);
                    }
                }
            }
        }
    }
    return imports;
}

/// The names of a Java file's imports ("java.util.List", "com.acme" for `com.acme.*`).
std::vector<Import> java_imports(const source::SyntaxTree& tree)
{
    std::vector<Import> imports;
    const TSNode root = tree.root();
    const uint32_t count = ts_node_named_child_count(root);
    for (uint32_t i = 0; i < count; ++i) {
        const TSNode declaration = ts_node_named_child(root, i);
        if (!is(declaration, "import_declaration")) {
            continue;
        }
        const uint32_t parts = ts_node_named_child_count(declaration);
        for (uint32_t j = 0; j < parts; ++j) {
            const TSNode name = ts_node_named_child(declaration, j);
            if (is(name, "scoped_identifier") || is(name, "identifier")) {
                imports.push_back({tree.node_text(name),
                                   ts_node_start_byte(name),
                                   ts_node_end_byte(name),
                                   false,
                                   false,
                                   false,
                                   {}});
                break;
            }
        }
    }
    return imports;
}

std::vector<std::string_view> from_import_names(const source::SyntaxTree& tree, const Import& found)
{
    std::vector<std::string_view> names;
    if (ts_node_is_null(found.from_statement)) {
        return names;
    }
    const TSNode module_name = field(found.from_statement, "module_name");
    const uint32_t count = ts_node_named_child_count(found.from_statement);
    for (uint32_t i = 0; i < count; ++i) {
        TSNode name = ts_node_named_child(found.from_statement, i);
        if (ts_node_eq(name, module_name)) {
            continue;
        }
        if (is(name, "aliased_import")) {
            name = field(name, "name");
        }
        if (!ts_node_is_null(name) && is(name, "dotted_name")) {
            names.push_back(tree.node_text(name));
        }
    }
    return names;
}

} // namespace aiops::validate
