#include "validate/imports_check.hpp"

#include "core/strings.hpp"
#include "source/language.hpp"
#include "spec/spec.hpp"
#include "validate/import_project.hpp"
#include "validate/import_tables.hpp"
#include "validate/manifests.hpp"
#include "validate/source_imports.hpp"
#include "validate/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace aiops::validate {

namespace {

// A finding at the import's module name.
void report(FileFindings& out,
            const CheckedFile& file,
            const Import& found,
            const char* rule,
            core::Severity severity,
            std::string message)
{
    out.findings.push_back(
        file_finding(file, rule, severity, std::move(message), found.start_byte, found.end_byte));
}

constexpr const char* k_undeclared_rule = "imports.undeclared";
constexpr const char* k_stdlib_version_rule = "imports.stdlib-version";
constexpr const char* k_java_rule = "imports.java-unresolved";

/// What a spec's `dependencies` declare, for the files of its language.
struct SpecPackages
{
    std::string spec_path;
    std::string family; ///< whose packages they are: "python", "node", "go" or ""
    bool empty = true;
    std::unique_ptr<DeclaredPackages> python; ///< null unless the spec is Python's
    StringSet node;
    std::vector<std::string> go;
};

/// A dependency's name without the version an npm or Go spec may give with it
/// ("express@^4", "@scope/pkg@1.2", "github.com/x/y v1.2.0").
std::string without_version(std::string_view dependency)
{
    const std::size_t at = dependency.find('@', dependency.starts_with('@') ? 1 : 0);
    const std::size_t space = dependency.find_first_of(" \t");
    return std::string(core::trim(dependency.substr(0, std::min(at, space))));
}

SpecPackages spec_packages(const SpecDependencies& spec)
{
    SpecPackages out;
    out.spec_path = spec.spec_path;
    out.empty = spec.packages.empty();
    const std::string language = core::to_lower(spec.language);
    if (language == "python") {
        out.family = "python";
        PythonManifest manifest;
        for (const auto& requirement : spec.packages) {
            std::size_t error_offset = 0;
            auto name = requirement_name(requirement, error_offset);
            manifest.packages.push_back(name ? *name : std::string(core::trim(requirement)));
        }
        out.python = declared_python_packages(spec.spec_path, manifest);
    } else if (language == "javascript" || language == "typescript" || language == "tsx") {
        out.family = "node";
        for (const auto& package : spec.packages) {
            out.node.insert(without_version(package));
        }
    } else if (language == "go") {
        out.family = "go";
        for (const auto& module : spec.packages) {
            out.go.push_back(without_version(module));
        }
    }
    return out;
}

/// The message's end for an import neither the spec nor a manifest declares: which
/// spec lists what, and which manifest was read.
std::string spec_undeclared(const SpecPackages& spec, const std::string& manifest)
{
    if (spec.empty && manifest.empty()) {
        return fmt::format("not allowed: the spec ({}) lists no dependencies", spec.spec_path);
    }
    return fmt::format("not among the spec's dependencies ({}){}",
                       spec.spec_path,
                       manifest.empty() ? "" : ", nor declared in " + manifest);
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

/// Why a standard module is not there in the version checked for.
std::string stdlib_version_message(std::string_view module,
                                   const StdlibSpan& span,
                                   PythonVersion version,
                                   std::string_view version_source)
{
    if (span.removed && version >= *span.removed) {
        return fmt::format("'{}' was removed from the standard library in Python {} (checked "
                           "for Python {}, {})",
                           module,
                           format_version(*span.removed),
                           format_version(version),
                           version_source);
    }
    return fmt::format("'{}' is not in the standard library of Python {}: it was added in {} "
                       "(checked for Python {}, {})",
                       module,
                       format_version(version),
                       format_version(span.since),
                       format_version(version),
                       version_source);
}

/// What an undeclared Python import is missing, and where to declare it. packages: the
/// packages the table says provide the module (empty when its name is the package's).
std::string python_undeclared_message(std::string_view module,
                                      const std::vector<std::string>& packages,
                                      const ImportFolder& folder,
                                      std::string_view versions,
                                      const SpecPackages* spec)
{
    std::string what = fmt::format("'{}' is imported but", module);
    if (!packages.empty() && normalise_python_name(packages[0]) != normalise_python_name(module)) {
        what += packages.size() == 1
                    ? fmt::format(" its package '{}' is", packages[0])
                    : fmt::format(" its package (one of '{}') is", fmt::join(packages, "', '"));
    }
    if (spec != nullptr) {
        return fmt::format(
            "{} {} (it is not in the standard library of {})",
            what,
            spec_undeclared(*spec, folder.python.empty() ? "" : folder.python[0]->shown),
            versions);
    }
    if (folder.python.empty()) {
        return fmt::format("{} the project declares no dependencies: create requirements.txt or "
                           "pyproject.toml at the project root and declare it there (it is not "
                           "in the standard library of {})",
                           what,
                           versions);
    }
    return fmt::format("{} not declared in {} (nor in the standard library of {})",
                       what,
                       folder.python[0]->shown,
                       versions);
}

bool build_backend(std::string_view module)
{
    return module == "setuptools" || module == "pkg_resources";
}

/// Whether a specifier may name an npm package. Relative and absolute paths,
/// package.json "imports" (#name) and the aliases of bundlers ("@/", "~/", "$lib/") do
/// not: a package name starts with a letter, a digit or a scope's '@'.
bool may_name_package(std::string_view specifier)
{
    if (specifier.empty() || specifier.starts_with("@/")) {
        return false;
    }
    const auto first = static_cast<unsigned char>(specifier.front());
    return std::isalnum(first) != 0 || first == '@';
}

/// What an undeclared npm import is missing, and where to declare it.
std::string script_undeclared_message(std::string_view specifier,
                                      std::string_view package,
                                      std::string_view types,
                                      const DeclaredPackages* types_declared,
                                      const ImportFolder& folder,
                                      const SpecPackages* spec)
{
    const std::string what =
        specifier == package
            ? fmt::format("'{}' is imported but", package)
            : fmt::format("'{}' is imported but its package '{}' is", specifier, package);
    if (spec != nullptr) {
        return fmt::format(
            "{} {}",
            what,
            spec_undeclared(*spec, folder.node.empty() ? "" : folder.node[0]->shown));
    }
    if (folder.node.empty()) {
        return fmt::format(
            "{} there is no package.json: create one (npm init) and declare it in dependencies",
            what);
    }
    if (types_declared != nullptr) {
        return fmt::format("{} only its type declarations ('{}') are declared in {}: a value "
                           "import needs '{}' itself in dependencies",
                           what,
                           types,
                           types_declared->shown,
                           package);
    }
    return fmt::format("{} not declared in {} (dependencies, devDependencies, peerDependencies "
                       "or optionalDependencies)",
                       what,
                       folder.node[0]->shown);
}

class ImportsCheck final : public Check
{
public:
    ImportsCheck(std::unique_ptr<ImportProject> project,
                 std::optional<PythonVersion> python_version,
                 std::optional<SpecPackages> spec)
        : m_project(std::move(project)), m_python_version(python_version),
          m_tables(import_tables()), m_spec(std::move(spec))
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

    /// The spec's packages when they speak for files of this language, else null.
    const SpecPackages* spec_for(source::Language language) const;

    std::unique_ptr<ImportProject> m_project;
    std::optional<PythonVersion> m_python_version; ///< --python-version
    const ImportTables& m_tables;
    std::optional<SpecPackages> m_spec; ///< the spec's dependencies, when a spec is given
};

const SpecPackages* ImportsCheck::spec_for(source::Language language) const
{
    const std::string_view family = language == source::Language::python ? "python"
                                    : language == source::Language::javascript
                                            || language == source::Language::typescript
                                            || language == source::Language::tsx
                                        ? "node"
                                    : language == source::Language::go ? "go"
                                                                       : "";
    return m_spec && !family.empty() && m_spec->family == family ? &*m_spec : nullptr;
}

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
        {k_stdlib_version_rule,
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
    std::vector<const DeclaredPackages*> declaring = folder.python;
    if (const SpecPackages* spec = spec_for(source::Language::python)) {
        declaring.push_back(spec->python.get());
    }
    for (const DeclaredPackages* manifest : declaring) {
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
    std::vector<std::string> packages;
    for (std::string_view name : from_import_names(tree, found)) {
        if (python_declared(module + "." + std::string(name), folder, packages)) {
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
    // A setup.py runs inside the build backend that reads it: setuptools is there
    // whether or not a manifest names it (PEP 517's default backend).
    const bool setup_script = file.path == "setup.py" || file.path.ends_with("/setup.py");
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
        if (top.empty() || python_own(top, folder) || (setup_script && build_backend(top))) {
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
            const std::string message = stdlib_version_message(top, span, *version, version_source);
            report(out, file, found, k_stdlib_version_rule, core::Severity::high, message);
            continue;
        }
        const std::string message = python_undeclared_message(
            top, packages, folder, versions, spec_for(source::Language::python));
        report(out, file, found, k_undeclared_rule, core::Severity::high, message);
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
        if (!may_name_package(specifier)) {
            continue;
        }
        if (specifier.starts_with("node:")) {
            if (!m_tables.node_builtins.contains(specifier.substr(5))) {
                report(out,
                       file,
                       found,
                       k_undeclared_rule,
                       core::Severity::high,
                       fmt::format("'{}' is not a built-in module of Node.js", specifier));
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
        // A built-in is named whole: "fs/promises" is one, "fs/extra" is not.
        const bool builtin_name = m_tables.node_builtins.contains(package);
        const auto builtin = m_tables.node_builtins.find(specifier);
        const bool prefix_only = builtin != m_tables.node_builtins.end() && builtin->second;
        if (builtin != m_tables.node_builtins.end() && !prefix_only) {
            continue;
        }
        if (m_project->node_packages().contains(package)) {
            continue;
        }
        const std::string types = types_package(package);
        const DeclaredPackages* declared_in = nullptr;
        const DeclaredPackages* types_in = nullptr;
        for (const DeclaredPackages* manifest : folder.node) {
            if (declared_in == nullptr && manifest->names.contains(package)) {
                declared_in = manifest;
            }
            if (types_in == nullptr && manifest->names.contains(types)) {
                types_in = manifest;
            }
        }
        const SpecPackages* spec = spec_for(file.language);
        const bool spec_declares = spec != nullptr && spec->node.contains(package);
        const bool spec_declares_types = spec != nullptr && spec->node.contains(types);
        if (declared_in != nullptr || spec_declares
            || (found.type_only && (types_in != nullptr || spec_declares_types))) {
            continue;
        }
        std::string message;
        if (builtin_name && builtin == m_tables.node_builtins.end()) {
            message = fmt::format("'{}' is not a built-in module of Node.js: the built-in '{}' "
                                  "has no module '{}'",
                                  specifier,
                                  package,
                                  specifier.substr(package.size() + 1));
        } else {
            message = script_undeclared_message(specifier, package, types, types_in, folder, spec);
        }
        if (prefix_only) {
            message += fmt::format("; the built-in module is 'node:{}'", specifier);
        }
        report(out, file, found, k_undeclared_rule, core::Severity::high, message);
    }
}

void ImportsCheck::check_go(const CheckedFile& file,
                            const ImportFolder& folder,
                            FileFindings& out) const
{
    for (const Import& found : go_imports(file.tree)) {
        const std::string_view path = found.module;
        // "C" is cgo's pseudo-package.
        if (path == "C") {
            continue;
        }
        // A package of the module itself is a folder below its go.mod.
        if (under_module(path, folder.go_module)) {
            const std::string_view package =
                path.substr(std::min(path.size(), folder.go_module.size() + 1));
            std::error_code ec;
            if (!package.empty() && !std::filesystem::is_directory(folder.go_root / package, ec)) {
                report(out,
                       file,
                       found,
                       k_undeclared_rule,
                       core::Severity::high,
                       fmt::format("'{}' is a package of this module ('{}'), but the module has "
                                   "no folder '{}'",
                                   path,
                                   folder.go_module,
                                   package));
            }
            continue;
        }
        const auto provides = [&](const std::string& module) { return under_module(path, module); };
        const StringSet& own = m_project->go_modules();
        const SpecPackages* spec = spec_for(source::Language::go);
        if ((folder.go != nullptr
             && std::any_of(folder.go->names.begin(), folder.go->names.end(), provides))
            || std::any_of(own.begin(), own.end(), provides)
            || (spec != nullptr && std::any_of(spec->go.begin(), spec->go.end(), provides))) {
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
        } else if (spec != nullptr) {
            message = fmt::format("'{}' is imported but module '{}' is {}",
                                  path,
                                  go_module_guess(path),
                                  spec_undeclared(*spec, folder.go ? folder.go->shown : ""));
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
        report(out, file, found, k_undeclared_rule, core::Severity::high, message);
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
        const bool jdk = java_import_in(
            name, [&](std::string_view package) { return m_tables.java_jdk.contains(package); });
        if (jdk || m_project->java_own(name)) {
            continue;
        }
        report(out,
               file,
               found,
               k_java_rule,
               core::Severity::low,
               fmt::format("'{}' is neither part of the JDK nor in a package of this "
                           "project, and no build file (pom.xml, build.gradle) declares "
                           "dependencies",
                           name));
    }
}

// The spec's dependencies as the options give them, or read from the spec they name;
// a spec that cannot be read fails here as the conformance check would.
core::Result<std::optional<SpecDependencies>> spec_dependencies(const ValidateOptions& options)
{
    if (options.spec_dependencies || !options.spec) {
        return options.spec_dependencies;
    }
    spec::LoadOptions load;
    if (options.walk.forced_language) {
        load.default_language = std::string(source::language_name(*options.walk.forced_language));
    }
    auto loaded = spec::load_spec_file(*options.spec, load);
    if (!loaded) {
        return loaded.error();
    }
    return std::optional<SpecDependencies>(
        SpecDependencies{options.spec->generic_string(), loaded->language, loaded->dependencies});
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
    auto spec = spec_dependencies(setup.options);
    if (!spec) {
        return spec.error();
    }
    auto project = ImportProject::load(setup.workspace);
    if (!project) {
        return project.error();
    }
    std::optional<SpecPackages> packages;
    if (*spec) {
        packages = spec_packages(**spec);
    }
    return std::unique_ptr<Check>(
        std::make_unique<ImportsCheck>(std::move(*project), version, std::move(packages)));
}

} // namespace aiops::validate
