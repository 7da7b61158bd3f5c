#pragma once

#include "core/error.hpp"
#include "source/workspace.hpp"
#include "validate/import_tables.hpp"
#include "validate/manifests.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::validate {

/// The dependencies one manifest file declares, ready to be searched.
struct DeclaredPackages
{
    std::string shown; ///< the file as reports name it ("services/api/pyproject.toml")
    /// Python: PEP 503 names, plus each name without a "python-"/"py-" prefix or a
    /// "-python"/"-py" suffix (python-dateutil also declares "dateutil"). Node.js and
    /// Go: the names as written.
    StringSet names;
    std::optional<PythonVersion> lowest_python; ///< from requires-python and the like
};

/// What the imports of the files of one folder are checked against.
struct ImportFolder
{
    /// Python manifests of the folder and its ancestors, nearest first (requirements
    /// files before pyproject.toml, setup.cfg and Pipfile within a folder).
    std::vector<const DeclaredPackages*> python;
    /// The package.json of the folder and of its ancestors, nearest first.
    std::vector<const DeclaredPackages*> node;
    /// From the nearest tsconfig.json or jsconfig.json: the prefixes its `paths`
    /// map ("@app/" for "@app/*", or a whole specifier), and the names of the files
    /// and folders in its `baseUrl` folder, without extensions: specifiers that
    /// start with one of them are the project's own.
    const std::vector<std::string>* script_aliases = nullptr;
    const StringSet* script_base_names = nullptr;
    /// The nearest go.mod: its module path in `module`, required modules in names.
    const DeclaredPackages* go = nullptr;
    std::string go_module;
    std::filesystem::path go_root; ///< the folder of that go.mod
    /// The names a Python file of this folder can import from the project: the modules
    /// and packages of the folder and of each ancestor up to the root.
    std::vector<const StringSet*> python_modules;
    /// A Maven, Gradle, Ant or Bazel build file in the folder or an ancestor.
    bool java_build_file = false;
};

/// The project as the imports check sees it: manifests per folder, and the modules
/// and packages the project defines itself.
class ImportProject
{
public:
    ImportProject();
    ~ImportProject();

    /// Reads the manifests of the folders holding the workspace's files and of their
    /// ancestors up to the root, through the workspace's view (under --staged, the
    /// index). Fails with ErrorCode::input for a malformed manifest
    /// and ErrorCode::io for one that cannot be read.
    static core::Result<std::unique_ptr<ImportProject>> load(const source::Workspace& workspace);

    /// The folder of a file (by its location); an empty folder when it was not walked.
    const ImportFolder& folder_of(const std::filesystem::path& location) const;

    /// Top-level Python modules defined anywhere in the project: each root-level
    /// module or package, those under src/, and each package root (a folder with
    /// __init__.py whose parent has none).
    const StringSet& python_roots() const { return m_python_roots; }

    /// The names of every package.json of the project and of its workspaces.
    const StringSet& node_packages() const { return m_node_packages; }

    /// The module paths of every go.mod read: in a go.work workspace, a module may
    /// import another without requiring it.
    const StringSet& go_modules() const { return m_go_modules; }

    /// Whether a Java import ("com.acme.util.Strings") names a class of a package the
    /// project's own files declare, or of a package folder with Java files under the
    /// source root of one of them (a package the walk left out).
    bool java_own(std::string_view name) const;

private:
    struct Manifests; // what one folder holds

    core::Result<bool> read_folder(const std::filesystem::path& folder, unsigned kinds);
    core::Result<bool> read_python_manifests(const std::filesystem::path& folder,
                                             const std::vector<std::string>& names,
                                             Manifests& manifests);
    core::Result<bool> read_package_json(const std::filesystem::path& folder, Manifests& manifests);
    core::Result<bool> read_go_mod(const std::filesystem::path& folder, Manifests& manifests);
    void
    read_script_config(const std::filesystem::path& folder, const char* name, Manifests& manifests);
    core::Result<bool> read_node_workspaces(const std::filesystem::path& folder,
                                            const std::vector<std::string>& patterns);
    void add_python_file(const source::WorkspaceFile& file);
    void add_java_file(const source::WorkspaceFile& file);
    std::string shown(const std::filesystem::path& file) const;

    const source::FileView* m_view = nullptr; ///< where manifests are read from
    std::filesystem::path m_root;
    std::vector<std::unique_ptr<DeclaredPackages>> m_declared;
    StringMap<std::unique_ptr<Manifests>> m_manifests; ///< by folder
    StringMap<ImportFolder> m_folders;                 ///< by folder
    StringMap<StringSet> m_python_children;            ///< module names by folder
    StringSet m_python_roots;
    StringSet m_python_packages; ///< folders with __init__.py
    StringSet m_node_packages;
    StringSet m_go_modules;
    StringSet m_java_packages;
    StringSet m_java_roots; ///< folders the package paths of Java files hang from

    bool java_package_on_disk(std::string_view package) const;
};

/// The Python names a manifest declares, with the prefixes and suffixes that
/// distribution names add to import names removed.
std::unique_ptr<DeclaredPackages> declared_python_packages(std::string shown,
                                                           const PythonManifest& manifest);

/// Whether a file (a '/'-separated path) is one the imports check reads for declared
/// dependencies or module aliases: requirements*.txt and requirements/*.txt,
/// pyproject.toml, setup.cfg, setup.py, Pipfile, package.json, tsconfig.json,
/// jsconfig.json, go.mod, and the Java build files.
bool declares_dependencies(std::string_view path);

/// The key folders are found by: absolute, normalised, '/'-separated.
std::string folder_key(const std::filesystem::path& folder);

} // namespace aiops::validate
