#include "printers.hpp"
#include "spec/spec.hpp"

#include <doctest/doctest.h>

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
  outputs: [src/server.ts]
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
            REQUIRE(s.outputs.size() == 1);
            REQUIRE(s.endpoints.size() == 3);

            const spec::Endpoint& show = s.endpoints[0];
            CHECK(show.method == "GET");
            CHECK(show.path == "/pets/{petId}");
            CHECK(show.operation_id == "showPet");
            CHECK(show.summary == "One pet");
            CHECK(show.file == "src/server.ts"); // the only output
            CHECK(show.origin.line == 11);       // the method key
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
