#include "generate/prompt_assembly.hpp"

#include <doctest/doctest.h>

#include <string>

namespace core = aiops::core;
namespace generate = aiops::generate;
namespace llm = aiops::llm;
namespace spec = aiops::spec;

namespace {

spec::Spec loaded(std::string_view text)
{
    auto spec = spec::load_spec("api.yaml", text);
    if (!spec) {
        FAIL_CHECK(spec.error().message());
    }
    REQUIRE(spec.ok());
    return *spec;
}

constexpr std::string_view k_spec = R"yaml(version: 1
name: users
description: A user registry.
language: python
framework: flask
outputs:
  - {path: app/store.py, description: The store.}
  - app/api.py
functions:
  - name: create_app
    file: app/api.py
    parameters:
      - {name: store, type: "UserStore | None", default: None}
    returns: Flask
classes:
  - name: UserStore
    file: app/store.py
    fields: [{name: size, type: int}]
    methods:
      - {name: get_user, parameters: [{name: user_id, type: int}], returns: "User | None"}
endpoints:
  - {method: GET, path: "/users/{user_id}", operationId: get_user, file: app/api.py}
requirements: [Unknown ids give 404.]
dependencies: [flask]
)yaml";

} // namespace

TEST_SUITE("generate")
{
    TEST_CASE("generate::assemble_prompt")
    {
        SUBCASE("the built-in prompt names every output, the interface and the dependencies")
        {
            auto prompt = generate::assemble_prompt(loaded(k_spec), nullptr);
            REQUIRE(prompt.ok());
            CHECK(prompt->builtin);
            CHECK(prompt->identity.name == "builtin/python");
            CHECK(prompt->identity.sha256.size() == 64);
            REQUIRE(prompt->messages.size() == 2);
            CHECK(prompt->messages[0].role == llm::Role::system);
            CHECK(prompt->messages[0].content.find("```python path=app/store.py\n")
                  != std::string::npos);
            CHECK(prompt->messages[0].content.ends_with(
                "the dependencies the specification allows. Give every function type hints, "
                "and follow PEP 8."));
            CHECK(prompt->messages[1].content
                  == "Write users: A user registry.\n"
                     "\n"
                     "Language: python, with flask\n"
                     "\n"
                     "Files to write:\n"
                     "- app/store.py: The store.\n"
                     "- app/api.py\n"
                     "\n"
                     "The interface, exactly as named here:\n"
                     "Functions:\n"
                     "- create_app(store: UserStore | None = None) -> Flask in app/api.py\n"
                     "Classes:\n"
                     "- class UserStore in app/store.py\n"
                     "  - field size: int\n"
                     "  - method get_user(user_id: int) -> User | None\n"
                     "HTTP endpoints:\n"
                     "- GET /users/{user_id} (operationId get_user) in app/api.py\n"
                     "\n"
                     "Requirements:\n"
                     "- Unknown ids give 404.\n"
                     "\n"
                     "Dependencies allowed besides the standard library: flask\n");
        }

        SUBCASE("the example of the reply's form quotes a path with spaces")
        {
            auto prompt = generate::assemble_prompt(
                loaded("name: t\nlanguage: python\noutputs: [\"my app/a.py\", app/b.py]\n"),
                nullptr);
            REQUIRE(prompt.ok());
            CHECK(prompt->messages[0].content.find("```python path=\"my app/a.py\"\n")
                  != std::string::npos);
        }

        SUBCASE("a spec naming a registry prompt without a registry is a usage error")
        {
            auto prompt = generate::assemble_prompt(
                loaded(std::string(k_spec) + "prompt: service@v2\n"), nullptr);
            REQUIRE_FALSE(prompt.ok());
            CHECK(prompt.error().code() == core::ErrorCode::usage);
            CHECK(prompt.error().message()
                  == "api.yaml: the spec names prompt 'service@v2' but no prompt registry (a "
                     "folder with prompts/) was found; name one with --registry");
        }
    }

    TEST_CASE("generate::repair_message")
    {
        core::Finding finding;
        finding.rule_id = "syntax.error";
        finding.message = "unexpected ')'";
        finding.location = {"app/api.py", 3, 7, 3, 8};
        CHECK(generate::repair_message({finding})
              == "The files you wrote fail these checks:\n"
                 "- app/api.py:3:7: syntax.error: unexpected ')'\n"
                 "\n"
                 "Answer again with every file of the specification, each whole and in the same "
                 "form, with these problems corrected.");
    }
}
