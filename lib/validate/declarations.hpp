#pragma once

#include "source/language.hpp"
#include "source/syntax_tree.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace aiops::validate {

/// A parameter as the code declares it.
struct DeclaredParameter
{
    std::string name; ///< with "*" or "**" for Python's and "..." for rest parameters
    std::string type; ///< the annotation's text; empty when there is none
    std::optional<std::string> default_value;
    std::size_t start_byte = 0; ///< the parameter in the code
    std::size_t end_byte = 0;
};

/// A function or method the code defines.
struct DeclaredFunction
{
    std::string name;
    std::vector<DeclaredParameter> parameters;
    std::string returns;
    std::size_t returns_start = 0; ///< the return type, when there is one
    std::size_t returns_end = 0;
    std::size_t start_byte = 0; ///< the whole definition
    std::size_t end_byte = 0;
    std::size_t parameters_start = 0; ///< the parameter list
    std::size_t parameters_end = 0;
};

/// A class (Go: a named type; its methods are those declared with its receiver).
struct DeclaredClass
{
    std::string name;
    std::vector<DeclaredFunction> methods;
    std::size_t start_byte = 0;
    std::size_t end_byte = 0;
};

/// A route registered for an HTTP handler: a decorator (Flask, FastAPI), a call
/// (Express, net/http, chi, gin).
struct DeclaredRoute
{
    std::string method; ///< upper case; empty: any method
    std::string path;   ///< as written: "/users/<int:id>", "/users/:id"; may be ""
    std::size_t start_byte = 0;
    std::size_t end_byte = 0;
    /// What the route is registered on, as the file names it ("app", "v1",
    /// "users.router"); its prefixes come from there. Empty: no router of its own.
    std::string router;
};

/// A router made with a prefix of its own: Flask's Blueprint(url_prefix=...),
/// FastAPI's APIRouter(prefix=...), gin's `v1 := r.Group("/v1")`, the router a chi
/// `r.Route("/v1", func(r chi.Router) {...})` hands its function.
struct DeclaredRouter
{
    std::string name;
    std::string prefix;
    std::string parent; ///< the router it hangs from, in the same file; empty: none
};

/// A router mounted under another: Express's `app.use("/v1", router)`, Flask's
/// `app.register_blueprint(bp, url_prefix=...)`, FastAPI's `app.include_router(r,
/// prefix=...)`, chi's `r.Mount("/v1", sub)`.
struct DeclaredMount
{
    std::string parent;
    std::string prefix;
    std::string child;
    /// Flask: a url_prefix given at registration replaces the blueprint's own.
    bool replaces_prefix = false;
};

/// A name bound to something another module exports: `import users from "./users"`
/// is {"users", "./users", "default"}; `from .users import bp as users_bp` is
/// {"users_bp", ".users", "bp"}; `import app.users as users` is {"users", "app.users",
/// ""}, the module itself.
struct DeclaredImport
{
    std::string local;
    std::string module;
    std::string name;
};

/// A name a JavaScript module exports: `export default router` and `module.exports =
/// router` are {"default", "router"}. (Python exports every top-level name.)
struct DeclaredExport
{
    std::string name;
    std::string local;
};

/// What one file defines at its top level, plus its routes.
struct Declarations
{
    std::vector<DeclaredFunction> functions;
    std::vector<DeclaredClass> classes;
    std::vector<DeclaredRoute> routes;
    /// Every function and method defined anywhere in the file, nested ones too (a
    /// handler inside an application factory): what an operationId may name.
    std::vector<std::string> handler_names;
    /// How the file's routers hang together, and what it imports and exports: where
    /// the prefixes of its routes come from.
    std::vector<DeclaredRouter> routers;
    std::vector<DeclaredMount> mounts;
    std::vector<DeclaredImport> imports;
    std::vector<DeclaredExport> exports;
};

/// Whether read_declarations understands the language.
bool declarations_supported(source::Language language);

/// Reads the top-level functions, the classes with their methods and the HTTP routes
/// of a tree of Python, JavaScript, TypeScript, Go or Java code; other languages give
/// nothing. Java's methods of any class also count as functions of the file.
Declarations read_declarations(const source::SyntaxTree& tree);

/// Collapses white space in a type and drops it next to punctuation, so
/// "Dict[str,  int]" and "Dict[str, int]" compare equal; quotes around a whole
/// Python forward reference are dropped too.
std::string normalise_type(std::string_view type);

/// A route or spec path with its parameters made alike: "/users/{id}", "/users/:id"
/// and "/users/<int:id>" all give "/users/{}"; a final '/' is dropped.
std::string normalise_route(std::string_view path);

} // namespace aiops::validate
