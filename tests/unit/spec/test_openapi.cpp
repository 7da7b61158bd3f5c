#include "core/interrupt.hpp"
#include "printers.hpp"
#include "spec/spec.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <string_view>

namespace core = aiops::core;
namespace spec = aiops::spec;

namespace {

constexpr std::string_view k_yaml_document = R"(openapi: 3.0.3
info: {title: pets, version: "1"}
x-aiops:
  language: typescript
  framework: express
  outputs: [src/server.ts, src/pets.ts]
  file: src/server.ts
paths:
  /pets/{petId}:
    parameters:
      - $ref: '#/components/parameters/PetId'
    get:
      operationId: showPet
      summary: One pet
      parameters:
        - {name: verbose, in: query, schema: {$ref: '#/components/schemas/Flag'}}
    delete:
      operationId: deletePet
      parameters:
        - {name: petId, in: path, required: true, schema: {type: string}}
  /pets:
    $ref: '#/components/pathItems/Pets'
components:
  parameters:
    PetId: {name: petId, in: path, required: true, schema: {type: integer}}
  schemas:
    Flag: {$ref: '#/components/schemas/Boolean'}
    Boolean: {type: boolean}
    Tree:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
  pathItems:
    Pets:
      post: {operationId: addPet, x-aiops-file: src/pets.ts}
)";

spec::Spec load(std::string_view text, const spec::LoadOptions& options = {})
{
    auto loaded = spec::load_spec("api.yaml", text, options);
    if (!loaded) {
        FAIL_CHECK(loaded.error().message());
    }
    REQUIRE(loaded.ok());
    return std::move(loaded).take();
}

std::string load_error(std::string_view text)
{
    auto loaded = spec::load_spec("api.yaml", text);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().code() == core::ErrorCode::input);
    return loaded.error().message();
}

} // namespace

TEST_SUITE("spec")
{
    TEST_CASE("spec::load_spec: OpenAPI")
    {
        SUBCASE("each operation is an endpoint, with references resolved")
        {
            const spec::Spec s = load(k_yaml_document);
            CHECK(s.format == spec::Spec::Format::openapi);
            CHECK(s.name == "pets");
            CHECK(s.language == "typescript");
            CHECK(s.framework == "express");
            REQUIRE(s.outputs.size() == 2);
            REQUIRE(s.endpoints.size() == 3);

            const spec::Endpoint& show = s.endpoints[0];
            CHECK(show.method == "GET");
            CHECK(show.path == "/pets/{petId}");
            CHECK(show.operation_id == "showPet");
            CHECK(show.summary == "One pet");
            CHECK(show.file == "src/server.ts"); // x-aiops's file
            CHECK(show.origin.line == 12);       // the method key
            CHECK(show.origin.column == 5);
            REQUIRE(show.parameters.size() == 2);
            CHECK(show.parameters[0].name == "petId");
            CHECK(show.parameters[0].type == "integer");
            CHECK(show.parameters[0].required);
            CHECK(show.parameters[1].name == "verbose");
            CHECK(show.parameters[1].type == "boolean"); // through two references

            // The operation's parameter replaces the path item's of the same name.
            const spec::Endpoint& remove = s.endpoints[1];
            CHECK(remove.method == "DELETE");
            REQUIRE(remove.parameters.size() == 1);
            CHECK(remove.parameters[0].type == "string");

            const spec::Endpoint& add = s.endpoints[2];
            CHECK(add.method == "POST");
            CHECK(add.path == "/pets");
            CHECK(add.operation_id == "addPet");
            CHECK(add.file == "src/pets.ts");
        }

        SUBCASE("a JSON document of OpenAPI 3.1 reads the same way, with positions")
        {
            const spec::Spec s = load("{\n"
                                      "  \"openapi\": \"3.1.0\",\n"
                                      "  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n"
                                      "  \"paths\": {\n"
                                      "    \"/health\": {\n"
                                      "      \"get\": {\"operationId\": \"health\"}\n"
                                      "    }\n"
                                      "  }\n"
                                      "}\n");
            REQUIRE(s.endpoints.size() == 1);
            CHECK(s.endpoints[0].method == "GET");
            CHECK(s.endpoints[0].path == "/health");
            CHECK(s.endpoints[0].origin.line == 6);
            CHECK(s.endpoints[0].origin.column == 7);
            CHECK(s.language.empty());
            CHECK(s.endpoints[0].file.empty()); // any file may hold the handler
        }

        SUBCASE("without x-aiops, the language and outputs come from the options")
        {
            spec::LoadOptions options;
            options.default_language = "go";
            options.default_outputs = {"main.go"};
            const spec::Spec s = load("openapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
                                      "paths: {/a: {get: {}}}\n",
                                      options);
            CHECK(s.language == "go");
            REQUIRE(s.outputs.size() == 1);
            CHECK(s.outputs[0].path == "main.go");
            CHECK(s.endpoints.at(0).file == "main.go");
        }
    }

    TEST_CASE("spec::load_spec: OpenAPI errors")
    {
        constexpr std::string_view head = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\n";
        CHECK(load_error(std::string(head)
                         + "paths:\n  /a:\n    get:\n      parameters:\n"
                           "        - $ref: '#/components/parameters/Nope'\n")
              == "api.yaml:7:17: reference '#/components/parameters/Nope' points to nothing in "
                 "the document");
        CHECK(load_error(std::string(head)
                         + "paths: {}\ncomponents:\n  schemas:\n"
                           "    A: {$ref: '#/components/schemas/B'}\n"
                           "    B: {$ref: '#/components/schemas/A'}\n")
              == "api.yaml:6:15: circular reference: #/components/schemas/B -> "
                 "#/components/schemas/A -> #/components/schemas/B");
        CHECK(load_error(std::string(head) + "paths:\n  /a: {$ref: 'other.yaml#/paths/~1a'}\n")
              == "api.yaml:4:14: reference 'other.yaml#/paths/~1a' is outside the document; "
                 "only local references ('#/...') are followed");
        CHECK(load_error("openapi: 2.0\npaths: {}\n")
              == "api.yaml:1:10: OpenAPI '2.0' is not supported (3.0 and 3.1 are)");
        CHECK(load_error("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n")
              == "api.yaml:1:1: Swagger 2.0 is not supported; convert the document to OpenAPI 3 "
                 "(3.0 and 3.1 are read)");
        CHECK(load_error(std::string(head)
                         + "paths:\n  /a:\n    get: {operationId: f}\n    get: {operationId: g}\n")
              == "api.yaml:6:5: duplicate key 'get' (first at line 5, column 5)");
        CHECK(load_error(std::string(head)
                         + "paths:\n  /a: {get: {}, get: {}}\n  /b: {put: {}, put: {}}\n")
              == "api.yaml:4:17: duplicate key 'get' (first at line 4, column 8)");
        CHECK(load_error(std::string(head) + "paths: {}\ninfo: {title: u}\n")
              == "api.yaml:4:1: duplicate key 'info' (first at line 2, column 1)");
        CHECK(load_error("{\"openapi\": \"3.1.0\",\n \"paths\": {\"/a\": {\"get\": {}}},\n"
                         " \"paths\": {}}\n")
              == "api.yaml:3:2: duplicate key 'paths' (first at line 2, column 2)");
        std::string aliased =
            std::string(head) + "paths: {}\nx-l0: &l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
        for (int level = 1; level <= 7; ++level) {
            const std::string below = "*l" + std::to_string(level - 1);
            aliased += "x-l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
            for (int i = 0; i < 10; ++i) {
                aliased += (i == 0 ? "" : ", ") + below;
            }
            aliased += "]\n";
        }
        CHECK(load_error(aliased)
              == "api.yaml:1:1: the document has too many nodes to check (aliases repeated too "
                 "often?)");
        CHECK(load_error(std::string(head) + "x-aiops: {langauge: go}\n")
              == "api.yaml:3:11: unknown key 'langauge' in 'x-aiops'; did you mean 'language'?");
        CHECK(load_error(std::string(head)
                         + "paths:\n  /a: {get: {operationId: f}}\n  /b: {get: {operationId: "
                           "f}}\n")
              == "api.yaml:5:27: duplicate operationId 'f' (first at line 4)");
        CHECK(load_error(std::string(head) + "paths:\n  a: {get: {}}\n")
              == "api.yaml:4:3: path 'a' must start with '/'");
        CHECK(load_error("{\"openapi\": \"3.1.0\", \"paths\": {\"/a\": {\"get\": [1]}}}")
              == "api.yaml:1:46: operation 'get /a' must be a mapping");
    }

    TEST_CASE("spec::load_spec: OpenAPI documents whose structure would lose endpoints")
    {
        constexpr std::string_view head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";
        const std::string aiops = "x-aiops: {language: python, outputs: [a.py]}\n";
        CHECK(load_error(std::string(head) + aiops + "paths:\n  /a:\n    fetch: {operationId: x}\n")
              == "api.yaml:6:5: unknown key 'fetch' in path '/a'");
        CHECK(load_error(std::string(head) + aiops)
              == "api.yaml:1:1: the OpenAPI 3.0.3 document has no 'paths'");
        CHECK(load_error(std::string(head) + aiops + "paths:\n  /a/{id}: {}\n  /a/{name}: {}\n")
              == "api.yaml:6:3: path '/a/{name}' is path '/a/{id}' (line 5) with other parameter "
                 "names; OpenAPI allows one of them");
        CHECK(load_error("openapi: 3.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
              == "api.yaml:1:10: 'openapi' must be a string, not a number (quote it: \"3.0\")");
        CHECK(load_error(std::string(head) + aiops
                         + "paths:\n  /a:\n    get:\n      parameters: [{name: b, in: body}]\n")
              == "api.yaml:7:34: 'in' must be path, query, header or cookie, not 'body' (a body "
                 "is a request body, not a parameter)");
        // 3.1 needs paths, webhooks or components; x-aiops extensions of a path item are fine.
        CHECK(spec::load_spec("api.yaml",
                              "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents: {}\n")
                  .ok());
        CHECK(spec::load_spec("api.yaml",
                              std::string(head) + "paths:\n  /a: {x-owner: me, get: {}}\n")
                  .ok());
    }

    TEST_CASE("spec::load_spec: x-aiops's file and x-aiops-file are held to what outputs are")
    {
        constexpr std::string_view head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";
        const auto with_file = [&](const std::string& file) {
            return load_error(std::string(head)
                              + "x-aiops: {language: python, outputs: [a.py], file: " + file
                              + "}\npaths: {}\n");
        };
        CHECK(with_file("../up.py")
              == "api.yaml:3:52: 'file' must be a relative path that stays inside the output "
                 "folder, not '../up.py'");
        CHECK(with_file("/etc/hostname")
              == "api.yaml:3:52: 'file' must be a relative path that stays inside the output "
                 "folder, not '/etc/hostname'");
        CHECK(with_file("b.py") == "api.yaml:3:52: 'b.py' is not one of the spec's outputs");
        const auto operation_file = [&](const std::string& file) {
            return load_error(std::string(head)
                              + "x-aiops: {language: python, outputs: [a.py]}\npaths:\n  /a:\n"
                                "    get: {x-aiops-file: "
                              + file + "}\n");
        };
        CHECK(operation_file("5")
              == "api.yaml:6:25: 'x-aiops-file' must be a string, not a number (quote it: "
                 "\"5\")");
        CHECK(operation_file("../a.py")
              == "api.yaml:6:25: 'x-aiops-file' must be a relative path that stays inside the "
                 "output folder, not '../a.py'");
        CHECK(operation_file("b.py") == "api.yaml:6:25: 'b.py' is not one of the spec's outputs");
    }

    TEST_CASE("spec::load_spec: a long chain of references loads in time that grows with it")
    {
        // Each link resolved once: 20000 links took hours when every reference followed
        // the rest of the chain again.
        std::string text = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n"
                           "    get:\n      parameters: [{$ref: '#/components/parameters/p0'}]\n"
                           "components:\n  parameters:\n";
        constexpr int k_links = 20000;
        for (int i = 0; i < k_links; ++i) {
            text += "    p" + std::to_string(i) + ": {$ref: '#/components/parameters/p"
                    + std::to_string(i + 1) + "'}\n";
        }
        text += "    p" + std::to_string(k_links) + ": {name: q, in: query}\n";
        const auto started = std::chrono::steady_clock::now();
        const spec::Spec loaded = load(text);
        CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
        REQUIRE(loaded.endpoints.size() == 1);
        REQUIRE(loaded.endpoints[0].parameters.size() == 1);
        CHECK(loaded.endpoints[0].parameters[0].name == "q");

        // An interrupt stops the load.
        core::request_interrupt();
        auto interrupted = spec::load_spec("api.yaml", text);
        core::clear_interrupt();
        REQUIRE_FALSE(interrupted.ok());
        CHECK(interrupted.error().code() == core::ErrorCode::interrupted);
    }

    TEST_CASE("spec::load_spec: a .json document is held to JSON")
    {
        const auto error = [](std::string_view text) {
            auto loaded = spec::load_spec("api.json", text);
            REQUIRE_FALSE(loaded.ok());
            CHECK(loaded.error().code() == core::ErrorCode::input);
            return loaded.error().message();
        };
        CHECK(error("{\"openapi\": \"3.0.0\",\n \"paths\": {},}\n")
              == "api.json:2:14: invalid JSON: syntax error while parsing object key - "
                 "unexpected '}'; expected string literal");
        CHECK(
            error("{openapi: \"3.0.0\"}\n")
                .starts_with("api.json:1:2: invalid JSON: syntax error while parsing object key"));
        CHECK(spec::load_spec("api.json",
                              "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", "
                              "\"version\": \"1\"}, \"paths\": {}}\n")
                  .ok());
    }

    TEST_CASE("spec::load_spec_file")
    {
        const auto missing = spec::load_spec_file("no-such-spec.yaml");
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.error().code() == core::ErrorCode::usage);
        CHECK(missing.error().message().starts_with("--spec: 'no-such-spec.yaml': "));
    }
}
