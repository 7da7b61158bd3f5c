#include "printers.hpp"
#include "source/syntax_tree.hpp"
#include "spec/spec.hpp"
#include "test_support.hpp"
#include "validate/conformance_check.hpp"
#include "validate/declarations.hpp"
#include "validate/validate.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace core = aiops::core;
namespace fs = std::filesystem;
namespace source = aiops::source;
namespace spec = aiops::spec;
namespace test = aiops::test;
namespace validate = aiops::validate;

using source::Language;
using Strings = std::vector<std::string>;

namespace {

std::unique_ptr<validate::Check> conformance(std::string_view spec_text)
{
    auto loaded = spec::load_spec("spec.yaml", spec_text);
    if (!loaded) {
        FAIL_CHECK(loaded.error().message());
    }
    REQUIRE(loaded.ok());
    return validate::make_conformance_check(
        std::move(*loaded), "spec.yaml", std::string(spec_text), {"", fs::current_path()});
}

/// The messages of the findings the check reports for one file, in order.
Strings messages(const std::vector<std::unique_ptr<validate::Check>>& checks,
                 const std::string& path,
                 Language language,
                 std::string_view code)
{
    auto outcome = validate::check_text(checks, path, path, language, code);
    REQUIRE(outcome.ok());
    Strings out;
    for (const auto& finding : outcome->findings) {
        out.push_back(finding.rule_id + ": " + finding.message);
    }
    return out;
}

Strings check_one(std::string_view spec_text,
                  const std::string& path,
                  Language language,
                  std::string_view code)
{
    std::vector<std::unique_ptr<validate::Check>> checks;
    checks.push_back(conformance(spec_text));
    return messages(checks, path, language, code);
}

Strings finish_messages(validate::Check& check)
{
    Strings out;
    for (const auto& finding : check.finish()) {
        out.push_back(finding.rule_id + ": " + finding.message);
    }
    return out;
}

constexpr std::string_view k_python_spec = R"yaml(language: python
outputs: [users.py]
functions:
  - name: create_user
    parameters:
      - {name: name, type: str}
      - {name: email, type: str}
      - {name: role, type: str, default: "'user'"}
    returns: User
classes:
  - name: Store
    methods:
      - name: add
        parameters: [{name: user, type: User}]
      - name: load
        parameters: [{name: path, type: "list[str]"}]
)yaml";

constexpr std::string_view k_python_good = R"yaml(from typing import TYPE_CHECKING

def create_user(name: str, email: str, role: str = "user") -> User:
    return User(name, email, role)

class Store:
    def add(self, user: User) -> None:
        pass

    @classmethod
    def load(cls, path: list[ str ]):
        pass
)yaml";

} // namespace

TEST_SUITE("validate")
{
    TEST_CASE("validate: the conformance check in Python")
    {
        SUBCASE("code that matches the spec has no findings")
        {
            CHECK(check_one(k_python_spec, "users.py", Language::python, k_python_good).empty());
        }

        SUBCASE("a missing parameter is shown with both lists")
        {
            CHECK(check_one(k_python_spec,
                            "users.py",
                            Language::python,
                            "def create_user(name, email):\n    pass\n"
                            "class Store:\n    def add(self, user): pass\n"
                            "    def load(self, path): pass\n")
                  == Strings{"conformance.parameters: 'create_user' takes (name, email) but the "
                             "spec declares (name, email, role='user'); 'role' is missing"});
        }

        SUBCASE("a parameter that is there keeps its type check when another is missing")
        {
            constexpr std::string_view spec_text = R"yaml(language: python
outputs: [calc.py]
functions:
  - name: f
    parameters: [{name: a, type: int}, {name: b, type: str}]
    returns: int
)yaml";
            CHECK(check_one(
                      spec_text, "calc.py", Language::python, "def f(a: str) -> str:\n    pass\n")
                  == Strings{"conformance.parameters: 'f' takes (a) but the spec declares (a, b); "
                             "'b' is missing",
                             "conformance.types: parameter 'a' of 'f' is 'str' but the spec "
                             "declares 'int'",
                             "conformance.types: 'f' returns 'str' but the spec declares 'int'"});
            CHECK(check_one(spec_text,
                            "calc.py",
                            Language::python,
                            "def f(c, b: bytes, a: int) -> int:\n    pass\n")
                  == Strings{"conformance.parameters: 'f' takes (c, b, a) but the spec declares "
                             "(a, b); 'c' is not in the spec",
                             "conformance.types: parameter 'b' of 'f' is 'bytes' but the spec "
                             "declares 'str'"});
        }

        SUBCASE("a different default, order or a renamed parameter differs")
        {
            const Strings found = check_one(k_python_spec,
                                            "users.py",
                                            Language::python,
                                            "def create_user(name, email, role='admin'):\n"
                                            "    pass\n"
                                            "class Store:\n    def add(self, item): pass\n"
                                            "    def load(self, path): pass\n");
            CHECK(found
                  == Strings{"conformance.parameters: 'create_user' takes (name, email, "
                             "role='admin') but the spec declares (name, email, role='user')",
                             "conformance.parameters: 'Store.add' takes (item) but the spec "
                             "declares (user); 'user' is missing; 'item' is not in the spec"});
        }

        SUBCASE("a boolean or null default compares by its value in the language")
        {
            constexpr std::string_view typed = "language: python\noutputs: [users.py]\n"
                                               "functions:\n  - name: f\n    parameters:\n"
                                               "      - {name: a, default: false}\n"
                                               "      - {name: b, default: null}\n";
            CHECK(check_one(typed, "users.py", Language::python, "def f(a=False, b=None): pass\n")
                      .empty());
            CHECK(check_one(typed, "users.py", Language::python, "def f(a=True, b=None): pass\n")
                  == Strings{"conformance.parameters: 'f' takes (a=True, b=None) but the spec "
                             "declares (a=false, b=null)"});
            CHECK(check_one("language: typescript\noutputs: [u.ts]\nfunctions:\n  - name: f\n"
                            "    parameters: [{name: a, default: false}, {name: b, default: ~}]\n",
                            "u.ts",
                            Language::typescript,
                            "export function f(a = false, b = null) {}\n")
                      .empty());
        }

        SUBCASE("an annotation other than the declared type, and another return type")
        {
            const Strings found = check_one(k_python_spec,
                                            "users.py",
                                            Language::python,
                                            "def create_user(name: str, email: bytes, role='user')"
                                            " -> dict:\n    pass\n"
                                            "class Store:\n    def add(self, user): pass\n"
                                            "    def load(self, path: list[int]): pass\n");
            CHECK(found
                  == Strings{"conformance.types: parameter 'email' of 'create_user' is 'bytes' "
                             "but the spec declares 'str'",
                             "conformance.types: 'create_user' returns 'dict' but the spec "
                             "declares 'User'",
                             "conformance.types: parameter 'path' of 'Store.load' is 'list[int]' "
                             "but the spec declares 'list[str]'"});
        }

        SUBCASE("a missing function, class and method")
        {
            CHECK(check_one(k_python_spec, "users.py", Language::python, "def other():\n    pass\n")
                  == Strings{"conformance.missing-class: class 'Store' is not defined here; the "
                             "spec declares it in 'users.py'",
                             "conformance.missing-function: function 'create_user' is not "
                             "defined here; the spec declares it in 'users.py'"});
            CHECK(check_one(k_python_spec,
                            "users.py",
                            Language::python,
                            "def create_user(name, email, role='user'): pass\n"
                            "class Store:\n    def add(self, user): pass\n")
                  == Strings{"conformance.missing-method: class 'Store' has no method 'load', "
                             "which the spec declares"});
        }

        SUBCASE("a nested function of the same name does not count")
        {
            const Strings found = check_one(
                k_python_spec,
                "users.py",
                Language::python,
                "def outer():\n    def create_user(name, email, role='user'): pass\n"
                "class Store:\n    def add(self, user): pass\n    def load(self, path): pass\n");
            REQUIRE(found.size() == 1);
            CHECK(found[0].starts_with("conformance.missing-function: "));
        }

        SUBCASE("files the spec does not name are not checked")
        {
            CHECK(check_one(k_python_spec, "other.py", Language::python, "x = 1\n").empty());
        }
    }

    TEST_CASE("validate: the conformance check in JavaScript and TypeScript")
    {
        constexpr std::string_view spec_text = R"yaml(language: typescript
outputs: [api.ts]
functions:
  - name: createUser
    parameters:
      - {name: name, type: string}
      - {name: role, type: Role, default: "'user'"}
    returns: Promise<User>
  - name: slugify
    parameters: [text]
classes:
  - name: UserStore
    methods:
      - name: get
        parameters: [{name: id, type: number}]
        returns: User | undefined
)yaml";
        SUBCASE("TypeScript that matches, with arrow functions and exports")
        {
            CHECK(check_one(spec_text,
                            "api.ts",
                            Language::typescript,
                            "export async function createUser(name: string, role: Role = 'user'):"
                            " Promise<User> { return save(name, role); }\n"
                            "export const slugify = (text) => text.toLowerCase();\n"
                            "export class UserStore {\n"
                            "  get(id: number): User | undefined { return undefined; }\n"
                            "}\n")
                      .empty());
        }

        SUBCASE("TypeScript with a different type and a missing method")
        {
            CHECK(check_one(spec_text,
                            "api.ts",
                            Language::typescript,
                            "function createUser(name: number, role: Role = 'user') {}\n"
                            "function slugify(text) {}\n"
                            "class UserStore { put(id: number) {} }\n")
                  == Strings{"conformance.types: parameter 'name' of 'createUser' is 'number' "
                             "but the spec declares 'string'",
                             "conformance.missing-method: class 'UserStore' has no method 'get', "
                             "which the spec declares"});
        }

        SUBCASE("JavaScript states no types; parameters and defaults still count")
        {
            CHECK(check_one(spec_text,
                            "api.ts",
                            Language::javascript,
                            "function createUser(name, role = \"user\") {}\n"
                            "const slugify = function (text) {};\n"
                            "class UserStore { get(id) {} }\n")
                      .empty());
            CHECK(check_one(spec_text,
                            "api.ts",
                            Language::javascript,
                            "exports.createUser = async function (name, role = 'user') {};\n"
                            "module.exports.slugify = (text) => text;\n"
                            "class UserStore { get(id) {} }\n")
                      .empty());
            CHECK(check_one(spec_text,
                            "api.ts",
                            Language::javascript,
                            "function createUser(name, ...roles) {}\n"
                            "let slugify = text => text;\n"
                            "class UserStore { get(id) {} }\n")
                  == Strings{"conformance.parameters: 'createUser' takes (name, ...roles) but "
                             "the spec declares (name, role='user'); 'role' is missing; "
                             "'...roles' is not in the spec"});
        }
    }

    TEST_CASE("validate: the conformance check in Go")
    {
        constexpr std::string_view spec_text = R"yaml(language: go
outputs: [store.go]
functions:
  - name: NewStore
    parameters: [{name: path, type: string}, {name: size, type: int}]
    returns: "(*Store, error)"
classes:
  - name: Store
    methods:
      - name: Get
        parameters: [{name: id, type: int64}]
        returns: "(User, bool)"
)yaml";
        SUBCASE("matching code, with parameters sharing a type and a pointer receiver")
        {
            CHECK(check_one(spec_text,
                            "store.go",
                            Language::go,
                            "package store\n\n"
                            "type Store struct{ users map[int64]User }\n\n"
                            "func NewStore(path string, size int) (*Store, error) { return nil, "
                            "nil }\n\n"
                            "func (s *Store) Get(id int64) (User, bool) { u, ok := s.users[id]; "
                            "return u, ok }\n")
                      .empty());
        }

        SUBCASE("other types and a missing method")
        {
            CHECK(check_one(spec_text,
                            "store.go",
                            Language::go,
                            "package store\n\ntype Store struct{}\n\n"
                            "func NewStore(path, size string) *Store { return nil }\n")
                  == Strings{"conformance.missing-method: class 'Store' has no method 'Get', "
                             "which the spec declares",
                             "conformance.types: parameter 'size' of 'NewStore' is 'string' but "
                             "the spec declares 'int'",
                             "conformance.types: 'NewStore' returns '*Store' but the spec "
                             "declares '(*Store, error)'"});
        }
    }

    TEST_CASE("validate: the conformance check in Java")
    {
        constexpr std::string_view spec_text = R"yaml(language: java
outputs: [UserService.java]
functions:
  - name: parseId
    parameters: [{name: text, type: String}]
    returns: long
classes:
  - name: UserService
    methods:
      - name: find
        parameters: [{name: id, type: long}, {name: fields, type: "String..."}]
        returns: Optional<User>
)yaml";
        SUBCASE("a method of any class of the file serves as a function")
        {
            CHECK(check_one(spec_text,
                            "UserService.java",
                            Language::java,
                            "public class UserService {\n"
                            "    public static long parseId(String text) { return 0; }\n"
                            "    public Optional<User> find(long id, String... fields) { return "
                            "null; }\n"
                            "}\n")
                      .empty());
        }

        SUBCASE("a different parameter list and return type")
        {
            CHECK(check_one(spec_text,
                            "UserService.java",
                            Language::java,
                            "class Util { static int parseId(String text) { return 0; } }\n"
                            "class UserService { User find(long id) { return null; } }\n")
                  == Strings{"conformance.types: 'parseId' returns 'int' but the spec declares "
                             "'long'",
                             "conformance.types: 'UserService.find' returns 'User' but the spec "
                             "declares 'Optional<User>'",
                             "conformance.parameters: 'UserService.find' takes (id) but the spec "
                             "declares (id, fields); 'fields' is missing"});
        }
    }

    TEST_CASE("validate: the conformance check finds HTTP handlers")
    {
        constexpr std::string_view spec_text = R"yaml(language: python
outputs: [app.py]
endpoints:
  - {method: GET, path: "/users/{id}"}
  - {method: POST, path: /users}
  - {method: DELETE, path: "/users/{id}", operationId: remove_user}
)yaml";
        const auto run = [&](Language language, std::string_view code) {
            std::vector<std::unique_ptr<validate::Check>> checks;
            checks.push_back(conformance(spec_text));
            test::write_file("app.py", "");
            const Strings findings = messages(checks, "app.py", language, code);
            CHECK(findings.empty());
            return finish_messages(*checks.front());
        };

        SUBCASE("Flask")
        {
            CHECK(run(Language::python,
                      "@app.route('/users/<int:id>', methods=['GET', 'PUT'])\n"
                      "def show(id): pass\n"
                      "@bp.post('/users/')\n"
                      "def add(): pass\n"
                      "def remove_user(id): pass\n")
                      .empty());
        }

        SUBCASE("FastAPI, in an application factory")
        {
            CHECK(run(Language::python,
                      "def build():\n"
                      "    @router.get(\"/users/{id}\")\n"
                      "    async def show(id: int): ...\n"
                      "    @router.post(\"/users\")\n"
                      "    async def add(): ...\n"
                      "    @router.delete(\"/users/{id}\")\n"
                      "    async def drop(id: int): ...\n")
                      .empty());
        }

        SUBCASE("Express")
        {
            CHECK(run(Language::javascript,
                      "app.get('/users/:id', show);\n"
                      "router.route('/users').post((req, res) => res.send('ok'));\n"
                      "app.delete(`/users/:id(\\\\d+)`, drop);\n")
                      .empty());
        }

        SUBCASE("Go net/http patterns and chi")
        {
            CHECK(run(Language::go,
                      "package main\n"
                      "func main() {\n"
                      "\tmux.HandleFunc(\"GET /users/{id}\", show)\n"
                      "\tr.Post(\"/users\", add)\n"
                      "\thttp.HandleFunc(\"/users/\", users)\n"
                      "}\n")
                      .empty());
        }

        SUBCASE("Spring")
        {
            CHECK(
                run(Language::java,
                    "@RestController\n"
                    "@RequestMapping(\"/users\")\n"
                    "public class Users {\n"
                    "    @GetMapping(\"/{id}\") User show(@PathVariable long id) { return null; }\n"
                    "    @PostMapping User add(@RequestBody User u) { return u; }\n"
                    "    @RequestMapping(value = {\"/{id}\"}, method = RequestMethod.DELETE)\n"
                    "    void drop(@PathVariable long id) {}\n"
                    "}\n")
                    .empty());
        }

        SUBCASE("a route of another method or path is no handler")
        {
            CHECK(run(Language::python,
                      "@app.get('/users/<id>')\ndef show(id): pass\n"
                      "@app.put('/users')\ndef add(): pass\n"
                      "@app.delete('/user/<id>')\ndef drop(id): pass\n")
                  == Strings{"conformance.missing-endpoint: no handler for 'POST /users': the "
                             "routes for the path serve only PUT",
                             "conformance.missing-endpoint: no handler for 'DELETE /users/{id}': "
                             "no function 'remove_user' and the routes for the path serve only "
                             "GET"});
        }
    }

    TEST_CASE("validate: route prefixes of routers, groups and mounts, across files")
    {
        // The messages of a run over gen/ with the spec; each file is (path, text).
        const auto endpoints_missing =
            [](std::string_view spec_text,
               const std::vector<std::pair<std::string, std::string>>& files) {
                fs::remove_all("gen");
                test::write_file("spec.yaml", spec_text);
                for (const auto& [path, text] : files) {
                    test::write_file("gen/" + path, text);
                }
                validate::ValidateOptions options;
                options.walk.root = fs::current_path();
                options.walk.paths = {"gen"};
                options.walk.use_git = false;
                options.checks = {"conformance"};
                options.spec = "spec.yaml";
                auto report = validate::run_validate(options);
                if (!report.ok()) {
                    FAIL(report.error().message());
                }
                Strings out;
                for (const auto& finding : report->findings) {
                    out.push_back(finding.message);
                }
                return out;
            };

        SUBCASE("Express: a router mounted in its file and one imported from another file")
        {
            const std::string spec_text =
                "language: typescript\noutputs: [app.ts, routes.ts]\n"
                "endpoints:\n"
                "  - {method: GET, path: \"/api/orders/{id}\"}\n"
                "  - {method: GET, path: \"/api/customers/{cid}/orders\"}\n"
                "  - {method: GET, path: \"/orders/{id}\"}\n";
            CHECK(endpoints_missing(spec_text,
                                    {{"routes.ts",
                                      "import { Router } from 'express';\n"
                                      "const router = Router();\n"
                                      "router.get('/orders/:id', show);\n"
                                      "const customers = Router();\n"
                                      "customers.get('/:cid/orders', list);\n"
                                      "router.use('/customers', customers);\n"
                                      "export default router;\n"},
                                     {"app.ts",
                                      "import express from 'express';\n"
                                      "import routes from './routes.js';\n"
                                      "const app = express();\n"
                                      "app.use('/api', routes);\n"}})
                  == Strings{"no handler for 'GET /orders/{id}': no route for the path"});
            // CommonJS, require() inside the mount, arrays of paths and path constants.
            CHECK(endpoints_missing("language: javascript\noutputs: [app.js, users.js]\n"
                                    "endpoints:\n"
                                    "  - {method: GET, path: \"/v1/users/{id}\"}\n"
                                    "  - {method: GET, path: /v1/authors}\n"
                                    "  - {method: GET, path: /v1/writers}\n"
                                    "  - {method: GET, path: /stats}\n",
                                    {{"users.js",
                                      "const express = require('express');\n"
                                      "const router = express.Router();\n"
                                      "router.get('/users/:id', show);\n"
                                      "router.get(['/authors', '/writers'], authors);\n"
                                      "module.exports = router;\n"},
                                     {"app.js",
                                      "const app = require('express')();\n"
                                      "const STATS = '/stats';\n"
                                      "app.use('/v1', require('./users'));\n"
                                      "app.get(STATS, stats);\n"}})
                      .empty());
        }

        SUBCASE("Flask blueprints and FastAPI routers, with prefixes of their own and at "
                "registration")
        {
            CHECK(endpoints_missing("language: python\noutputs: [app.py, users.py, orders.py]\n"
                                    "endpoints:\n"
                                    "  - {method: GET, path: \"/api/users/{id}\"}\n"
                                    "  - {method: POST, path: /api/users}\n"
                                    "  - {method: GET, path: \"/v2/orders/{id}\"}\n"
                                    "  - {method: DELETE, path: \"/v2/orders/{id}\"}\n"
                                    "  - {method: GET, path: \"/users/{id}\"}\n",
                                    {{"users.py",
                                      "from flask import Blueprint\n"
                                      "bp = Blueprint('users', __name__, url_prefix='/users')\n"
                                      "@bp.get('/<int:id>')\ndef show(id): ...\n"
                                      "@bp.route('', methods=['POST'])\ndef create(): ...\n"},
                                     {"orders.py",
                                      "from fastapi import APIRouter\n"
                                      "router = APIRouter(prefix='/orders')\n"
                                      "@router.get('/{id}')\nasync def read(id: int): ...\n"
                                      "other = APIRouter()\n"
                                      "@other.delete('/orders/{id}')\nasync def drop(id: int): "
                                      "...\n"},
                                     {"app.py",
                                      "from flask import Flask\n"
                                      "from fastapi import FastAPI\n"
                                      "from . import orders\n"
                                      "from .orders import other as more\n"
                                      "def create_app():\n"
                                      "    from .users import bp\n"
                                      "    app = Flask(__name__)\n"
                                      "    app.register_blueprint(bp, url_prefix='/api/users')\n"
                                      "    return app\n"
                                      "api = FastAPI()\n"
                                      "api.include_router(orders.router, prefix='/v2')\n"
                                      "api.include_router(more, prefix='/v2')\n"}})
                  == Strings{"no handler for 'GET /users/{id}': no route for the path"});
        }

        SUBCASE("gin groups and chi's Route")
        {
            CHECK(endpoints_missing("language: go\noutputs: [main.go]\n"
                                    "endpoints:\n"
                                    "  - {method: GET, path: \"/v1/things/{tid}\"}\n"
                                    "  - {method: DELETE, path: \"/v1/admin/things/{tid}\"}\n"
                                    "  - {method: GET, path: \"/things/{tid}\"}\n",
                                    {{"main.go",
                                      "package main\n"
                                      "func main() {\n"
                                      "\tcr := chi.NewRouter()\n"
                                      "\tcr.Route(\"/v1\", func(r chi.Router) {\n"
                                      "\t\tr.Get(\"/things/{tid}\", show)\n"
                                      "\t})\n"
                                      "\tg := gin.Default()\n"
                                      "\tv1 := g.Group(\"/v1\")\n"
                                      "\tadmin := v1.Group(\"/admin\")\n"
                                      "\tadmin.DELETE(\"/things/:tid\", drop)\n"
                                      "}\n"}})
                  == Strings{"no handler for 'GET /things/{tid}': no route for the path"});
        }

        SUBCASE("an operationId names a function assigned to exports")
        {
            CHECK(endpoints_missing("language: javascript\noutputs: [a.js]\n"
                                    "endpoints:\n"
                                    "  - {method: GET, path: /a, operationId: f1}\n"
                                    "  - {method: GET, path: /b, operationId: f2}\n"
                                    "  - {method: GET, path: /c, operationId: f3}\n",
                                    {{"a.js",
                                      "exports.f1 = (req, res) => res.end();\n"
                                      "exports.f2 = function (req, res) { res.end(); };\n"
                                      "module.exports.f3 = (req, res) => res.end();\n"}})
                      .empty());
        }

        SUBCASE("a path served for other methods only says which")
        {
            CHECK(endpoints_missing("language: python\noutputs: [app.py]\nendpoints:\n"
                                    "  - {method: PUT, path: \"/items/{id}\"}\n",
                                    {{"app.py",
                                      "@app.get('/items/<id>')\ndef show(id): ...\n"
                                      "@app.delete('/items/<id>')\ndef drop(id): ...\n"}})
                  == Strings{"no handler for 'PUT /items/{id}': the routes for the path serve "
                             "only GET, DELETE"});
        }
    }

    TEST_CASE("validate: files the spec names that are not there")
    {
        constexpr std::string_view spec_text = "language: python\n"
                                               "outputs: [a.py, b.py, README.md]\n"
                                               "functions: [{name: f, file: a.py}]\n";
        test::write_file("README.md", "# notes\n");
        auto check = conformance(spec_text);
        CHECK(finish_messages(*check)
              == Strings{"conformance.missing-file: 'a.py' is missing: the spec names it, but "
                         "there is no such file",
                         "conformance.missing-file: 'b.py' is missing: the spec names it, but "
                         "there is no such file"});
        test::write_file("a.py", "def f(): pass\n");
        CHECK(finish_messages(*conformance(spec_text))
              == Strings{"conformance.missing-file: 'a.py' was not checked (left out of the "
                         "walk, or in a language whose declarations are not read), so the spec's "
                         "declarations in it are unverified",
                         "conformance.missing-file: 'b.py' is missing: the spec names it, but "
                         "there is no such file"});
    }

    TEST_CASE("validate: declarations in a language the check does not read")
    {
        auto check = conformance("language: ruby\noutputs: [a.rb]\nfunctions: [{name: f}]\n");
        std::vector<std::unique_ptr<validate::Check>> checks;
        checks.push_back(std::move(check));
        test::write_file("a.rb", "def f\nend\n");
        CHECK(messages(checks, "a.rb", Language::ruby, "def f\nend\n").empty());
        const Strings unverified = finish_messages(*checks.front());
        REQUIRE(unverified.size() == 1);
        CHECK(unverified[0].starts_with("conformance.missing-file: 'a.rb' was not checked "));
    }

    TEST_CASE("validate: conformance through run_validate")
    {
        test::write_file("spec.yaml",
                         "language: python\noutputs: [app/a.py]\n"
                         "functions: [{name: f, parameters: [x]}]\n");
        test::write_file("gen/app/a.py", "def f(y):\n    return y\n");
        validate::ValidateOptions options;
        options.walk.root = fs::current_path();
        options.walk.paths = {"gen"};
        options.walk.use_git = false;
        options.spec = "spec.yaml";
        auto report = validate::run_validate(options);
        REQUIRE(report.ok());
        REQUIRE(report->findings.size() == 1);
        CHECK(report->findings[0].rule_id == "conformance.parameters");
        CHECK(report->findings[0].location.path == "gen/app/a.py");
        CHECK(report->findings[0].location.start_line == 1);
        CHECK(report->findings[0].location.start_column == 6);
        CHECK_FALSE(report->findings[0].fingerprint.empty());

        SUBCASE("with two paths, spec paths are relative to the root")
        {
            test::write_file("other/b.py", "y = 2\n");
            options.walk.paths = {"gen", "other"};
            auto both = validate::run_validate(options);
            REQUIRE(both.ok());
            REQUIRE(both->findings.size() == 1);
            CHECK(both->findings[0].rule_id == "conformance.missing-file");
            CHECK(both->findings[0].location.path == "spec.yaml");
            CHECK(both->findings[0].message
                  == "'app/a.py' is missing: the spec names it, but there is no such file");
            test::write_file("spec.yaml",
                             "language: python\noutputs: [gen/app/a.py]\n"
                             "functions: [{name: f, parameters: [y]}]\n");
            auto fixed = validate::run_validate(options);
            REQUIRE(fixed.ok());
            CHECK(fixed->findings.empty());
        }

        SUBCASE("without a spec, the conformance check is a usage error")
        {
            options.spec.reset();
            options.checks = {"syntax", "conformance"};
            auto failed = validate::run_validate(options);
            REQUIRE_FALSE(failed.ok());
            CHECK(failed.error().code() == core::ErrorCode::usage);
            CHECK(failed.error().message()
                  == "the conformance check needs a spec: name one with --spec FILE");
        }

        SUBCASE("a malformed spec is an input error")
        {
            test::write_file("spec.yaml", "language: python\noutputs: [a.py]\nfunction: []\n");
            auto failed = validate::run_validate(options);
            REQUIRE_FALSE(failed.ok());
            CHECK(failed.error().code() == core::ErrorCode::input);
            CHECK(failed.error().message()
                  == "spec.yaml:3:1: unknown key 'function' in the spec; did you mean "
                     "'functions'?");
        }
    }

    TEST_CASE("validate: declarations of broken code")
    {
        // Every prefix of a file is read without a crash: broken trees miss parts.
        const std::vector<std::pair<Language, std::string_view>> samples{
            {Language::python,
             "@app.route('/a', methods=['GET'])\ndef f(a: int = 1, *b, **c) -> int:\n    pass\n"
             "class C(B):\n    @staticmethod\n    def m(x): pass\n"},
            {Language::typescript,
             "export const f = (a: number = 1, ...b): void => {};\n"
             "class C { m(x?: string): T { return x; } }\napp.route('/a').get(h).post(h);\n"},
            {Language::go,
             "package p\nfunc (s *S[T]) M(a, b int, c ...string) (int, error) { return 0, nil }\n"
             "func main() { mux.HandleFunc(\"GET /a/{id}\", h) }\ntype S struct{}\n"},
            {Language::java,
             "@RequestMapping(\"/a\") class C { @GetMapping(value = {\"/b\"}) int m(String... "
             "x) { return 0; } enum E { A; void n() {} } }\n"},
        };
        for (const auto& [language, text] : samples) {
            for (std::size_t length = 0; length <= text.size(); ++length) {
                auto tree = source::parse(language, text.substr(0, length));
                REQUIRE(tree.ok());
                const validate::Declarations read = validate::read_declarations(*tree);
                if (length == text.size()) {
                    CHECK(read.functions.size() >= 1);
                    CHECK(read.classes.size() >= 1);
                    CHECK(read.routes.size() >= 1);
                }
            }
        }
    }

    TEST_CASE("validate::normalise_type and validate::normalise_route")
    {
        CHECK(validate::normalise_type(" Dict[str,  int] ") == "Dict[str,int]");
        CHECK(validate::normalise_type("Dict[str, int]") == "Dict[str,int]");
        CHECK(validate::normalise_type("'User'") == "User");
        CHECK(validate::normalise_type("unsigned   long") == "unsigned long");
        CHECK(validate::normalise_type("map[string] []int") == "map[string][]int");

        CHECK(validate::normalise_route("/users/{id}") == "/users/{}");
        CHECK(validate::normalise_route("/users/:id") == "/users/{}");
        CHECK(validate::normalise_route("/users/<int:id>/posts/") == "/users/{}/posts");
        CHECK(validate::normalise_route("/files/:name(\\d+)?") == "/files/{}");
        CHECK(validate::normalise_route("/a:b") == "/a:b");
        CHECK(validate::normalise_route("/") == "/");
    }
}
