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
    std::string path;   ///< as written: "/users/<int:id>", "/users/:id"
    std::size_t start_byte = 0;
    std::size_t end_byte = 0;
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
