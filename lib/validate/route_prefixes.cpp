#include "validate/route_prefixes.hpp"

#include <algorithm>
#include <filesystem>

namespace aiops::validate {

namespace {

// How deep imports and router chains are followed: far more than real code needs, and
// a bound on what a cycle of imports could cost.
constexpr int k_deepest = 16;
// How many prefixes a router keeps: a router mounted in many places is rare.
constexpr std::size_t k_most_prefixes = 32;

constexpr std::string_view k_script_extensions[] = {
    ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"};

bool is_script(source::Language language)
{
    return language == source::Language::javascript || language == source::Language::typescript
           || language == source::Language::tsx;
}

std::string folder_of(const std::string& path)
{
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string normal_path(const std::string& path)
{
    return std::filesystem::path(path).lexically_normal().generic_string();
}

} // namespace

std::string join_route(const std::string& prefix, const std::string& path)
{
    if (path.empty()) {
        return prefix;
    }
    if (prefix.empty()) {
        return path;
    }
    std::string joined = prefix;
    while (!joined.empty() && joined.back() == '/') {
        joined.pop_back();
    }
    return joined + (path.front() == '/' ? "" : "/") + path;
}

RoutePrefixes::RoutePrefixes(const std::vector<RouteFile>& files) : m_files(files)
{
    for (std::size_t i = 0; i < files.size(); ++i) {
        m_by_path.emplace(files[i].path, i);
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
        for (const DeclaredMount& mount : files[i].mounts) {
            m_mounts[canonical(i, mount.child)].emplace_back(i, &mount);
        }
    }
}

std::optional<std::size_t> RoutePrefixes::script_module(std::size_t from,
                                                        const std::string& module) const
{
    if (!module.starts_with("./") && !module.starts_with("../")) {
        return std::nullopt; // a package, not a file of the project
    }
    const std::string folder = folder_of(m_files[from].path);
    const std::string base = normal_path(folder.empty() ? module : folder + "/" + module);
    std::vector<std::string> candidates{base};
    // TypeScript imports "./users.js" for the file users.ts.
    std::string stem = base;
    for (const std::string_view extension : {".js", ".jsx", ".mjs", ".cjs"}) {
        if (stem.ends_with(extension)) {
            stem.resize(stem.size() - extension.size());
            break;
        }
    }
    for (const std::string_view extension : k_script_extensions) {
        candidates.push_back(stem + std::string(extension));
    }
    for (const std::string_view extension : k_script_extensions) {
        candidates.push_back(base + "/index" + std::string(extension));
    }
    for (const auto& candidate : candidates) {
        if (const auto found = m_by_path.find(candidate); found != m_by_path.end()) {
            return found->second;
        }
    }
    return std::nullopt;
}

std::optional<std::size_t> RoutePrefixes::python_module(std::size_t from,
                                                        const std::string& module) const
{
    std::size_t dots = 0;
    while (dots < module.size() && module[dots] == '.') {
        ++dots;
    }
    std::string relative = module.substr(dots);
    std::replace(relative.begin(), relative.end(), '.', '/');
    const auto lookup = [&](const std::string& stem) -> std::optional<std::size_t> {
        for (const std::string& candidate : {stem + ".py", stem + "/__init__.py"}) {
            if (const auto found = m_by_path.find(normal_path(candidate));
                found != m_by_path.end()) {
                return found->second;
            }
        }
        return std::nullopt;
    };
    if (dots > 0) {
        std::string folder = folder_of(m_files[from].path);
        for (std::size_t up = 1; up < dots; ++up) {
            folder = folder_of(folder);
        }
        return lookup(folder.empty() ? relative : folder + "/" + relative);
    }
    // An absolute module: a file whose path ends with the module's.
    for (const auto& [path, index] : m_by_path) {
        for (const std::string& ending : {relative + ".py", relative + "/__init__.py"}) {
            if (path == ending || path.ends_with("/" + ending)) {
                return index;
            }
        }
    }
    return std::nullopt;
}

std::optional<std::size_t> RoutePrefixes::module_file(std::size_t from,
                                                      const std::string& module) const
{
    // Files of one folder resolve a module alike: each is looked up once.
    const bool script = is_script(m_files[from].language);
    std::string key = (script ? "js:" : "py:") + folder_of(m_files[from].path) + "|" + module;
    if (const auto known = m_modules.find(key); known != m_modules.end()) {
        return known->second;
    }
    const auto found = script ? script_module(from, module) : python_module(from, module);
    m_modules.emplace(std::move(key), found);
    return found;
}

// What a name a module exports is called inside the module. Python exports its
// top-level names as they are.
std::string RoutePrefixes::exported_local(std::size_t file, const std::string& name) const
{
    for (const DeclaredExport& exported : m_files[file].exports) {
        if (exported.name == name) {
            return exported.local;
        }
    }
    return name;
}

// The router a name of a file stands for, through imports: `customers` imported from
// "./customers" is the router that file exports; `users.router` is the `router` of the
// module imported as `users`. A module itself is a router without a name.
RoutePrefixes::Router
RoutePrefixes::canonical(std::size_t file, const std::string& name, int depth) const
{
    if (depth > k_deepest) {
        return {file, name};
    }
    const RouteFile& here = m_files[file];
    for (const DeclaredImport& imported : here.imports) {
        if (imported.local != name) {
            continue;
        }
        // Python: `from app import users` may name the module app/users.py.
        if (!imported.name.empty() && !is_script(here.language)) {
            const char* dot = imported.module.ends_with('.') ? "" : ".";
            if (const auto module = module_file(file, imported.module + dot + imported.name)) {
                return {*module, ""};
            }
        }
        const auto module = module_file(file, imported.module);
        if (!module) {
            return {file, name};
        }
        if (imported.name.empty()) {
            return {*module, ""};
        }
        return canonical(*module, exported_local(*module, imported.name), depth + 1);
    }
    // A member of an imported module (or of the object a CommonJS module exports): the
    // longest prefix of the name that stands for one.
    for (std::size_t dot = name.rfind('.'); dot != std::string::npos && dot > 0;
         dot = name.rfind('.', dot - 1)) {
        const Router owner = canonical(file, name.substr(0, dot), depth + 1);
        if (owner.name.empty() || (owner.file != file && owner.name == "default")) {
            return canonical(
                owner.file, exported_local(owner.file, name.substr(dot + 1)), depth + 1);
        }
    }
    return {file, name};
}

const std::vector<std::string>& RoutePrefixes::prefixes(const Router& router) const
{
    if (const auto known = m_prefixes.find(router); known != m_prefixes.end()) {
        return known->second;
    }
    static const std::vector<std::string> k_root{""};
    if (router.name.empty() || !m_resolving.insert(router).second) {
        return k_root; // a module, or a cycle of mounts
    }
    std::string own;
    std::string parent;
    for (const DeclaredRouter& declared : m_files[router.file].routers) {
        if (declared.name == router.name) {
            own = declared.prefix;
            parent = declared.parent;
        }
    }
    std::vector<std::string> found;
    const auto add = [&](const std::string& prefix) {
        if (found.size() < k_most_prefixes
            && std::find(found.begin(), found.end(), prefix) == found.end()) {
            found.push_back(prefix);
        }
    };
    if (!parent.empty()) {
        for (const auto& above : prefixes(canonical(router.file, parent))) {
            add(join_route(above, own));
        }
    }
    if (const auto mounts = m_mounts.find(router); mounts != m_mounts.end()) {
        for (const auto& [file, mount] : mounts->second) {
            const std::string below = join_route(mount->prefix, mount->replaces_prefix ? "" : own);
            for (const auto& above : prefixes(canonical(file, mount->parent))) {
                add(join_route(above, below));
            }
        }
    }
    if (found.empty()) {
        found.push_back(own);
    }
    m_resolving.erase(router);
    return m_prefixes.emplace(router, std::move(found)).first->second;
}

std::vector<std::string> RoutePrefixes::full_paths(std::size_t file,
                                                   const DeclaredRoute& route) const
{
    std::vector<std::string> paths;
    const std::vector<std::string>& under = route.router.empty()
                                                ? std::vector<std::string>{""}
                                                : prefixes(canonical(file, route.router));
    for (const auto& prefix : under) {
        std::string path = join_route(prefix, route.path);
        paths.push_back(path.empty() ? "/" : path);
    }
    return paths;
}

} // namespace aiops::validate
