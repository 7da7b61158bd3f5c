#include "validate/imports_check.hpp"

#include "core/strings.hpp"
#include "validate/import_project.hpp"
#include "validate/import_tables.hpp"
#include "validate/manifests.hpp"
#include "validate/validate.hpp"

#include <fmt/format.h>

#include <cstring>

namespace aiops::validate {

namespace {

constexpr const char* k_undeclared_rule = "imports.undeclared";
constexpr const char* k_removed_rule = "imports.stdlib-version";
constexpr const char* k_java_rule = "imports.java-unresolved";

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

/// One import of a file, as the check resolves it.
struct Import
{
    std::string_view module; ///< as written, dotted for Python
    std::size_t start_byte = 0;
    std::size_t end_byte = 0;
    bool guarded = false;         ///< Python: inside try/except ImportError
    bool version_guarded = false; ///< Python: inside an `if` on sys.version_info
    bool type_only = false;       ///< TypeScript: `import type`, or in a .d.ts file
    /// Python: the `from ... import` statement, whose names may be modules of a
    /// namespace package ("from google.cloud import storage").
    TSNode from_statement{};
};

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
                add_script_source(tree, argument, false, imports);
                imports.back().guarded = guarded;
            }
        }
    }
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

/// The npm package a bare specifier names: "@scope/name" of "@scope/name/sub", "lodash"
/// of "lodash/fp".
std::string_view npm_package(std::string_view specifier)
{
    std::size_t slash = specifier.find('/');
    if (specifier.starts_with('@') && slash != std::string_view::npos) {
        slash = specifier.find('/', slash + 1);
    }
    return specifier.substr(0, slash);
}

/// The DefinitelyTyped package that holds the types of an npm package:
/// "@types/node" for "node", "@types/babel__core" for "@babel/core".
std::string types_package(std::string_view package)
{
    if (package.starts_with('@')) {
        std::string name(package.substr(1));
        const std::size_t slash = name.find('/');
        if (slash != std::string::npos) {
            name.replace(slash, 1, "__");
        }
        return "@types/" + name;
    }
    return "@types/" + std::string(package);
}

/// The module a Go package path would come from: three elements on the hosts whose
/// repositories sit at host/owner/name, else the whole path.
std::string_view go_module_guess(std::string_view path)
{
    static constexpr std::string_view k_hosts[] = {
        "github.com/", "gitlab.com/", "bitbucket.org/", "golang.org/x/", "codeberg.org/"};
    for (std::string_view host : k_hosts) {
        if (!path.starts_with(host)) {
            continue;
        }
        const std::size_t elements = host == "golang.org/x/" ? 1 : 2;
        std::size_t at = host.size() - 1;
        for (std::size_t i = 0; i < elements && at != std::string_view::npos; ++i) {
            at = path.find('/', at + 1);
        }
        return path.substr(0, at);
    }
    return path;
}

/// Whether tsconfig.json maps the specifier to the project's files: a `paths` alias,
/// or a name its `baseUrl` folder holds.
bool script_alias(std::string_view specifier, const ImportFolder& folder)
{
    if (folder.script_aliases == nullptr) {
        return false;
    }
    for (const auto& alias : *folder.script_aliases) {
        if (!alias.empty() && specifier.starts_with(alias)) {
            return true;
        }
    }
    return folder.script_base_names->contains(specifier.substr(0, specifier.find('/')));
}

bool under_module(std::string_view path, std::string_view module)
{
    return !module.empty() && path.starts_with(module)
           && (path.size() == module.size() || path[module.size()] == '/');
}

class ImportsCheck final : public Check
{
public:
    ImportsCheck(std::unique_ptr<ImportProject> project,
                 std::optional<PythonVersion> python_version)
        : m_project(std::move(project)), m_python_version(python_version), m_tables(import_tables())
    {}

    std::vector<report::RuleInfo> rules() const override;
    void check_file(const CheckedFile& file, FileFindings& out) const override;

private:
    void check_python(const CheckedFile& file, const ImportFolder& folder, FileFindings& out) const;
    void check_script(const CheckedFile& file, const ImportFolder& folder, FileFindings& out) const;
    void check_go(const CheckedFile& file, const ImportFolder& folder, FileFindings& out) const;
    void check_java(const CheckedFile& file, const ImportFolder& folder, FileFindings& out) const;

    bool python_own(std::string_view top, const ImportFolder& folder) const;
    bool python_declared(std::string_view module,
                         const ImportFolder& folder,
                         std::vector<std::string>& packages) const;
    bool from_names_declared(const source::SyntaxTree& tree,
                             const Import& found,
                             const std::string& module,
                             const ImportFolder& folder) const;

    std::unique_ptr<ImportProject> m_project;
    std::optional<PythonVersion> m_python_version; ///< --python-version
    const ImportTables& m_tables;
};

std::vector<report::RuleInfo> ImportsCheck::rules() const
{
    const std::vector<std::string> tags{"imports", "supply-chain", "security"};
    return {
        {k_undeclared_rule,
         "UndeclaredImport",
         "A module is imported that neither the standard library nor the project's "
         "declared dependencies provide.",
         "The file imports a module that is not part of the language's standard library, "
         "not defined by the project itself, and not provided by any package the "
         "project's manifest (requirements.txt, pyproject.toml, setup.cfg, Pipfile, "
         "package.json or go.mod) declares.",
         "Language models write imports of packages that do not exist, or that exist "
         "under a slightly different name. Such names are predictable, and attackers "
         "publish packages under them (typosquatting, or \"slopsquatting\" when the name "
         "was invented by a model): whoever installs the missing dependency by its "
         "imported name may run the attacker's code.\n\n"
         "Check that the package really exists and is the one you mean, then declare it "
         "in the manifest the message names (pinning a version), or remove the import. "
         "A Python import inside `try: ... except ImportError:` is optional and is not "
         "reported.",
         core::Severity::high,
         tags,
         "medium",
         {"CWE-1357", "CWE-829"},
         {"A06:2021"},
         {}},
        {k_removed_rule,
         "StandardModuleVersion",
         "A module is imported that the targeted Python version no longer ships (or does "
         "not ship yet).",
         "The module was part of Python's standard library in some versions, but not in "
         "the version the project targets (from --python-version, else the lowest version "
         "requires-python allows).",
         "Models trained on older code still import modules that Python has removed "
         "(distutils, imp, asyncore, the PEP 594 modules such as cgi and telnetlib), and a "
         "package of the same name on the package index is not the module that was "
         "removed. Port the code to the replacement the Python documentation names, or "
         "declare a maintained backport explicitly.",
         core::Severity::high,
         tags,
         "high",
         {"CWE-477"},
         {},
         {}},
        {k_java_rule,
         "UnresolvedJavaImport",
         "A Java import is neither part of the JDK nor a package of the project, and no "
         "build file declares dependencies.",
         "Java build files (pom.xml, build.gradle) are not read, so third-party Java "
         "imports are only reported when the project has none: then nothing can provide "
         "the package.",
         "Check that the library exists under this package name and add it to a build "
         "file (Maven or Gradle), or remove the import.",
         core::Severity::low,
         tags,
         "low",
         {"CWE-1357"},
         {},
         {}},
    };
}

void ImportsCheck::check_file(const CheckedFile& file, FileFindings& out) const
{
    const ImportFolder& folder = m_project->folder_of(file.location);
    switch (file.language) {
    case source::Language::python:
        check_python(file, folder, out);
        break;
    case source::Language::javascript:
    case source::Language::typescript:
    case source::Language::tsx:
        check_script(file, folder, out);
        break;
    case source::Language::go:
        check_go(file, folder, out);
        break;
    case source::Language::java:
        check_java(file, folder, out);
        break;
    default:
        break;
    }
}

bool ImportsCheck::python_own(std::string_view top, const ImportFolder& folder) const
{
    if (m_project->python_roots().contains(top)) {
        return true;
    }
    return std::any_of(folder.python_modules.begin(),
                       folder.python_modules.end(),
                       [&](const StringSet* names) { return names->contains(top); });
}

// A module is declared when a manifest names a package that provides it: one the
// table maps its name (or a dotted prefix of it) to, or one whose normalised name is
// the module's, dotted prefixes included ("google.cloud.storage" is
// google-cloud-storage). packages receives what the table says provides it.
bool ImportsCheck::python_declared(std::string_view module,
                                   const ImportFolder& folder,
                                   std::vector<std::string>& packages) const
{
    std::vector<std::string> candidates;
    std::size_t end = module.size();
    while (true) {
        const std::string_view prefix = module.substr(0, end);
        if (auto mapped = m_tables.python_packages.find(prefix);
            mapped != m_tables.python_packages.end()) {
            if (packages.empty()) {
                packages = mapped->second;
            }
            for (const auto& package : mapped->second) {
                candidates.push_back(normalise_python_name(package));
            }
        }
        candidates.push_back(normalise_python_name(prefix));
        const std::size_t dot = prefix.find_last_of('.');
        if (dot == std::string_view::npos) {
            break;
        }
        end = dot;
    }
    for (const DeclaredPackages* manifest : folder.python) {
        for (const auto& candidate : candidates) {
            if (manifest->names.contains(candidate)) {
                return true;
            }
        }
    }
    return false;
}

// "from google.cloud import storage" imports the module google.cloud.storage, which
// the package google-cloud-storage provides.
bool ImportsCheck::from_names_declared(const source::SyntaxTree& tree,
                                       const Import& found,
                                       const std::string& module,
                                       const ImportFolder& folder) const
{
    if (ts_node_is_null(found.from_statement)) {
        return false;
    }
    const TSNode module_name = field(found.from_statement, "module_name");
    const uint32_t count = ts_node_named_child_count(found.from_statement);
    std::vector<std::string> packages;
    for (uint32_t i = 0; i < count; ++i) {
        TSNode name = ts_node_named_child(found.from_statement, i);
        if (ts_node_eq(name, module_name)) {
            continue;
        }
        if (is(name, "aliased_import")) {
            name = field(name, "name");
        }
        if (!ts_node_is_null(name) && is(name, "dotted_name")
            && python_declared(
                module + "." + std::string(tree.node_text(name)), folder, packages)) {
            return true;
        }
    }
    return false;
}

void ImportsCheck::check_python(const CheckedFile& file,
                                const ImportFolder& folder,
                                FileFindings& out) const
{
    std::optional<PythonVersion> version = m_python_version;
    std::string version_source = "set by --python-version";
    for (const DeclaredPackages* manifest : folder.python) {
        if (!version && manifest->lowest_python) {
            version = std::clamp(*manifest->lowest_python, k_oldest_python, k_newest_python);
            version_source = "the lowest that " + manifest->shown + " allows";
        }
    }
    const std::string versions = version ? "Python " + format_version(*version)
                                         : fmt::format("Python {}\u2013{}",
                                                       format_version(k_oldest_python),
                                                       format_version(k_newest_python));
    for (const Import& found : python_imports(file.tree)) {
        std::string module;
        std::remove_copy_if(found.module.begin(),
                            found.module.end(),
                            std::back_inserter(module),
                            [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
        const std::string_view top = std::string_view(module).substr(0, module.find('.'));
        if (top.empty() || python_own(top, folder)) {
            continue;
        }
        std::vector<std::string> packages;
        const bool declared = python_declared(module, folder, packages)
                              || from_names_declared(file.tree, found, module, folder);
        if (declared || found.guarded) {
            continue;
        }
        if (auto std_module = m_tables.python_stdlib.find(top);
            std_module != m_tables.python_stdlib.end()) {
            const StdlibSpan& span = std_module->second;
            if (!version || found.version_guarded || span.contains(*version)) {
                continue;
            }
            const std::string message =
                span.removed && *version >= *span.removed
                    ? fmt::format("'{}' was removed from the standard library in Python {} "
                                  "(checked for Python {}, {})",
                                  top,
                                  format_version(*span.removed),
                                  format_version(*version),
                                  version_source)
                    : fmt::format("'{}' is not in the standard library of Python {}: it was "
                                  "added in {} (checked for Python {}, {})",
                                  top,
                                  format_version(*version),
                                  format_version(span.since),
                                  format_version(*version),
                                  version_source);
            out.findings.push_back(file_finding(file,
                                                k_removed_rule,
                                                core::Severity::high,
                                                message,
                                                found.start_byte,
                                                found.end_byte));
            continue;
        }
        std::string what = fmt::format("'{}' is imported but", top);
        if (!packages.empty() && normalise_python_name(packages[0]) != normalise_python_name(top)) {
            what += packages.size() == 1
                        ? fmt::format(" its package '{}' is", packages[0])
                        : fmt::format(" its package (one of '{}') is", fmt::join(packages, "', '"));
        }
        const std::string message =
            folder.python.empty()
                ? fmt::format("{} the project declares no dependencies: create requirements.txt "
                              "or pyproject.toml at the project root and declare it there (it "
                              "is not in the standard library of {})",
                              what,
                              versions)
                : fmt::format("{} not declared in {} (nor in the standard library of {})",
                              what,
                              folder.python[0]->shown,
                              versions);
        out.findings.push_back(file_finding(file,
                                            k_undeclared_rule,
                                            core::Severity::high,
                                            message,
                                            found.start_byte,
                                            found.end_byte));
    }
}

void ImportsCheck::check_script(const CheckedFile& file,
                                const ImportFolder& folder,
                                FileFindings& out) const
{
    const bool declarations = file.path.ends_with(".d.ts") || file.path.ends_with(".d.mts")
                              || file.path.ends_with(".d.cts");
    for (const Import& found : script_imports(file.tree, declarations)) {
        const std::string_view specifier = found.module;
        if (found.guarded) {
            continue;
        }
        // Relative and absolute paths, package.json "imports" (#name) and the aliases
        // of bundlers ("@/", "~/", "$lib/") name no npm package: a package name starts
        // with a letter, a digit or a scope's '@'.
        const auto starts_package = [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '@';
        };
        if (specifier.empty() || !starts_package(specifier.front())
            || specifier.starts_with("@/")) {
            continue;
        }
        if (specifier.starts_with("node:")) {
            if (!m_tables.node_builtins.contains(specifier.substr(5))) {
                out.findings.push_back(
                    file_finding(file,
                                 k_undeclared_rule,
                                 core::Severity::high,
                                 fmt::format("'{}' is not a built-in module of Node.js", specifier),
                                 found.start_byte,
                                 found.end_byte));
            }
            continue;
        }
        // URLs and other protocols: "https:", "npm:", "jsr:", "virtual:".
        if (specifier.find(':') != std::string_view::npos) {
            continue;
        }
        if (script_alias(specifier, folder)) {
            continue;
        }
        const std::string_view package = npm_package(specifier);
        const auto builtin = m_tables.node_builtins.find(package);
        const bool prefix_only = builtin != m_tables.node_builtins.end() && builtin->second;
        if (builtin != m_tables.node_builtins.end() && !prefix_only) {
            continue;
        }
        if (m_project->node_packages().contains(package)) {
            continue;
        }
        const std::string types = types_package(package);
        bool declared = false;
        bool types_declared = false;
        for (const DeclaredPackages* manifest : folder.node) {
            declared |= manifest->names.contains(package);
            types_declared |= manifest->names.contains(types);
        }
        if (declared || (found.type_only && types_declared)) {
            continue;
        }
        std::string what =
            specifier == package
                ? fmt::format("'{}' is imported but", package)
                : fmt::format("'{}' is imported but its package '{}' is", specifier, package);
        std::string message;
        if (folder.node.empty()) {
            message = fmt::format("{} there is no package.json: create one (npm init) and "
                                  "declare it in dependencies",
                                  what);
        } else if (types_declared) {
            message = fmt::format("{} only its type declarations ('{}') are declared in {}: a "
                                  "value import needs '{}' itself in dependencies",
                                  what,
                                  types,
                                  folder.node[0]->shown,
                                  package);
        } else {
            message = fmt::format("{} not declared in {} (dependencies, devDependencies, "
                                  "peerDependencies or optionalDependencies)",
                                  what,
                                  folder.node[0]->shown);
        }
        if (prefix_only) {
            message += fmt::format("; the built-in module is 'node:{}'", package);
        }
        out.findings.push_back(file_finding(file,
                                            k_undeclared_rule,
                                            core::Severity::high,
                                            message,
                                            found.start_byte,
                                            found.end_byte));
    }
}

void ImportsCheck::check_go(const CheckedFile& file,
                            const ImportFolder& folder,
                            FileFindings& out) const
{
    for (const Import& found : go_imports(file.tree)) {
        const std::string_view path = found.module;
        // "C" is cgo's pseudo-package.
        if (path == "C" || under_module(path, folder.go_module)) {
            continue;
        }
        if (folder.go != nullptr
            && std::any_of(folder.go->names.begin(),
                           folder.go->names.end(),
                           [&](const auto& module) { return under_module(path, module); })) {
            continue;
        }
        const std::string_view first = path.substr(0, path.find('/'));
        std::string message;
        if (first.find('.') == std::string_view::npos) {
            if (m_tables.go_std.contains(path)) {
                continue;
            }
            message = fmt::format("'{}' is not a package of Go's standard library (an import "
                                  "path whose first element has no dot belongs to it)",
                                  path);
        } else if (folder.go == nullptr) {
            message = fmt::format("'{}' is imported but there is no go.mod: create one (go mod "
                                  "init) and require module '{}'",
                                  path,
                                  go_module_guess(path));
        } else {
            message = fmt::format("'{}' is imported but {} requires no module that provides it "
                                  "(module '{}')",
                                  path,
                                  folder.go->shown,
                                  go_module_guess(path));
        }
        out.findings.push_back(file_finding(file,
                                            k_undeclared_rule,
                                            core::Severity::high,
                                            message,
                                            found.start_byte,
                                            found.end_byte));
    }
}

void ImportsCheck::check_java(const CheckedFile& file,
                              const ImportFolder& folder,
                              FileFindings& out) const
{
    // With a build file, dependencies are declared where this check does not read.
    if (folder.java_build_file) {
        return;
    }
    for (const Import& found : java_imports(file.tree)) {
        const std::string_view name = found.module;
        const bool jdk = std::any_of(
            m_tables.java_jdk.begin(), m_tables.java_jdk.end(), [&](const std::string& prefix) {
                return name.starts_with(prefix)
                       && (name.size() == prefix.size() || name[prefix.size()] == '.');
            });
        if (jdk || m_project->java_own(name)) {
            continue;
        }
        out.findings.push_back(
            file_finding(file,
                         k_java_rule,
                         core::Severity::low,
                         fmt::format("'{}' is neither part of the JDK nor in a package of this "
                                     "project, and no build file (pom.xml, build.gradle) declares "
                                     "dependencies",
                                     name),
                         found.start_byte,
                         found.end_byte));
    }
}

} // namespace

core::Result<std::unique_ptr<Check>> make_imports_check(const CheckSetup& setup)
{
    std::optional<PythonVersion> version;
    if (setup.options.python_version) {
        version = parse_python_version(*setup.options.python_version);
        if (!version || *version < k_oldest_python || *version > k_newest_python) {
            return core::Error(
                core::ErrorCode::usage,
                fmt::format("--python-version '{}': expected a version from {} to {}",
                            *setup.options.python_version,
                            format_version(k_oldest_python),
                            format_version(k_newest_python)));
        }
    }
    auto project = ImportProject::load(setup.workspace);
    if (!project) {
        return project.error();
    }
    return std::unique_ptr<Check>(std::make_unique<ImportsCheck>(std::move(*project), version));
}

} // namespace aiops::validate
