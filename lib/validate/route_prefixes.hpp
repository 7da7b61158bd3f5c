#pragma once

// The paths HTTP routes really serve: a route registered on a router serves its path
// under every prefix the router gets, from the router itself (a Flask blueprint's
// url_prefix, a FastAPI APIRouter's prefix, a gin group) and from where it is mounted
// (Express's app.use("/v1", router), register_blueprint, include_router, chi's Mount
// and Route), also when the router is imported from another file of the project.

#include "source/language.hpp"
#include "validate/declarations.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace aiops::validate {

/// The routes of one file, with what decides their prefixes.
struct RouteFile
{
    std::string path; ///< '/'-separated, relative to the folder the spec's paths are
    source::Language language = source::Language::python;
    std::vector<DeclaredRoute> routes;
    std::vector<DeclaredRouter> routers;
    std::vector<DeclaredMount> mounts;
    std::vector<DeclaredImport> imports;
    std::vector<DeclaredExport> exports;
};

/// Resolves the prefixes of the routers of a set of files. What it cannot follow (a
/// router a function returns, a module outside the files, a path computed at run time)
/// adds no prefix.
class RoutePrefixes
{
public:
    explicit RoutePrefixes(const std::vector<RouteFile>& files);

    /// The paths a route of files[file] serves: its path under each prefix of its router.
    std::vector<std::string> full_paths(std::size_t file, const DeclaredRoute& route) const;

private:
    /// A router: a name as one file defines it.
    struct Router
    {
        std::size_t file = 0;
        std::string name;

        auto operator<=>(const Router&) const = default;
    };

    const std::vector<RouteFile>& m_files;
    std::map<std::string, std::size_t> m_by_path;
    /// Where each router is mounted: the file and the mount.
    std::map<Router, std::vector<std::pair<std::size_t, const DeclaredMount*>>> m_mounts;
    mutable std::map<Router, std::vector<std::string>> m_prefixes;
    mutable std::map<std::string, std::optional<std::size_t>> m_modules; ///< by folder and name
    mutable std::set<Router> m_resolving;

    std::optional<std::size_t> module_file(std::size_t from, const std::string& module) const;
    std::optional<std::size_t> script_module(std::size_t from, const std::string& module) const;
    std::optional<std::size_t> python_module(std::size_t from, const std::string& module) const;
    std::string exported_local(std::size_t file, const std::string& name) const;
    Router canonical(std::size_t file, const std::string& name, int depth = 0) const;
    const std::vector<std::string>& prefixes(const Router& router) const;
};

/// A prefix and a path joined with one '/' between them ("/v1/" and "/users" give
/// "/v1/users"; "/api" and "" give "/api").
std::string join_route(const std::string& prefix, const std::string& path);

} // namespace aiops::validate
