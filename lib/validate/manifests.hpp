#pragma once

#include "core/error.hpp"
#include "source/workspace.hpp"
#include "validate/import_tables.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::validate {

// The readers of the files in which projects declare their dependencies. Each fails
// with ErrorCode::input and a message "shown:line:column: what is wrong", where shown
// is the file's name as reports give it.

/// A Python package name after PEP 503 normalisation: lowercase, each run of '-', '_'
/// and '.' one '-'.
std::string normalise_python_name(std::string_view name);

/// The distribution name a PEP 508 requirement starts with ("requests" for
/// "requests[socks]>=2.31; python_version < '3.13'"), once the whole requirement is
/// found well-formed: extras, PEP 440 versions after known operators, a URL after '@',
/// and a marker. Fails with a message and sets error_offset to the byte where the
/// requirement stops making sense.
core::Result<std::string> requirement_name(std::string_view requirement, std::size_t& error_offset);

/// Checks a PEP 440 version specifier set such as requires-python's ">=3.10,<4"; an
/// empty one allows every version. Fails like requirement_name.
core::Result<bool> check_version_specifiers(std::string_view specifiers, std::size_t& error_offset);

/// Checks a Poetry version constraint: alternatives joined by "||", each of clauses
/// joined by ',' or white space, a clause being an optional operator (==, !=, >=, <=,
/// >, <, ~=, ^, ~, ===) and a version ("3.10", "2.*"), or "*". Fails like
/// requirement_name.
core::Result<bool> check_poetry_constraint(std::string_view constraint, std::size_t& error_offset);

/// The lowest Python 3 version a constraint allows, a PEP 440 specifier set or a Poetry
/// constraint: the lowest minor version one of whose releases satisfies every clause
/// of one alternative ("!=3.8.*,>=3.8" gives 3.9, ">3.8" gives 3.8 as 3.8.1 satisfies
/// it, "<3.10" gives 3.0, "^3.10 || ^3.8" gives 3.8). nullopt when it allows every
/// version or no Python 3 at all.
std::optional<PythonVersion> lowest_python(std::string_view specifier);

/// A requirements file a manifest names, relative to the manifest's folder, with the
/// line and column where it is named.
struct NamedRequirementsFile
{
    std::string path;
    int line = 1;
    int column = 1;
};

/// What one Python manifest declares.
struct PythonManifest
{
    std::vector<std::string> packages; ///< as written
    /// Files whose requirements the manifest's dependencies are (setuptools' dynamic
    /// dependencies, setup.cfg's "file:"); the caller reads them.
    std::vector<NamedRequirementsFile> requirement_files;
    std::optional<std::string> project_name;
    /// The Python versions the project supports, as a specifier (">=3.10").
    std::optional<std::string> requires_python;
};

/// Reads a requirements file and the files its `-r` lines include (relative to the
/// file that includes them), through a view (the index under --staged). Fails with
/// ErrorCode::io when a file cannot be read.
core::Result<PythonManifest> read_requirements(const std::filesystem::path& file,
                                               const std::string& shown,
                                               const source::FileView& view = *source::disk_view());

/// The requirements of a requirements file's text; `-r` includes are read from folder.
core::Result<PythonManifest>
parse_requirements(std::string_view text,
                   const std::string& shown,
                   const std::filesystem::path& folder,
                   const source::FileView& view = *source::disk_view());

/// pyproject.toml: PEP 621 [project] (dependencies, optional-dependencies, name,
/// requires-python), PEP 735 [dependency-groups], [build-system] requires,
/// Poetry's [tool.poetry] dependencies, dev-dependencies and groups, and the files
/// of [tool.setuptools.dynamic] dependencies and optional-dependencies.
core::Result<PythonManifest> parse_pyproject(std::string_view text, const std::string& shown);

/// setup.cfg: [metadata] name, [options] install_requires, setup_requires,
/// tests_require and python_requires, and [options.extras_require]; a list value
/// "file: requirements.txt" names files instead.
core::Result<PythonManifest> parse_setup_cfg(std::string_view text, const std::string& shown);

/// Pipfile: [packages], [dev-packages] and [requires] python_version.
core::Result<PythonManifest> parse_pipfile(std::string_view text, const std::string& shown);

/// What a package.json declares.
struct PackageJson
{
    std::optional<std::string> name;
    /// dependencies, devDependencies, peerDependencies, optionalDependencies and
    /// bundleDependencies together.
    std::vector<std::string> dependencies;
    std::vector<std::string> workspaces; ///< glob patterns, as written
};

core::Result<PackageJson> parse_package_json(std::string_view text, const std::string& shown);

/// What a go.mod declares.
struct GoMod
{
    std::string module;
    /// The module paths of require lines, and the left side of replace lines.
    std::vector<std::string> required;
};

core::Result<GoMod> parse_go_mod(std::string_view text, const std::string& shown);

} // namespace aiops::validate
