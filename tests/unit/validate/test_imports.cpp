#include "llm/llm_test_support.hpp"
#include "printers.hpp"
#include "test_support.hpp"
#include "validate/import_project.hpp"
#include "validate/imports_check.hpp"
#include "validate/validate.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <vector>

namespace core = aiops::core;
namespace fs = std::filesystem;
namespace report = aiops::report;
namespace source = aiops::source;
namespace test = aiops::test;
namespace validate = aiops::validate;

using Strings = std::vector<std::string>;

namespace {

/// Empties the scratch folder: the subcases of a test case share it.
void empty_folder()
{
    for (const auto& entry : fs::directory_iterator(fs::current_path())) {
        fs::remove_all(entry.path());
    }
}

validate::ValidateOptions imports_options()
{
    validate::ValidateOptions options;
    options.walk.use_git = false;
    options.walk.root = fs::current_path();
    options.checks = {"imports"};
    options.jobs = 2;
    return options;
}

/// The findings of the imports check over the scratch folder, as "path:line rule".
Strings where(const report::Report& result)
{
    Strings out;
    for (const auto& finding : result.findings) {
        out.push_back(fmt::format(
            "{}:{} {}", finding.location.path, finding.location.start_line, finding.rule_id));
    }
    return out;
}

report::Report run(const validate::ValidateOptions& options = imports_options())
{
    auto result = validate::run_validate(options);
    if (!result.ok()) {
        FAIL(result.error().message());
    }
    return std::move(result).take();
}

/// The messages of the findings, in report order.
Strings messages(const report::Report& result)
{
    Strings out;
    for (const auto& finding : result.findings) {
        out.push_back(finding.message);
    }
    return out;
}

std::string run_error(const validate::ValidateOptions& options = imports_options())
{
    auto result = validate::run_validate(options);
    REQUIRE_FALSE(result.ok());
    return result.error().message();
}

} // namespace

TEST_SUITE("validate")
{
    TEST_CASE("validate: the imports check in Python")
    {
        SUBCASE("declared, standard and invented modules")
        {
            empty_folder();
            test::write_file("requirements.txt", "requests>=2\nPyYAML\n");
            test::write_file("app.py",
                             "import os, sys\n"
                             "import requests\n"
                             "import yaml\n"
                             "from collections.abc import Mapping\n"
                             "import fastapi_utils_pro.routing as r\n"
                             "def later():\n"
                             "    from numpy import array\n");
            const auto result = run();
            CHECK(where(result)
                  == Strings{"app.py:5 imports.undeclared", "app.py:7 imports.undeclared"});
            CHECK(messages(result)
                  == Strings{"'fastapi_utils_pro' is imported but not declared in requirements.txt "
                             "(nor in the standard library of Python 3.8\u20133.14)",
                             "'numpy' is imported but not declared in requirements.txt (nor in the "
                             "standard library of Python 3.8\u20133.14)"});
            REQUIRE(result.findings.size() == 2);
            CHECK(result.findings[0].location.start_column == 8);
            CHECK(result.findings[0].location.end_column == 33);
            CHECK(result.findings[0].severity == core::Severity::high);
        }

        SUBCASE("import names that differ from their package's name")
        {
            empty_folder();
            test::write_file("requirements.txt",
                             "opencv-python-headless\nscikit-learn\nprotobuf\npython-dateutil\n"
                             "beautifulsoup4\ngoogle-cloud-storage\npython-magic\n");
            test::write_file("app.py",
                             "import cv2\n"
                             "from sklearn.linear_model import LinearRegression\n"
                             "from google.protobuf import message\n"
                             "import dateutil.parser\n"
                             "from bs4 import BeautifulSoup\n"
                             "from google.cloud import storage\n"
                             "import google.cloud.storage\n"
                             "import magic\n"
                             "import PIL\n");
            const auto result = run();
            CHECK(where(result) == Strings{"app.py:9 imports.undeclared"});
            CHECK(messages(result)
                  == Strings{"'PIL' is imported but its package 'Pillow' is not declared in "
                             "requirements.txt (nor in the standard library of Python "
                             "3.8\u20133.14)"});
        }

        SUBCASE("the project's own modules: relative, root, src/ layout and siblings")
        {
            empty_folder();
            test::write_file("requirements.txt", "\n");
            test::write_file("src/acme/__init__.py", "");
            test::write_file("src/acme/core.py", "from . import util\nfrom .util import x\n");
            test::write_file("src/acme/util.py", "x = 1\n");
            test::write_file("helpers.py", "");
            test::write_file("scripts/tool.py",
                             "import sibling\nimport acme.core\nimport helpers\n");
            test::write_file("scripts/sibling.py", "");
            test::write_file("lib/python/vendored/__init__.py", "");
            test::write_file("tests/test_core.py",
                             "import vendored\nimport acme\nimport absent_mod\n");
            const auto result = run();
            CHECK(where(result) == Strings{"tests/test_core.py:3 imports.undeclared"});
        }

        SUBCASE("a guarded import is optional; other handlers do not make it so")
        {
            empty_folder();
            test::write_file("requirements.txt", "\n");
            test::write_file("app.py",
                             "try:\n"
                             "    import ujson as json\n"
                             "except ImportError:\n"
                             "    import simplejson as json\n"
                             "try:\n"
                             "    import orjson\n"
                             "except (ModuleNotFoundError, OSError):\n"
                             "    orjson = None\n"
                             "try:\n"
                             "    import rapidjson\n"
                             "except ValueError:\n"
                             "    pass\n"
                             "else:\n"
                             "    import msgspec\n"
                             "with self.assertRaises(ModuleNotFoundError):\n"
                             "    import does_not_exist\n");
            CHECK(where(run())
                  == Strings{"app.py:10 imports.undeclared", "app.py:14 imports.undeclared"});
        }

        SUBCASE("__import__ and importlib.import_module with a literal name")
        {
            empty_folder();
            test::write_file("requirements.txt", "\n");
            test::write_file("plugins.py",
                             "import importlib\n"
                             "json = __import__('json')\n"
                             "backend = importlib.import_module(\"fancy_backend_x\")\n"
                             "name = 'computed'\n"
                             "other = importlib.import_module(name)\n"
                             "local = importlib.import_module('.sub', __package__)\n"
                             "__import__(f'{name}_mod')\n");
            const auto result = run();
            CHECK(where(result) == Strings{"plugins.py:3 imports.undeclared"});
            REQUIRE(result.findings.size() == 1);
            CHECK(result.findings[0].location.start_column == 35);
            CHECK(result.findings[0].message.starts_with("'fancy_backend_x' is imported but"));
        }

        SUBCASE("with no manifest, the message says which file to create")
        {
            empty_folder();
            test::write_file("main.py", "import requests\n");
            CHECK(messages(run())
                  == Strings{"'requests' is imported but the project declares no dependencies: "
                             "create requirements.txt or pyproject.toml at the project root and "
                             "declare it there (it is not in the standard library of Python "
                             "3.8\u20133.14)"});
        }

        SUBCASE("the Python version: from the flag, from requires-python, or any")
        {
            empty_folder();
            test::write_file("app.py",
                             "import imp\n"
                             "import tomllib\n"
                             "import cgi\n"
                             "import sys\n"
                             "if sys.version_info >= (3, 11):\n"
                             "    import tomllib\n"
                             "else:\n"
                             "    import tomli as tomllib\n");
            test::write_file("pyproject.toml",
                             "[project]\nname = \"app\"\nrequires-python = \">=3.9\"\n"
                             "dependencies = [\"tomli\"]\n");
            const auto from_manifest = run();
            CHECK(where(from_manifest) == Strings{"app.py:2 imports.stdlib-version"});
            CHECK(messages(from_manifest)
                  == Strings{"'tomllib' is not in the standard library of Python 3.9: it was "
                             "added in 3.11 (checked for Python 3.9, the lowest that "
                             "pyproject.toml allows)"});

            auto options = imports_options();
            options.python_version = "3.13";
            const auto from_flag = run(options);
            CHECK(where(from_flag)
                  == Strings{"app.py:1 imports.stdlib-version", "app.py:3 imports.stdlib-version"});
            CHECK(messages(from_flag)[0]
                  == "'imp' was removed from the standard library in Python 3.12 (checked for "
                     "Python 3.13, set by --python-version)");

            // Without a version, a module of any version from 3.8 to 3.14 is standard.
            test::write_file("pyproject.toml",
                             "[project]\nname = \"app\"\ndependencies = [\"tomli\"]\n");
            CHECK(run().findings.empty());
        }

        SUBCASE("the lowest version a constraint allows, with exclusions and alternatives")
        {
            empty_folder();
            test::write_file("m.py", "import zoneinfo\n"); // new in 3.9
            const auto with_pyproject = [](const std::string& table) {
                test::write_file("pyproject.toml", table);
                return where(run());
            };
            const Strings reported{"m.py:1 imports.stdlib-version"};
            CHECK(with_pyproject("[project]\nrequires-python = \"!=3.8.*,>=3.8\"\n").empty());
            CHECK(with_pyproject("[project]\nrequires-python = \"<3.10\"\n") == reported);
            CHECK(with_pyproject("[project]\nrequires-python = \">3.8\"\n") == reported);
            CHECK(with_pyproject("[tool.poetry.dependencies]\npython = \"^3.10 || ^3.8\"\n")
                  == reported);
            CHECK(with_pyproject("[tool.poetry.dependencies]\npython = \">=3.9 || >=3.8\"\n")
                  == reported);
            CHECK(with_pyproject("[tool.poetry.dependencies]\npython = \">=3.9 <4\"\n").empty());
        }

        SUBCASE("a setup.py imports its build backend; its requirements are held to PEP 508")
        {
            empty_folder();
            test::write_file("setup.py",
                             "from setuptools import setup, find_packages\n"
                             "import pkg_resources\n\n"
                             "setup(\n    name='demo',\n    install_requires=['requests>=2'],\n"
                             "    extras_require={'dev': ['pytest']},\n)\n");
            test::write_file("demo/app.py", "import requests, pytest\nimport setuptools\n");
            CHECK(where(run()) == Strings{"demo/app.py:2 imports.undeclared"});
            test::write_file("setup.py", "setup(install_requires=[\"requests===\"])\n");
            CHECK(run_error()
                  == "setup.py:1:37: in 'install_requires': expected a version after '==='");
        }

        SUBCASE("import names of packages named otherwise, and Pipfile's own categories")
        {
            empty_folder();
            test::write_file("requirements.txt",
                             "factory_boy\npython-json-logger\nSpeechRecognition\n"
                             "google-cloud-aiplatform\n");
            test::write_file("Pipfile", "[packages]\n[docs]\nmkdocs = \"*\"\n");
            test::write_file("mods.py",
                             "import factory\nfrom pythonjsonlogger import jsonlogger\n"
                             "import speech_recognition as sr\nimport vertexai\nimport mkdocs\n");
            CHECK(where(run()).empty());
        }

        SUBCASE("an unknown --python-version is a usage error")
        {
            empty_folder();
            test::write_file("a.py", "import os\n");
            auto options = imports_options();
            options.python_version = "2.7";
            auto result = validate::run_validate(options);
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().code() == core::ErrorCode::usage);
            CHECK(result.error().message()
                  == "--python-version '2.7': expected a version from 3.8 to 3.14");
        }

        SUBCASE("Poetry, setup.cfg, Pipfile and setup.py declare too, in any ancestor folder")
        {
            empty_folder();
            test::write_file("pyproject.toml",
                             "[tool.poetry.dependencies]\npython = \"^3.10\"\nhttpx = \"*\"\n"
                             "[tool.poetry.group.dev.dependencies]\npytest = \"*\"\n");
            test::write_file("svc/setup.cfg", "[options]\ninstall_requires =\n    click\n");
            test::write_file("svc/Pipfile", "[packages]\nrich = \"*\"\n");
            test::write_file("svc/setup.py", "setup(install_requires=['boto3>=1', \"attrs\"])\n");
            test::write_file("svc/main.py",
                             "import httpx, pytest, click, rich, boto3, attr\nimport arrow\n");
            const auto result = run();
            CHECK(where(result) == Strings{"svc/main.py:2 imports.undeclared"});
            CHECK(messages(result)[0].find("not declared in svc/setup.cfg") != std::string::npos);
        }

        SUBCASE("a malformed manifest stops the run with its position")
        {
            empty_folder();
            test::write_file("a.py", "import os\n");
            test::write_file("pyproject.toml", "[project\nname = 1\n");
            const std::string message = run_error();
            CHECK(message.starts_with("pyproject.toml:1:"));
            test::write_file("pyproject.toml", "[project]\n");
            test::write_file("requirements.txt", "ok\nnot ok\n");
            CHECK(run_error()
                  == "requirements.txt:2:5: expected a version specifier, extras or a marker "
                     "after 'not', found 'ok'");
        }
    }

    TEST_CASE("validate: the imports check in JavaScript and TypeScript")
    {
        SUBCASE("packages, subpaths, scopes, built-ins and relative paths")
        {
            empty_folder();
            test::write_file("package.json",
                             R"({"name": "web", "dependencies": {"express": "^4", "lodash": "^4",
                                 "@aws-sdk/client-s3": "^3"}})");
            test::write_file("server.js",
                             "import express from 'express';\n"
                             "import fp from 'lodash/fp';\n"
                             "import { S3Client } from '@aws-sdk/client-s3/dist';\n"
                             "import fs from 'node:fs';\n"
                             "import path from 'path';\n"
                             "import { test } from 'node:test';\n"
                             "import local from './local.js';\n"
                             "import alias from '@/components/x';\n"
                             "import store from '$lib/store';\n"
                             "const validator = require('express-validator-plus');\n"
                             "export { thing } from '@acme/helpers/sub';\n"
                             "async function later() { await import('chalk'); }\n"
                             "import assert from 'test';\n"
                             "import nope from 'node:nope';\n"
                             "try { require('supports-color'); } catch (error) {}\n"
                             "try {} finally { require('left-pad'); }\n");
            const auto result = run();
            CHECK(where(result)
                  == Strings{"server.js:10 imports.undeclared",
                             "server.js:11 imports.undeclared",
                             "server.js:12 imports.undeclared",
                             "server.js:13 imports.undeclared",
                             "server.js:14 imports.undeclared",
                             "server.js:16 imports.undeclared"});
            CHECK(messages(result)
                  == Strings{"'express-validator-plus' is imported but not declared in "
                             "package.json (dependencies, devDependencies, peerDependencies or "
                             "optionalDependencies)",
                             "'@acme/helpers/sub' is imported but its package '@acme/helpers' is "
                             "not declared in package.json (dependencies, devDependencies, "
                             "peerDependencies or optionalDependencies)",
                             "'chalk' is imported but not declared in package.json (dependencies, "
                             "devDependencies, peerDependencies or optionalDependencies)",
                             "'test' is imported but not declared in package.json (dependencies, "
                             "devDependencies, peerDependencies or optionalDependencies); the "
                             "built-in module is 'node:test'",
                             "'node:nope' is not a built-in module of Node.js",
                             "'left-pad' is imported but not declared in package.json "
                             "(dependencies, devDependencies, peerDependencies or "
                             "optionalDependencies)"});
        }

        SUBCASE("TypeScript: @types packages declare types only")
        {
            empty_folder();
            test::write_file("package.json", R"({"devDependencies": {"@types/lodash": "^4",
                                                 "@types/babel__core": "^7", "zod": "^3"}})");
            test::write_file("src/index.ts",
                             "import type { Dictionary } from 'lodash';\n"
                             "import type { PluginObj } from '@babel/core';\n"
                             "import zod = require('zod');\n"
                             "import { debounce } from 'lodash';\n"
                             "import missing = require('left-pad-pro');\n");
            test::write_file("src/globals.d.ts", "import { Options } from 'lodash';\n");
            const auto result = run();
            CHECK(where(result)
                  == Strings{"src/index.ts:4 imports.undeclared",
                             "src/index.ts:5 imports.undeclared"});
            CHECK(messages(result)[0]
                  == "'lodash' is imported but only its type declarations ('@types/lodash') are "
                     "declared in package.json: a value import needs 'lodash' itself in "
                     "dependencies");
        }

        SUBCASE("TypeScript: an import type in a type position needs only the types")
        {
            empty_folder();
            test::write_file("package.json", R"({"devDependencies": {"@types/express": "^4"}})");
            test::write_file("src/mw.ts",
                             "type Mw = import(\"express\").RequestHandler;\n"
                             "let handler: import('express').Handler;\n"
                             "const app = import('express');\n");
            CHECK(where(run()) == Strings{"src/mw.ts:3 imports.undeclared"});
        }

        SUBCASE("the message names the package.json that declares the types")
        {
            empty_folder();
            test::write_file(
                "package.json",
                R"({"workspaces": ["packages/*"], "devDependencies": {"@types/lodash": "^4"}})");
            test::write_file("packages/core/package.json", R"({"name": "@acme/core"})");
            test::write_file("packages/core/src/server.ts", "import { debounce } from 'lodash';\n");
            CHECK(
                messages(run())
                == Strings{"'lodash' is imported but only its type declarations ('@types/lodash') "
                           "are declared in package.json: a value import needs 'lodash' itself "
                           "in dependencies"});
        }

        SUBCASE("Node.js built-ins are named whole, and the hint names the whole module")
        {
            empty_folder();
            test::write_file("package.json", R"({"dependencies": {}})");
            test::write_file("a.mjs",
                             "import fs from 'fs/promises';\n"
                             "import extra from 'fs/extra';\n"
                             "import win from 'path/win';\n"
                             "import { spec } from 'test/reporters';\n");
            CHECK(
                messages(run())
                == Strings{"'fs/extra' is not a built-in module of Node.js: the built-in 'fs' has "
                           "no module 'extra'",
                           "'path/win' is not a built-in module of Node.js: the built-in 'path' "
                           "has no module 'win'",
                           "'test/reporters' is imported but its package 'test' is not declared "
                           "in package.json (dependencies, devDependencies, peerDependencies or "
                           "optionalDependencies); the built-in module is 'node:test/reporters'"});
        }

        SUBCASE("workspaces: the packages of the project, and declarations up the tree")
        {
            empty_folder();
            test::write_file("package.json",
                             R"({"name": "mono", "private": true, "workspaces": ["packages/*"],
                                 "devDependencies": {"vitest": "^1"}})");
            test::write_file("packages/core/package.json", R"({"name": "@mono/core"})");
            test::write_file("packages/web/package.json",
                             R"({"name": "@mono/web", "dependencies": {"react": "^18"}})");
            test::write_file("packages/web/src/app.tsx",
                             "import React from 'react';\n"
                             "import { core } from '@mono/core';\n"
                             "import { describe } from 'vitest';\n"
                             "import { motion } from 'framer-motion-3d-pro';\n");
            const auto result = run();
            CHECK(where(result) == Strings{"packages/web/src/app.tsx:4 imports.undeclared"});
            CHECK(messages(result)[0].find("not declared in packages/web/package.json")
                  != std::string::npos);
        }

        SUBCASE("tsconfig.json paths and baseUrl name the project's own files")
        {
            empty_folder();
            test::write_file("package.json", R"({"dependencies": {"react": "^18"}})");
            test::write_file(
                "tsconfig.json",
                "{\n  // the compiler's options\n  \"compilerOptions\": {\n"
                "    \"baseUrl\": \"src\",\n"
                "    \"paths\": {\"@app/*\": [\"src/app/*\"], \"config\": [\"src/config.ts\"]}\n"
                "  }\n}\n");
            test::write_file("src/utils/format.ts", "export const f = 1;\n");
            test::write_file("src/index.ts",
                             "import React from 'react';\n"
                             "import { App } from '@app/App';\n"
                             "import config from 'config';\n"
                             "import { f } from 'utils/format';\n"
                             "import { g } from 'helpers-extra';\n");
            CHECK(where(run()) == Strings{"src/index.ts:5 imports.undeclared"});
        }

        SUBCASE("tsconfig.json is read as TypeScript reads it: comments and trailing commas")
        {
            empty_folder();
            test::write_file("package.json", R"({"dependencies": {}})");
            test::write_file("tsconfig.json",
                             "{\n  // aliases\n  \"compilerOptions\": {\n    \"baseUrl\": \".\",\n"
                             "    \"paths\": {\"@app/*\": [\"src/*\"],},\n  },\n}\n");
            test::write_file("src/lib/index.ts", "export const x = 1;\n");
            test::write_file("src/main.ts", "import { x } from '@app/lib';\n");
            CHECK(where(run()).empty());
        }

        SUBCASE("a tsconfig.json that does not parse costs its aliases, with a warning at its "
                "position")
        {
            empty_folder();
            test::write_file("package.json", R"({"dependencies": {}})");
            test::write_file(
                "tsconfig.json",
                "{\n  \"compilerOptions\": {\n    \"paths\": {\"@app/*\": [\"src/*\"]\n  }\n}\n");
            test::write_file("src/main.ts", "import { x } from '@app/lib';\n");
            std::string logged;
            {
                const test::StderrCapture capture;
                CHECK(where(run()) == Strings{"src/main.ts:1 imports.undeclared"});
                logged = capture.text();
            }
            CHECK(logged.find("tsconfig.json:6:1: invalid JSON, so its path aliases are not "
                              "used: syntax error while parsing object")
                  != std::string::npos);
        }

        SUBCASE("with no package.json, the message says to create one")
        {
            empty_folder();
            test::write_file("index.js", "const x = require('axios');\n");
            CHECK(messages(run())
                  == Strings{"'axios' is imported but there is no package.json: create one (npm "
                             "init) and declare it in dependencies"});
        }

        SUBCASE("a malformed package.json stops the run with its position")
        {
            empty_folder();
            test::write_file("index.js", "import x from 'x';\n");
            test::write_file("package.json", "{\n  \"dependencies\": {\n    \"x\": 1,\n  }\n}\n");
            CHECK(run_error().starts_with("package.json:4:3: invalid JSON: "));
        }
    }

    TEST_CASE("validate: the imports check in Go")
    {
        SUBCASE("the standard library, the module itself and required modules")
        {
            empty_folder();
            test::write_file("go.mod",
                             "module example.com/shop\n\ngo 1.22\n\nrequire (\n"
                             "\tgithub.com/gin-gonic/gin v1.9.1\n)\n");
            test::write_file("cmd/server/main.go",
                             "package main\n\n"
                             "import (\n"
                             "\t\"fmt\"\n"
                             "\t\"net/http\"\n"
                             "\t\"example.com/shop/internal/store\"\n"
                             "\t\"github.com/gin-gonic/gin/binding\"\n"
                             "\t\"github.com/foo/nonexist/pkg\"\n"
                             "\t\"encoding/yaml\"\n"
                             "\t\"C\"\n"
                             "\t\"example.com/shop/internal/nothere\"\n"
                             ")\n\n"
                             "func main() { fmt.Println(http.StatusOK) }\n");
            test::write_file("internal/store/store.go", "package store\n");
            const auto result = run();
            CHECK(where(result)
                  == Strings{"cmd/server/main.go:8 imports.undeclared",
                             "cmd/server/main.go:9 imports.undeclared",
                             "cmd/server/main.go:11 imports.undeclared"});
            CHECK(messages(result)
                  == Strings{"'github.com/foo/nonexist/pkg' is imported but go.mod requires no "
                             "module that provides it (module 'github.com/foo/nonexist')",
                             "'encoding/yaml' is not a package of Go's standard library (an "
                             "import path whose first element has no dot belongs to it)",
                             "'example.com/shop/internal/nothere' is a package of this module "
                             "('example.com/shop'), but the module has no folder "
                             "'internal/nothere'"});
        }

        SUBCASE("the modules of a workspace import each other without a require")
        {
            empty_folder();
            test::write_file("go.work", "go 1.22\n\nuse (\n\t./api\n\t./lib\n)\n");
            test::write_file("lib/go.mod", "module example.com/lib\n\ngo 1.22\n");
            test::write_file("lib/text/text.go", "package text\n");
            test::write_file("api/go.mod", "module example.com/api\n\ngo 1.22\n");
            test::write_file("api/main.go",
                             "package main\n\nimport (\n\t\"example.com/lib/text\"\n"
                             "\t\"example.com/other/pkg\"\n)\n");
            CHECK(where(run()) == Strings{"api/main.go:5 imports.undeclared"});
        }

        SUBCASE("with no go.mod, a third-party import asks for one")
        {
            empty_folder();
            test::write_file("main.go", "package main\n\nimport \"github.com/spf13/cobra\"\n");
            CHECK(messages(run())
                  == Strings{"'github.com/spf13/cobra' is imported but there is no go.mod: create "
                             "one (go mod init) and require module 'github.com/spf13/cobra'"});
        }
    }

    TEST_CASE("validate: the imports check in Java")
    {
        SUBCASE("without a build file, only the JDK and the project's packages are known")
        {
            empty_folder();
            test::write_file("src/com/acme/util/Strings.java", "package com.acme.util;\n");
            test::write_file("src/com/acme/app/Main.java",
                             "package com.acme.app;\n\n"
                             "import java.util.List;\n"
                             "import javax.swing.JFrame;\n"
                             "import static java.lang.Math.max;\n"
                             "import com.acme.util.Strings;\n"
                             "import com.acme.other.*;\n"
                             "import com.google.gson.Gson;\n"
                             "import javax.servlet.http.HttpServlet;\n"
                             "class Main {}\n");
            const auto result = run();
            // com.acme.other shares com.acme with the project's packages, but the
            // project has no such package.
            CHECK(where(result)
                  == Strings{"src/com/acme/app/Main.java:7 imports.java-unresolved",
                             "src/com/acme/app/Main.java:8 imports.java-unresolved",
                             "src/com/acme/app/Main.java:9 imports.java-unresolved"});
            REQUIRE(result.findings.size() == 3);
            CHECK(result.findings[1].severity == core::Severity::low);
            CHECK(result.findings[1].message
                  == "'com.google.gson.Gson' is neither part of the JDK nor in a package of this "
                     "project, and no build file (pom.xml, build.gradle) declares dependencies");
        }

        SUBCASE("JDK packages are known one by one; invented ones are not the JDK's")
        {
            empty_folder();
            test::write_file("src/main/java/com/acme/api/Api.java", "package com.acme.api;\n");
            test::write_file("src/main/java/com/acme/model/User.java", "package com.acme.model;\n");
            test::write_file("src/main/java/com/acme/app/App.java",
                             "package com.acme.app;\n\n"
                             "import java.fancy.Thing;\n"
                             "import java.util.streamz.Collectors;\n"
                             "import jdk.fancy.Thing2;\n"
                             "import com.acme.nothere.Foo;\n"
                             "import java.util.stream.Collectors;\n"
                             "import jdk.jfr.Event;\n"
                             "import org.omg.CORBA.ORB;\n"
                             "import com.sun.net.httpserver.HttpServer;\n"
                             "import com.acme.model.User;\n"
                             "import com.acme.api.*;\n"
                             "class App {}\n");
            CHECK(where(run())
                  == Strings{"src/main/java/com/acme/app/App.java:3 imports.java-unresolved",
                             "src/main/java/com/acme/app/App.java:4 imports.java-unresolved",
                             "src/main/java/com/acme/app/App.java:5 imports.java-unresolved",
                             "src/main/java/com/acme/app/App.java:6 imports.java-unresolved"});
            // A package of the project the walk leaves out is found under the source root.
            auto options = imports_options();
            options.walk.paths = {"src/main/java/com/acme/app"};
            CHECK(where(run(options))
                  == Strings{"src/main/java/com/acme/app/App.java:3 imports.java-unresolved",
                             "src/main/java/com/acme/app/App.java:4 imports.java-unresolved",
                             "src/main/java/com/acme/app/App.java:5 imports.java-unresolved",
                             "src/main/java/com/acme/app/App.java:6 imports.java-unresolved"});
        }

        SUBCASE("a build file declares what this check cannot read: nothing is reported")
        {
            empty_folder();
            test::write_file("pom.xml", "<project/>\n");
            test::write_file("src/Main.java", "import com.google.gson.Gson;\nclass Main {}\n");
            CHECK(run().findings.empty());
        }
    }

    TEST_CASE("validate: a spec's dependencies are declared")
    {
        SUBCASE("with --spec, the spec's list counts besides the manifests on disk")
        {
            empty_folder();
            test::write_file("spec.yaml",
                             "name: calc\nlanguage: python\noutputs: [calc.py]\n"
                             "dependencies: [\"requests>=2.31\", python-dateutil]\n");
            test::write_file("calc.py",
                             "import requests\nimport dateutil\nimport yaml\nimport flask\n");
            auto options = imports_options();
            options.spec = "spec.yaml";
            options.checks = {"imports"};
            auto result = validate::run_validate(options);
            REQUIRE(result.ok());
            Strings imports;
            for (const auto& finding : result->findings) {
                if (finding.rule_id == "imports.undeclared") {
                    imports.push_back(finding.message);
                }
            }
            CHECK(imports
                  == Strings{"'yaml' is imported but its package 'PyYAML' is not among the spec's "
                             "dependencies (spec.yaml) (it is not in the standard library of "
                             "Python 3.8\u20133.14)",
                             "'flask' is imported but not among the spec's dependencies "
                             "(spec.yaml) (it is not in the standard library of Python "
                             "3.8\u20133.14)"});
        }

        SUBCASE("a spec without dependencies allows none, and says so rather than asking "
                "for a manifest")
        {
            empty_folder();
            test::write_file("calc.py", "import yaml\n");
            auto options = imports_options();
            options.spec_dependencies = validate::SpecDependencies{"calc.yaml", "python", {}};
            CHECK(messages(run(options))
                  == Strings{"'yaml' is imported but its package 'PyYAML' is not allowed: the "
                             "spec (calc.yaml) lists no dependencies (it is not in the standard "
                             "library of Python 3.8\u20133.14)"});
            test::write_file("requirements.txt", "pyyaml\n");
            CHECK(run(options).findings.empty());
        }

        SUBCASE("npm and Go names, without their versions, for files of the spec's language")
        {
            empty_folder();
            test::write_file("app.ts",
                             "import express from 'express';\nimport left from 'left-pad';\n");
            test::write_file("main.go",
                             "package main\nimport \"github.com/gorilla/mux\"\nfunc main() {}\n");
            auto options = imports_options();
            options.spec_dependencies =
                validate::SpecDependencies{"api.yaml", "typescript", {"express@^4"}};
            CHECK(messages(run(options))
                  == Strings{"'left-pad' is imported but not among the spec's dependencies "
                             "(api.yaml)",
                             "'github.com/gorilla/mux' is imported but there is no go.mod: "
                             "create one (go mod init) and require module "
                             "'github.com/gorilla/mux'"});
            options.spec_dependencies =
                validate::SpecDependencies{"api.yaml", "go", {"github.com/gorilla/mux v1.8.0"}};
            CHECK(where(run(options))
                  == Strings{"app.ts:1 imports.undeclared", "app.ts:2 imports.undeclared"});
        }

        SUBCASE("the files that declare dependencies are known by name")
        {
            for (const char* path : {"requirements.txt",
                                     "sub/requirements-dev.txt",
                                     "requirements/base.txt",
                                     "pyproject.toml",
                                     "setup.py",
                                     "Pipfile",
                                     "web/package.json",
                                     "tsconfig.json",
                                     "go.mod",
                                     "pom.xml"}) {
                CHECK_MESSAGE(validate::declares_dependencies(path), path);
            }
            for (const char* path : {"notes.txt", "app.py", "package-lock.json", "docs/base.txt"}) {
                CHECK_FALSE_MESSAGE(validate::declares_dependencies(path), path);
            }
        }
    }

    TEST_CASE("validate: the imports check over a text in memory")
    {
        // check_text runs the check on a file the walk did not list: it has no manifest,
        // so a third-party import is reported and the standard library is not.
        test::write_file("placeholder.txt", "");
        const auto options = imports_options();
        auto workspace = source::walk_workspace(options.walk);
        REQUIRE(workspace.ok());
        auto checks = validate::make_checks(validate::CheckSetup{options, *workspace});
        REQUIRE(checks.ok());
        auto outcome = validate::check_text(*checks,
                                            "gen/app.py",
                                            fs::current_path() / "gen/app.py",
                                            source::Language::python,
                                            "import json\nimport flask_magic_login\n");
        REQUIRE(outcome.ok());
        REQUIRE(outcome->findings.size() == 1);
        CHECK(outcome->findings[0].location.start_line == 2);
        CHECK(outcome->findings[0].rule_id == "imports.undeclared");
        CHECK(outcome->findings[0].message.starts_with("'flask_magic_login' is imported but"));
    }
}
