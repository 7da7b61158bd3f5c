#include "validate/import_project.hpp"

#include "core/line_index.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "source/source_file.hpp"
#include "validate/json_text.hpp"
#include "validate/manifest_text.hpp"
#include "validate/manifests.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace aiops::validate {

namespace fs = std::filesystem;

namespace {

/// The kinds of manifest a folder is read for, by the languages of the files below it.
enum Kind : unsigned
{
    k_python = 1,
    k_node = 2,
    k_go = 4,
    k_java = 8,
};

unsigned kinds_of(const source::WorkspaceFile& file)
{
    if (!file.language) {
        return k_python; // a script without an extension is most often Python
    }
    switch (*file.language) {
    case source::Language::python:
        return k_python;
    case source::Language::javascript:
    case source::Language::typescript:
    case source::Language::tsx:
        return k_node;
    case source::Language::go:
        return k_go;
    case source::Language::java:
        return k_java;
    default:
        return 0;
    }
}

constexpr std::string_view k_java_build_files[] = {"pom.xml",
                                                   "build.gradle",
                                                   "build.gradle.kts",
                                                   "settings.gradle",
                                                   "settings.gradle.kts",
                                                   "build.xml",
                                                   "BUILD",
                                                   "BUILD.bazel",
                                                   "MODULE.bazel",
                                                   "WORKSPACE"};

bool is_requirements_name(std::string_view name)
{
    return name.ends_with(".txt") && name.find("requirements") != std::string_view::npos;
}

bool has(const std::vector<std::string>& names, std::string_view name)
{
    return std::binary_search(names.begin(), names.end(), name);
}

core::Result<std::string>
read_text(const source::FileView& view, const fs::path& file, const std::string& shown)
{
    auto bytes = view.read(file);
    if (!bytes) {
        return core::Error(core::ErrorCode::io,
                           fmt::format("{}: cannot read: {}", shown, bytes.error().message()));
    }
    return std::move(*bytes);
}

/// A quoted string of a setup.py and where its text starts.
struct SetupString
{
    std::string text;
    std::size_t offset = 0;
};

/// The quoted strings between the bracket that follows `key` and its partner: the
/// literal lists of a setup.py's setup() call. Anything computed is out of reach.
std::vector<SetupString> setup_py_strings(std::string_view text, std::string_view key)
{
    std::vector<SetupString> strings;
    std::size_t at = text.find(key);
    while (at != std::string_view::npos) {
        std::size_t open = text.find_first_of("[{(", at + key.size());
        const std::size_t equals = text.find('=', at + key.size());
        if (open == std::string_view::npos || equals == std::string_view::npos || equals > open) {
            break;
        }
        int depth = 0;
        for (std::size_t i = open; i < text.size(); ++i) {
            const char c = text[i];
            if (c == '[' || c == '{' || c == '(') {
                ++depth;
            } else if (c == ']' || c == '}' || c == ')') {
                if (--depth == 0) {
                    break;
                }
            } else if (c == '"' || c == '\'') {
                const std::size_t close = text.find(c, i + 1);
                if (close == std::string_view::npos) {
                    break;
                }
                strings.push_back({std::string(text.substr(i + 1, close - i - 1)), i + 1});
                i = close;
            }
        }
        at = text.find(key, open);
    }
    return strings;
}

// The requirements of a setup.py's literal lists, held to PEP 508 as in every other
// manifest. The keys of extras_require are names of extras, not requirements.
core::Result<PythonManifest> read_setup_py(std::string_view text, const std::string& shown)
{
    PythonManifest manifest;
    for (const char* key :
         {"install_requires", "extras_require", "setup_requires", "tests_require"}) {
        const std::vector<SetupString> strings = setup_py_strings(text, key);
        for (std::size_t i = 0; i < strings.size(); ++i) {
            const SetupString& requirement = strings[i];
            const bool extra_name =
                std::string_view(key) == "extras_require"
                && core::trim(text.substr(requirement.offset + requirement.text.size() + 1))
                       .starts_with(":");
            if (extra_name) {
                continue;
            }
            std::size_t error_offset = 0;
            auto name = requirement_name(requirement.text, error_offset);
            if (name) {
                manifest.packages.push_back(std::move(*name));
            } else if (!looks_like_url_or_path(requirement.text)) {
                return input_error_at(shown,
                                      text,
                                      requirement.offset + error_offset,
                                      fmt::format("in '{}': {}", key, name.error().message()));
            }
        }
    }
    return manifest;
}

std::string strip_extension(std::string_view name)
{
    for (std::string_view extension : {".py", ".pyi"}) {
        if (name.ends_with(extension)) {
            return std::string(name.substr(0, name.size() - extension.size()));
        }
    }
    return std::string(name);
}

/// The package a Java file declares ("com.acme.util"), read from its first lines.
std::optional<std::string> java_package(std::string_view text)
{
    std::size_t at = 0;
    while (at < text.size() && at < 64 * 1024) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        const std::string_view line = core::trim(text.substr(at, end - at));
        at = end + 1;
        if (line.starts_with("package ") || line.starts_with("package\t")) {
            const std::size_t semicolon = line.find(';');
            return std::string(core::trim(line.substr(8, semicolon - 8)));
        }
        if (line.starts_with("import ") || line.starts_with("public ")
            || line.starts_with("class ")) {
            break;
        }
    }
    return std::nullopt;
}

/// The folders from a folder up to the root, nearest first; only the folder itself
/// when it lies outside the root.
std::vector<std::string> folder_chain(const std::string& folder, const std::string& root)
{
    std::vector<std::string> chain{folder};
    const bool under = folder.size() > root.size() && folder.starts_with(root)
                       && (root.ends_with('/') || folder[root.size()] == '/');
    if (!under) {
        return chain;
    }
    std::string current = folder;
    while (current.size() > root.size()) {
        const std::size_t slash = current.find_last_of('/');
        current = slash == 0 ? std::string("/") : current.substr(0, slash);
        if (current.size() < root.size()) {
            break;
        }
        chain.push_back(current);
    }
    return chain;
}

/// A file name without the extension a module specifier may leave out.
std::string script_stem(std::string_view name)
{
    for (std::string_view extension :
         {".d.ts", ".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".json"}) {
        if (name.size() > extension.size() && name.ends_with(extension)) {
            return std::string(name.substr(0, name.size() - extension.size()));
        }
    }
    return std::string(name);
}

/// Adds the requirements of the files a manifest names (relative to its folder); a
/// missing one is an error where the manifest names it.
core::Result<bool> read_named_files(const source::FileView& view,
                                    const fs::path& folder,
                                    const std::string& manifest_shown,
                                    PythonManifest& manifest)
{
    for (const auto& named : manifest.requirement_files) {
        const fs::path file = folder / named.path;
        const std::string file_shown = (fs::path(manifest_shown).parent_path() / named.path)
                                           .lexically_normal()
                                           .generic_string();
        if (!view.is_file(file)) {
            return core::Error(core::ErrorCode::input,
                               fmt::format("{}:{}:{}: requirements file '{}' does not exist",
                                           manifest_shown,
                                           named.line,
                                           named.column,
                                           core::quote_for_message(file_shown)));
        }
        auto more = read_requirements(file, file_shown, view);
        if (!more) {
            return more.error();
        }
        std::move(
            more->packages.begin(), more->packages.end(), std::back_inserter(manifest.packages));
    }
    return true;
}

} // namespace

std::unique_ptr<DeclaredPackages> declared_python_packages(std::string shown,
                                                           const PythonManifest& manifest)
{
    auto declared = std::make_unique<DeclaredPackages>();
    declared->shown = std::move(shown);
    std::vector<std::string> names = manifest.packages;
    if (manifest.project_name) {
        names.push_back(*manifest.project_name);
    }
    for (const auto& name : names) {
        const std::string normal = normalise_python_name(name);
        declared->names.insert(normal);
        for (std::string_view prefix : {"python-", "py-"}) {
            if (normal.starts_with(prefix) && normal.size() > prefix.size()) {
                declared->names.insert(normal.substr(prefix.size()));
            }
        }
        for (std::string_view suffix : {"-python", "-py"}) {
            if (normal.ends_with(suffix) && normal.size() > suffix.size()) {
                declared->names.insert(normal.substr(0, normal.size() - suffix.size()));
            }
        }
    }
    if (manifest.requires_python) {
        declared->lowest_python = lowest_python(*manifest.requires_python);
    }
    return declared;
}

bool declares_dependencies(std::string_view path)
{
    const std::size_t slash = path.rfind('/');
    const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    const std::string_view folder =
        slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
    if (is_requirements_name(name)
        || (name.ends_with(".txt")
            && (folder == "requirements" || folder.ends_with("/requirements")))) {
        return true;
    }
    for (const std::string_view manifest : {"pyproject.toml",
                                            "setup.cfg",
                                            "setup.py",
                                            "Pipfile",
                                            "package.json",
                                            "tsconfig.json",
                                            "jsconfig.json",
                                            "go.mod"}) {
        if (name == manifest) {
            return true;
        }
    }
    return std::find(std::begin(k_java_build_files), std::end(k_java_build_files), name)
           != std::end(k_java_build_files);
}

struct ImportProject::Manifests
{
    unsigned read = 0; ///< the kinds already read
    std::vector<const DeclaredPackages*> python;
    const DeclaredPackages* node = nullptr;
    bool script_config = false; ///< a tsconfig.json or jsconfig.json was read
    std::vector<std::string> script_aliases;
    StringSet script_base_names;
    const DeclaredPackages* go = nullptr;
    std::string go_module;
    bool java_build_file = false;
};

ImportProject::ImportProject() = default;

ImportProject::~ImportProject() = default;

std::string folder_key(const fs::path& folder)
{
    std::error_code ec;
    fs::path absolute = fs::absolute(folder, ec);
    std::string key = (ec ? folder : absolute).lexically_normal().generic_string();
    if (key.size() > 1 && key.ends_with('/')) {
        key.pop_back();
    }
    return key;
}

std::string ImportProject::shown(const fs::path& file) const
{
    const std::string text = file.lexically_normal().generic_string();
    const std::string root = m_root.generic_string();
    if (text.size() > root.size() + 1 && text.starts_with(root) && text[root.size()] == '/') {
        return text.substr(root.size() + 1);
    }
    return text;
}

core::Result<bool> ImportProject::read_node_workspaces(const fs::path& folder,
                                                       const std::vector<std::string>& patterns)
{
    for (std::string_view pattern : patterns) {
        if (pattern.starts_with('!')) {
            continue;
        }
        if (pattern.starts_with("./")) {
            pattern.remove_prefix(2);
        }
        std::vector<fs::path> candidates;
        const std::size_t star = pattern.find('*');
        if (star == std::string_view::npos) {
            candidates.push_back(folder / std::string(pattern));
        } else {
            // "packages/*" and "packages/**": the folders under the part before the star.
            const fs::path base = folder / std::string(pattern.substr(0, star));
            for (const auto& name : m_view->names_in(base)) {
                candidates.push_back(base / name);
            }
        }
        for (const auto& candidate : candidates) {
            const fs::path file = candidate / "package.json";
            if (!m_view->is_file(file)) {
                continue;
            }
            const std::string file_shown = shown(file);
            auto text = read_text(*m_view, file, file_shown);
            if (!text) {
                return text.error();
            }
            auto package = parse_package_json(*text, file_shown);
            if (!package) {
                return package.error();
            }
            if (package->name) {
                m_node_packages.insert(*package->name);
            }
        }
    }
    return true;
}

core::Result<bool> ImportProject::read_python_manifests(const fs::path& folder,
                                                        const std::vector<std::string>& names,
                                                        Manifests& manifests)
{
    std::vector<std::string> requirements;
    for (const auto& name : names) {
        if (is_requirements_name(name)) {
            requirements.push_back(name);
        }
    }
    // requirements.txt first: findings name the file a user edits first.
    std::stable_partition(requirements.begin(), requirements.end(), [](const auto& name) {
        return name == "requirements.txt";
    });
    if (has(names, "requirements")) {
        for (const auto& name : m_view->names_in(folder / "requirements")) {
            if (name.ends_with(".txt")) {
                requirements.push_back("requirements/" + name);
            }
        }
    }
    for (const auto& name : requirements) {
        const std::string file_shown = shown(folder / name);
        auto manifest = read_requirements(folder / name, file_shown, *m_view);
        if (!manifest) {
            return manifest.error();
        }
        m_declared.push_back(declared_python_packages(file_shown, *manifest));
        manifests.python.push_back(m_declared.back().get());
    }
    using Parser = core::Result<PythonManifest> (*)(std::string_view, const std::string&);
    const std::pair<const char*, Parser> parsers[] = {
        {"pyproject.toml", parse_pyproject},
        {"setup.cfg", parse_setup_cfg},
        {"Pipfile", parse_pipfile},
        {"setup.py", read_setup_py},
    };
    for (const auto& [name, parse] : parsers) {
        if (!has(names, name)) {
            continue;
        }
        const std::string file_shown = shown(folder / name);
        auto text = read_text(*m_view, folder / name, file_shown);
        if (!text) {
            return text.error();
        }
        auto manifest = parse(*text, file_shown);
        if (!manifest) {
            return manifest.error();
        }
        if (auto read = read_named_files(*m_view, folder, file_shown, *manifest); !read) {
            return read.error();
        }
        m_declared.push_back(declared_python_packages(file_shown, *manifest));
        manifests.python.push_back(m_declared.back().get());
    }
    return true;
}

core::Result<bool> ImportProject::read_package_json(const fs::path& folder, Manifests& manifests)
{
    const std::string file_shown = shown(folder / "package.json");
    auto text = read_text(*m_view, folder / "package.json", file_shown);
    if (!text) {
        return text.error();
    }
    auto package = parse_package_json(*text, file_shown);
    if (!package) {
        return package.error();
    }
    auto declared = std::make_unique<DeclaredPackages>();
    declared->shown = file_shown;
    declared->names.insert(package->dependencies.begin(), package->dependencies.end());
    if (package->name) {
        m_node_packages.insert(*package->name);
    }
    manifests.node = declared.get();
    m_declared.push_back(std::move(declared));
    if (auto read = read_node_workspaces(folder, package->workspaces); !read) {
        return read.error();
    }
    return true;
}

core::Result<bool> ImportProject::read_go_mod(const fs::path& folder, Manifests& manifests)
{
    const std::string file_shown = shown(folder / "go.mod");
    auto text = read_text(*m_view, folder / "go.mod", file_shown);
    if (!text) {
        return text.error();
    }
    auto mod = parse_go_mod(*text, file_shown);
    if (!mod) {
        return mod.error();
    }
    auto declared = std::make_unique<DeclaredPackages>();
    declared->shown = file_shown;
    declared->names.insert(mod->required.begin(), mod->required.end());
    manifests.go = declared.get();
    manifests.go_module = mod->module;
    m_go_modules.insert(mod->module);
    m_declared.push_back(std::move(declared));
    return true;
}

core::Result<bool> ImportProject::read_folder(const fs::path& folder, unsigned kinds)
{
    auto& slot = m_manifests[folder.generic_string()];
    if (!slot) {
        slot = std::make_unique<Manifests>();
    }
    Manifests& manifests = *slot;
    kinds &= ~manifests.read;
    if (kinds == 0) {
        return true;
    }
    manifests.read |= kinds;
    const std::vector<std::string> names = m_view->names_in(folder);

    if ((kinds & k_python) != 0) {
        if (auto read = read_python_manifests(folder, names, manifests); !read) {
            return read.error();
        }
    }
    if ((kinds & k_node) != 0 && has(names, "package.json")) {
        if (auto read = read_package_json(folder, manifests); !read) {
            return read.error();
        }
    }
    if ((kinds & k_node) != 0) {
        for (const char* name : {"tsconfig.json", "jsconfig.json"}) {
            if (has(names, name) && !manifests.script_config) {
                read_script_config(folder, name, manifests);
            }
        }
    }

    if ((kinds & k_go) != 0 && has(names, "go.mod")) {
        if (auto read = read_go_mod(folder, manifests); !read) {
            return read.error();
        }
    }

    if ((kinds & k_java) != 0) {
        manifests.java_build_file =
            std::any_of(std::begin(k_java_build_files),
                        std::end(k_java_build_files),
                        [&](std::string_view name) { return has(names, name); });
    }
    return true;
}

// A compiler configuration is not a manifest: one this reader cannot parse costs only
// its aliases, with a warning. TypeScript reads it as JSONC (comments, trailing commas).
void ImportProject::read_script_config(const fs::path& folder,
                                       const char* name,
                                       Manifests& manifests)
{
    const std::string file_shown = shown(folder / name);
    auto text = m_view->read(folder / name);
    if (!text) {
        core::log::warn("{}: cannot read: {}", file_shown, text.error().message());
        return;
    }
    nlohmann::json config;
    try {
        config = parse_json_text(*text, /*jsonc=*/true);
    } catch (const nlohmann::json::parse_error& error) {
        const JsonError failure = describe_json_error(error, *text);
        const core::TextPosition at = core::LineIndex(*text).position(failure.offset);
        core::log::warn("{}:{}:{}: invalid JSON, so its path aliases are not used: {}",
                        file_shown,
                        at.line,
                        at.column,
                        failure.reason);
        return;
    }
    manifests.script_config = true;
    const auto options = config.find("compilerOptions");
    if (options == config.end() || !options->is_object()) {
        return;
    }
    if (const auto paths = options->find("paths"); paths != options->end() && paths->is_object()) {
        for (const auto& [pattern, targets] : paths->items()) {
            const std::size_t star = pattern.find('*');
            manifests.script_aliases.push_back(star == std::string::npos ? pattern
                                                                         : pattern.substr(0, star));
        }
    }
    if (const auto base = options->find("baseUrl"); base != options->end() && base->is_string()) {
        for (const auto& entry : m_view->names_in(folder / base->get<std::string>())) {
            manifests.script_base_names.insert(script_stem(entry));
        }
    }
}

void ImportProject::add_python_file(const source::WorkspaceFile& file)
{
    const bool inside = !fs::path(file.path).is_absolute();
    if (!inside) {
        const fs::path location(file.location);
        const std::string name = strip_extension(location.filename().string());
        m_python_children[folder_key(location.parent_path())].insert(name);
        return;
    }
    const std::vector<std::string> parts = core::split(file.path, '/');
    std::string folder = m_root.generic_string();
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const bool last = i + 1 == parts.size();
        m_python_children[folder].insert(last ? strip_extension(parts[i]) : parts[i]);
        folder += folder.ends_with('/') ? parts[i] : "/" + parts[i];
    }
    m_python_roots.insert(parts.size() == 1 ? strip_extension(parts[0]) : parts[0]);
    if (parts.size() >= 2 && parts[0] == "src") {
        m_python_roots.insert(parts.size() == 2 ? strip_extension(parts[1]) : parts[1]);
    }
    if (parts.back() == "__init__.py") {
        m_python_packages.insert(folder_key(fs::path(file.location).parent_path()));
    }
}

void ImportProject::add_java_file(const source::WorkspaceFile& file)
{
    auto text = source::read_workspace_file(file);
    if (!text) {
        return; // the file is reported unreadable when it is checked
    }
    if (auto package = java_package(*text)) {
        // The source root the file's package path hangs from (src/main/java for
        // src/main/java/com/acme/api/A.java in package com.acme.api).
        fs::path folder = fs::path(file.location).parent_path();
        const std::vector<std::string> parts = core::split(*package, '.');
        bool laid_out = !parts.empty();
        for (auto part = parts.rbegin(); part != parts.rend() && laid_out; ++part) {
            laid_out = folder.filename() == *part;
            folder = folder.parent_path();
        }
        if (laid_out) {
            m_java_roots.insert(folder_key(folder));
        }
        m_java_packages.insert(std::move(*package));
    }
}

core::Result<std::unique_ptr<ImportProject>> ImportProject::load(const source::Workspace& workspace)
{
    auto project = std::make_unique<ImportProject>();
    project->m_view = workspace.view.get();
    project->m_root = fs::path(folder_key(workspace.root));
    const std::string root = project->m_root.generic_string();

    std::map<std::string, unsigned> folders; // sorted: manifests are read in a stable order
    for (const auto& file : workspace.files) {
        const unsigned kinds = kinds_of(file);
        if (kinds == 0) {
            continue;
        }
        folders[folder_key(fs::path(file.location).parent_path())] |= kinds;
    }
    // The project's own modules are all its files, those a shard or --diff left out
    // too: importing an unchanged sibling module is no undeclared import.
    for (const auto* files : {&workspace.files, &workspace.unselected}) {
        for (const auto& file : *files) {
            if (file.language == source::Language::python) {
                project->add_python_file(file);
            } else if (file.language == source::Language::java) {
                project->add_java_file(file);
            }
        }
    }
    for (const auto& package : project->m_python_packages) {
        const std::size_t slash = package.find_last_of('/');
        if (slash != std::string::npos
            && !project->m_python_packages.contains(package.substr(0, slash))) {
            project->m_python_roots.insert(package.substr(slash + 1));
        }
    }

    for (const auto& [folder, kinds] : folders) {
        ImportFolder resolved;
        for (const auto& ancestor : folder_chain(folder, root)) {
            if (auto read = project->read_folder(fs::path(ancestor), kinds); !read) {
                return read.error();
            }
            const Manifests& manifests = *project->m_manifests[ancestor];
            resolved.python.insert(
                resolved.python.end(), manifests.python.begin(), manifests.python.end());
            if (manifests.node != nullptr) {
                resolved.node.push_back(manifests.node);
            }
            if (resolved.script_aliases == nullptr && manifests.script_config) {
                resolved.script_aliases = &manifests.script_aliases;
                resolved.script_base_names = &manifests.script_base_names;
            }
            if (resolved.go == nullptr && manifests.go != nullptr) {
                resolved.go = manifests.go;
                resolved.go_module = manifests.go_module;
                resolved.go_root = fs::path(ancestor);
            }
            resolved.java_build_file |= manifests.java_build_file;
            if (auto children = project->m_python_children.find(ancestor);
                children != project->m_python_children.end()) {
                resolved.python_modules.push_back(&children->second);
            }
        }
        project->m_folders.emplace(folder, std::move(resolved));
    }
    return project;
}

const ImportFolder& ImportProject::folder_of(const fs::path& location) const
{
    static const ImportFolder k_empty;
    const auto found = m_folders.find(folder_key(location.parent_path()));
    return found == m_folders.end() ? k_empty : found->second;
}

bool ImportProject::java_own(std::string_view name) const
{
    return java_import_in(name, [this](std::string_view package) {
        return m_java_packages.contains(package) || java_package_on_disk(package);
    });
}

// A package of the project that the walk left out: a folder under a source root, by
// its package path, that holds a Java file.
bool ImportProject::java_package_on_disk(std::string_view package) const
{
    std::string relative(package);
    std::replace(relative.begin(), relative.end(), '.', '/');
    for (const auto& root : m_java_roots) {
        std::error_code ec;
        for (fs::directory_iterator it(fs::path(root) / relative, ec), end; !ec && it != end;
             it.increment(ec)) {
            if (it->path().extension() == ".java") {
                return true;
            }
        }
    }
    return false;
}

} // namespace aiops::validate
