#include "prompt/prompt.hpp"

#include <doctest/doctest.h>

#include <string>

namespace prompt = aiops::prompt;

namespace {

const char* const k_prompt = R"(name: codegen/python-module
description: Writes one module
variables:
  - name: module
    required: true
  - name: style
    default: pep8
model:
  model: openai:gpt-4o-mini
  temperature: 0.2
  max_tokens: 800
messages:
  - role: system
    template: |
      Write {{style}} code.
  - role: user
    template: "Write {{module}}"
metadata:
  owner: platform
  reviewed: true
)";

std::string load_error(const std::string& text)
{
    auto loaded = prompt::parse_prompt("p.prompt.yaml", text);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().code() == aiops::core::ErrorCode::input);
    return loaded.error().message();
}

} // namespace

TEST_SUITE("prompt")
{
    TEST_CASE("prompt::parse_prompt")
    {
        SUBCASE("a complete file loads every field")
        {
            auto loaded = prompt::parse_prompt("p.prompt.yaml", k_prompt, "codegen/python-module");
            REQUIRE(loaded.ok());
            const prompt::Prompt& p = *loaded;
            CHECK(p.name == "codegen/python-module");
            CHECK(p.description == "Writes one module");
            REQUIRE(p.variables.size() == 2);
            CHECK(p.variables[0].required);
            CHECK(p.variables[1].default_value == std::optional<std::string>("pep8"));
            CHECK(p.model.model == std::optional<std::string>("openai:gpt-4o-mini"));
            CHECK(p.model.temperature == std::optional<double>(0.2));
            CHECK(p.model.max_tokens == std::optional<std::int64_t>(800));
            REQUIRE(p.messages.size() == 2);
            CHECK(p.messages[0].text == "Write {{style}} code.\n");
            CHECK(p.metadata["reviewed"] == true);
            CHECK(p.metadata["owner"] == "platform");
        }
        SUBCASE("an unknown key names its place and the key meant")
        {
            CHECK(load_error("name: a\nmesages: []\n")
                  == "p.prompt.yaml:2:1: unknown key 'mesages' in the prompt; did you mean "
                     "'messages'?");
        }
        SUBCASE("an unknown key inside a variable")
        {
            CHECK(load_error("name: a\nvariables:\n  - name: x\n    requird: true\nmessages:\n"
                             "  - {role: user, template: hi}\n")
                  == "p.prompt.yaml:4:5: unknown key 'requird' in variables[0]; did you mean "
                     "'required'?");
        }
        SUBCASE("a wrong type")
        {
            CHECK(load_error("name: a\nvariables:\n  - name: x\n    required: maybe\nmessages:\n"
                             "  - {role: user, template: hi}\n")
                  == "p.prompt.yaml:4:15: 'required' must be true or false");
            CHECK(load_error("name: a\nmodel: {temperature: hot}\nmessages:\n"
                             "  - {role: user, template: hi}\n")
                  == "p.prompt.yaml:2:22: 'model.temperature' must be a number from 0 to 2");
        }
        SUBCASE("a duplicate variable points at the second and names the first")
        {
            CHECK(load_error("name: a\nvariables:\n  - name: x\n  - name: x\nmessages:\n"
                             "  - {role: user, template: hi}\n")
                  == "p.prompt.yaml:4:11: duplicate variable 'x' (first declared at line 3)");
        }
        SUBCASE("a key given twice")
        {
            CHECK(load_error("name: a\nname: b\nmessages:\n  - {role: user, template: hi}\n")
                  == "p.prompt.yaml:2:1: duplicate key 'name' in the prompt (first at line 1)");
        }
        SUBCASE("a YAML syntax error")
        {
            CHECK(load_error("name: a\nmessages: [\n")
                      .starts_with("p.prompt.yaml:3:1: invalid YAML"));
        }
        SUBCASE("a missing field, an unknown role, a name unlike the path")
        {
            CHECK(load_error("name: a\n") == "p.prompt.yaml:1:1: the prompt has no 'messages'");
            CHECK(load_error("name: a\nmessages:\n  - {role: sytem, template: hi}\n")
                  == "p.prompt.yaml:3:12: unknown role 'sytem' (system, developer, user, "
                     "assistant); did you mean 'system'?");
            auto renamed = prompt::parse_prompt("p.prompt.yaml", k_prompt, "other");
            REQUIRE_FALSE(renamed.ok());
            CHECK(renamed.error().message()
                  == "p.prompt.yaml:1:7: the file is prompt 'other' by its path but says name "
                     "'codegen/python-module'");
        }
        SUBCASE("bytes that are not UTF-8 are placed, not an internal error")
        {
            CHECK(load_error("name: badutf8\nmessages:\n  - {role: user, template: \"hi "
                             "\xff\xfe\"}\n")
                  == "p.prompt.yaml:3:32: invalid UTF-8 (byte 0xFF); the file must be UTF-8");
            CHECK(load_error("name: caf\xc3\n").starts_with("p.prompt.yaml:1:10: invalid UTF-8"));
        }
        SUBCASE("a required variable with a default")
        {
            CHECK(load_error("name: a\nvariables:\n  - {name: x, required: true, default: y}\n"
                             "messages:\n  - {role: user, template: hi}\n")
                  == "p.prompt.yaml:3:40: variable 'x' is required, so a default is never used");
        }
    }

    TEST_CASE("prompt::prompt_hash")
    {
        const std::string reformatted = R"(# the same prompt, written differently
metadata: {reviewed: true, owner: "platform"}
messages:
  - template: "Write {{style}} code.\n"
    role: system
  - {role: user, template: 'Write {{module}}'}
model: {max_tokens: 800, temperature: 0.20, model: "openai:gpt-4o-mini"}
variables:
  - {required: true, name: module}
  - {default: "pep8", name: style}
description: "Writes one module"
name: codegen/python-module
)";
        const auto a = prompt::parse_prompt("a", k_prompt).take();
        const auto b = prompt::parse_prompt("b", reformatted).take();
        SUBCASE("layout, quoting and key order do not change the hash")
        {
            CHECK(prompt::prompt_hash(a) == prompt::prompt_hash(b));
            CHECK(prompt::prompt_hash(a).starts_with("sha256:"));
            CHECK(prompt::prompt_hash(a).size() == 7 + 64);
        }
        SUBCASE("a changed template or setting does")
        {
            auto edited = a;
            edited.messages[1].text += "!";
            CHECK(prompt::prompt_hash(edited) != prompt::prompt_hash(a));
            auto warmer = a;
            warmer.model.temperature = 0.3;
            CHECK(prompt::prompt_hash(warmer) != prompt::prompt_hash(a));
        }
    }

    TEST_CASE("prompt::is_valid_prompt_name")
    {
        CHECK(prompt::is_valid_prompt_name("codegen/python-module"));
        CHECK(prompt::is_valid_prompt_name("review_v2.short"));
        CHECK_FALSE(prompt::is_valid_prompt_name(""));
        CHECK_FALSE(prompt::is_valid_prompt_name("a//b"));
        CHECK_FALSE(prompt::is_valid_prompt_name("../escape"));
        CHECK_FALSE(prompt::is_valid_prompt_name("has space"));
    }

    TEST_CASE("prompt::parse_values")
    {
        const auto error_of = [](const std::string& file, const std::string& text) {
            const auto values = prompt::parse_values(file, text);
            REQUIRE_FALSE(values.ok());
            CHECK(values.error().code() == aiops::core::ErrorCode::input);
            return values.error().message();
        };
        SUBCASE("lists, mappings and null keep their shape")
        {
            const auto values =
                prompt::parse_values("v.yaml", "items: [a, 2]\nuser: {name: Ada}\nnote: null\n")
                    .take();
            CHECK(values.dump() == R"({"items":["a","2"],"note":null,"user":{"name":"Ada"}})");
        }
        SUBCASE("numbers keep the text they are written as")
        {
            const auto yaml = prompt::parse_values("v.yaml",
                                                   "diff: 3.10\nlanguage: 1e3\nn: "
                                                   "18446744073709551616\nk: 1.0\nm: .inf\nt: "
                                                   "true\nq: '7'\n")
                                  .take();
            CHECK(yaml.dump()
                  == R"({"diff":"3.10","k":"1.0","language":"1e3","m":".inf",)"
                     R"("n":"18446744073709551616","q":"7","t":true})");
            const auto json = prompt::parse_values(
                                  "v.json", R"({"n": 12345678901234567890123, "k": 0.10, "z": -0})")
                                  .take();
            CHECK(json.dump() == R"({"k":"0.10","n":"12345678901234567890123","z":"-0"})");
        }
        SUBCASE("a number too large for a double, or bytes that are not UTF-8")
        {
            CHECK(error_of("v.json", R"({"n": 12345678901234567890123, "m": 1e400, "k": 0.1})")
                  == "v.json:1:37: number out of range: '1e400' is beyond what a number can "
                     "hold; quote it to pass it as text");
            CHECK(error_of("v.yaml", "a: [1, -2e999]\n")
                      .starts_with("v.yaml:1:8: number out of range"));
            CHECK(error_of("v.yaml", "a: x\nb: \"\xff\"\n")
                  == "v.yaml:2:5: invalid UTF-8 (byte 0xFF); the file must be UTF-8");
        }
        SUBCASE("a key given twice, at the top or inside a value")
        {
            CHECK(error_of("v.yaml", "a: 1\nb: 2\na: 3\n")
                  == "v.yaml:3:1: duplicate key 'a' (first at line 1, column 1)");
            CHECK(error_of("v.yaml", "a:\n  x: 1\n  x: 2\n")
                  == "v.yaml:3:3: duplicate key 'x' (first at line 2, column 3)");
            CHECK(error_of("v.json", "{\"a\": [{\"k\": 1,\n \"k\": 2}]}")
                  == "v.json:2:2: duplicate key 'k' (first at line 1, column 9)");
        }
        SUBCASE("not a mapping, or not YAML")
        {
            CHECK(error_of("v.yaml", "\n- a\n")
                  == "v.yaml:2:1: the values must be a mapping of variable names to values");
            CHECK(error_of("v.json", "{\"a\": [1,\n 2}").starts_with("v.json:2:3: invalid JSON: "));
        }
    }
}
