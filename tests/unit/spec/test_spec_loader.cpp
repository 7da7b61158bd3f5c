#include "printers.hpp"
#include "spec/spec.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

namespace core = aiops::core;
namespace spec = aiops::spec;

using Strings = std::vector<std::string>;

namespace {

constexpr std::string_view k_full_spec = R"(version: 1
name: users
description: A user registry.
language: py
framework: flask
outputs:
  - path: app/store.py
    description: The store.
  - app/api.py
functions:
  - name: create_app
    file: app/api.py
    description: Builds the application.
    parameters:
      - {name: store, type: "UserStore | None", default: None}
      - debug
    returns: Flask
classes:
  - name: UserStore
    file: app/store.py
    bases: [Base]
    fields:
      - {name: users, type: "dict[int, User]"}
    methods:
      - name: create_user
        parameters:
          - {name: name, type: str}
          - {name: role, type: str, default: "'user'", description: The role.}
        returns: User
endpoints:
  - method: get
    path: /users/{id}
    operationId: get_user
    summary: Read a user
    file: app/api.py
    parameters:
      - {name: id, in: path, required: true, type: integer}
requirements: [Ids are positive.]
dependencies: [flask, pydantic]
prompt: python-service@v2
model: {provider: openai, model: gpt-4o, temperature: 0.2, max_tokens: 4000}
metadata:
  owner: team
  reviewed: true
  tickets: [3, 4]
)";

spec::Spec load(std::string_view text, const spec::LoadOptions& options = {})
{
    auto loaded = spec::load_spec("spec.yaml", text, options);
    if (!loaded) {
        FAIL_CHECK(loaded.error().message());
    }
    REQUIRE(loaded.ok());
    return std::move(loaded).take();
}

std::string load_error(std::string_view text)
{
    auto loaded = spec::load_spec("spec.yaml", text);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().code() == core::ErrorCode::input);
    return loaded.error().message();
}

} // namespace

TEST_SUITE("spec")
{
    TEST_CASE("spec::load_spec: the own format")
    {
        SUBCASE("every part of a full spec is read")
        {
            const spec::Spec s = load(k_full_spec);
            CHECK(s.format == spec::Spec::Format::aiops);
            CHECK(s.path == "spec.yaml");
            CHECK(s.name == "users");
            CHECK(s.language == "python"); // an alias is stored by its canonical name
            CHECK(s.framework == "flask");
            REQUIRE(s.outputs.size() == 2);
            CHECK(s.outputs[0].path == "app/store.py");
            CHECK(s.outputs[0].description == "The store.");
            CHECK(s.outputs[1].path == "app/api.py");

            REQUIRE(s.functions.size() == 1);
            const spec::Function& f = s.functions[0];
            CHECK(f.name == "create_app");
            CHECK(f.file == "app/api.py");
            CHECK(f.returns == "Flask");
            CHECK(f.origin.line == 11);
            CHECK(f.origin.column == 5);
            REQUIRE(f.parameters.size() == 2);
            CHECK(f.parameters[0].type == "UserStore | None");
            CHECK(f.parameters[0].default_value == std::optional<std::string>("None"));
            CHECK(f.parameters[1].name == "debug");
            CHECK_FALSE(f.parameters[1].default_value.has_value());

            REQUIRE(s.classes.size() == 1);
            const spec::Class& c = s.classes[0];
            CHECK(c.bases == Strings{"Base"});
            REQUIRE(c.fields.size() == 1);
            CHECK(c.fields[0].type == "dict[int, User]");
            REQUIRE(c.methods.size() == 1);
            CHECK(c.methods[0].file == "app/store.py"); // a method lives in its class's file
            CHECK(c.methods[0].parameters[1].default_value == std::optional<std::string>("'user'"));
            CHECK(c.methods[0].parameters[1].description == "The role.");

            REQUIRE(s.endpoints.size() == 1);
            const spec::Endpoint& e = s.endpoints[0];
            CHECK(e.method == "GET");
            CHECK(e.path == "/users/{id}");
            CHECK(e.operation_id == "get_user");
            CHECK(e.summary == "Read a user");
            REQUIRE(e.parameters.size() == 1);
            CHECK(e.parameters[0].required);
            CHECK(e.parameters[0].type == "integer");

            CHECK(s.requirements == Strings{"Ids are positive."});
            CHECK(s.dependencies == Strings{"flask", "pydantic"});
            REQUIRE(s.prompt.has_value());
            CHECK(s.prompt->name == "python-service");
            CHECK(s.prompt->version == "v2");
            REQUIRE(s.model.has_value());
            CHECK(s.model->provider == "openai");
            CHECK(s.model->temperature == doctest::Approx(0.2));
            CHECK(s.model->max_tokens == 4000);
            CHECK(s.metadata["owner"] == "team");
            CHECK(s.metadata["reviewed"] == true);
            CHECK(s.metadata["tickets"][1] == 4);
            CHECK(s.hash.size() == 64);
        }

        SUBCASE("with one output, declarations default to it")
        {
            const spec::Spec s = load("language: go\noutputs: [main.go]\n"
                                      "functions: [{name: Add, parameters: [{name: a, type: "
                                      "int}]}]\n"
                                      "classes: [{name: Store}]\n");
            CHECK(s.functions.at(0).file == "main.go");
            CHECK(s.classes.at(0).file == "main.go");
        }
    }

    TEST_CASE("spec::load_spec: errors name the file, line and column")
    {
        CHECK(load_error("language: python\noutputs: [a.py\n")
                  .starts_with("spec.yaml:3:1: "
                               "invalid YAML: "));
        CHECK(load_error("language: python\noutputs: [a.py]\nfunctions:\n\t- name: f\n")
              == "spec.yaml:4:2: invalid YAML: illegal block entry (the line is indented with a "
                 "tab; YAML indents with spaces only)");
        CHECK(load_error("language: python\noutputs: [a.py]\nfunctionz: []\n")
              == "spec.yaml:3:1: unknown key 'functionz' in the spec; did you mean 'functions'?");
        CHECK(load_error("language: python\noutputs: [a.py]\nfunctions:\n  - nam: f\n")
              == "spec.yaml:4:5: unknown key 'nam' in a function; did you mean 'name'?");
        CHECK(load_error("language: python\noutputs: [a.py]\nfunctions: f\n")
              == "spec.yaml:3:12: 'functions' must be a list");
        CHECK(load_error("language: python\noutputs: [a.py]\n"
                         "functions: [{name: f, parameters: {a: 1}}]\n")
              == "spec.yaml:3:35: 'parameters' must be a list");
        CHECK(load_error("language: python\noutputs: [a.py]\nfunctions: [{name: [f]}]\n")
              == "spec.yaml:3:20: 'name' must be a string");
        CHECK(
            load_error("language: python\noutputs: [a.py]\nfunctions: [{name: f, returns: true}]\n")
            == "spec.yaml:3:32: 'returns' must be a string, and true reads as a boolean: put "
               "it in quotes for the text");
        CHECK(load_error("outputs: [a.py]\n") == "spec.yaml:1:1: the spec has no 'language'");
        CHECK(load_error("language: python\noutputs: [a.py]\nfunctions: [{file: a.py}]\n")
              == "spec.yaml:3:13: a function has no 'name'");
        CHECK(load_error("language: python\noutputs: [a.py]\nfunctions:\n"
                         "  - name: f\n  - name: g\n  - name: f\n")
              == "spec.yaml:6:5: duplicate function 'f' in 'a.py' (first declared at line 4)");
        CHECK(load_error("language: python\nlanguage: go\noutputs: [a.py]\n")
              == "spec.yaml:2:1: duplicate key 'language' (first at line 1, column 1)");
        CHECK(load_error("language: python\noutputs: [a.py]\nfunctions:\n"
                         "  - name: f\n    returns: int\n    returns: str\n")
              == "spec.yaml:6:5: duplicate key 'returns' (first at line 5, column 5)");
        CHECK(load_error("language: cobol\noutputs: [a.py]\n")
              == "spec.yaml:1:11: unknown language 'cobol'");
        CHECK(load_error("language: python\noutputs: [a.py]\nprompt: codegen\n")
              == "spec.yaml:3:9: 'prompt' must be 'name@version'");
        CHECK(load_error("language: python\noutputs: [a.py, b.py]\nfunctions: [{name: f}]\n")
              == "spec.yaml:3:13: with several outputs, each declaration names its 'file'");
        CHECK(load_error("language: python\noutputs: [a.py]\n"
                         "functions: [{name: f, file: b.py}]\n")
              == "spec.yaml:3:29: 'b.py' is not one of the spec's outputs");
        CHECK(load_error("language: python\noutputs: [../a.py]\n")
              == "spec.yaml:2:11: output '../a.py' must be a relative path that stays inside "
                 "the output folder");
        CHECK(load_error("language: python\noutputs: [a.py]\nendpoints: [{method: FETCH, "
                         "path: /a}]\n")
              == "spec.yaml:3:22: 'FETCH' is not an HTTP method (GET, POST, PUT, PATCH, "
                 "DELETE, HEAD, OPTIONS, TRACE)");
        CHECK(load_error("language: python\noutputs: [a.py]\nmodel: {temperature: warm}\n")
              == "spec.yaml:3:22: 'temperature' must be a number");
        CHECK(load_error("language: python\noutputs: [a.py]\nmodel: {max_tokens: 1.5}\n")
              == "spec.yaml:3:21: 'max_tokens' must be a whole number");
        CHECK(load_error("language: python\noutputs: [a.py]\nfunctions: [{name: f, "
                         "parameters: [a, a]}]\n")
              == "spec.yaml:3:39: duplicate parameter 'a'");
        CHECK(load_error("- a\n")
              == "spec.yaml:1:1: a spec is a mapping: the own format, or an OpenAPI document");
    }

    TEST_CASE("spec::load_spec: names are strings, places are HTTP's, one document a file")
    {
        CHECK(load_error("name: 5\nlanguage: python\noutputs: [a.py]\n")
              == "spec.yaml:1:7: 'name' must be a string, not a number (quote it: \"5\")");
        CHECK(load_error("language: python\noutputs: [a.py]\nfunctions: [{name: true}]\n")
              == "spec.yaml:3:20: 'name' must be a string, not a boolean (quote it: \"true\")");
        CHECK(load_error("language: python\noutputs: [a.py]\nendpoints:\n"
                         "  - {method: GET, path: /a, parameters: [{name: b, in: body}]}\n")
              == "spec.yaml:4:56: 'in' must be path, query, header or cookie, not 'body' (a body "
                 "is a request body, not a parameter)");
        CHECK(load_error("language: python\noutputs: [a.py]\n---\nlanguage: go\n")
              == "spec.yaml:3:1: a second YAML document starts here; the file must hold one "
                 "document");
        CHECK(load_error("language: python\noutputs: [a.py]\nendpoints:\n"
                         "  - {method: GET, path: /x}\n  - {method: GET, path: /x}\n")
              == "spec.yaml:5:5: duplicate endpoint 'GET /x' (first declared at line 4)");
        CHECK(spec::load_spec("spec.yaml", "---\nname: \"5\"\nlanguage: python\noutputs: [a.py]\n")
                  .ok());
    }

    TEST_CASE("spec::load_spec: text that is not UTF-8 is refused at its byte")
    {
        // Latin-1 text once reached the JSON of the prompt and the manifest, and stopped
        // the run with an internal error.
        CHECK(load_error("name: calc\ndescription: caf\xe9\nlanguage: python\noutputs: [a.py]\n")
              == "spec.yaml:2:17: invalid UTF-8 (byte 0xE9); the file must be UTF-8");
        CHECK(load_error("name: \xff\xfe\nlanguage: python\noutputs: [a.py]\n")
              == "spec.yaml:1:7: invalid UTF-8 (byte 0xFF); the file must be UTF-8");
        CHECK(load_error("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n"
                         "    get:\n      summary: caf\xe9\n")
              == "spec.yaml:6:19: invalid UTF-8 (byte 0xE9); the file must be UTF-8");
    }

    TEST_CASE("spec::load_spec: a default is text, a number, a boolean or null")
    {
        const auto parameters =
            load("language: python\noutputs: [a.py]\nfunctions:\n  - name: f\n    parameters:\n"
                 "      - {name: a, default: null}\n      - {name: b, default: ~}\n"
                 "      - {name: c, default: false}\n      - {name: d, default: 'False'}\n"
                 "      - {name: e, default: 0}\n      - {name: g, default: \"'x'\"}\n")
                .functions[0]
                .parameters;
        REQUIRE(parameters.size() == 6);
        using Kind = spec::DefaultKind;
        CHECK(parameters[0].default_kind == Kind::null);
        CHECK(parameters[0].default_value == "null");
        CHECK(parameters[1].default_kind == Kind::null);
        CHECK(parameters[2].default_kind == Kind::boolean);
        CHECK(parameters[2].default_value == "false");
        CHECK(parameters[3].default_kind == Kind::text);
        CHECK(parameters[3].default_value == "False");
        CHECK(parameters[4].default_kind == Kind::number);
        CHECK(parameters[5].default_kind == Kind::text);
        CHECK(parameters[5].default_value == "'x'");
    }

    TEST_CASE("spec::spec_hash")
    {
        const spec::Spec a = load("language: python\noutputs: [a.py]\n"
                                  "functions: [{name: f, parameters: [x]}]\n");
        const spec::Spec b = load("# the same spec, written another way\n"
                                  "outputs:\n  - path: \"a.py\"\nlanguage: py\n"
                                  "functions:\n  - parameters:\n      - name: x\n    name: f\n");
        const spec::Spec c = load("language: python\noutputs: [a.py]\n"
                                  "functions: [{name: f, parameters: [y]}]\n");
        CHECK(a.hash == b.hash);
        CHECK(a.hash != c.hash);
        CHECK(a.hash == spec::spec_hash(a));
    }

    TEST_CASE("spec::parse_prompt_reference")
    {
        const auto reference = spec::parse_prompt_reference("team/codegen@v3");
        REQUIRE(reference.has_value());
        CHECK(reference->name == "team/codegen");
        CHECK(reference->version == "v3");
        CHECK_FALSE(spec::parse_prompt_reference("codegen@").has_value());
        CHECK_FALSE(spec::parse_prompt_reference("@v1").has_value());
        CHECK_FALSE(spec::parse_prompt_reference("codegen").has_value());
    }
}
