#include "behave/suite.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace behave = aiops::behave;

namespace {

behave::Suite parse(const std::string& text, const std::filesystem::path& base = "/base")
{
    auto suite = behave::parse_suite(text, "s.suite.yaml", base);
    if (!suite) {
        FAIL(suite.error().message());
    }
    return std::move(suite).take();
}

std::string error_of(const std::string& text)
{
    auto suite = behave::parse_suite(text, "s.suite.yaml", "/base");
    REQUIRE_FALSE(suite.ok());
    CHECK(suite.error().code() == aiops::core::ErrorCode::input);
    return suite.error().message();
}

} // namespace

TEST_SUITE("behave")
{
    TEST_CASE("behave::parse_suite")
    {
        SUBCASE("a command case with every setting")
        {
            std::filesystem::create_directories("sub");
            const auto suite =
                parse("name: demo\n"
                      "defaults: {trials: 7, threshold: 0.8, timeout: 500ms, max-output: 2M, "
                      "normalise: case}\n"
                      "cases:\n"
                      "  - id: echo\n"
                      "    run: [echo, hi]\n"
                      "    stdin: input\n"
                      "    env: {A: b}\n"
                      "    cwd: sub\n"
                      "    timeout: 2\n"
                      "    max-output: 512K\n"
                      "    trials: 3\n"
                      "    consistency: {min: 0.5, normalise: json}\n"
                      "    assert:\n"
                      "      - stdout-contains: hi\n"
                      "      - not: {stderr-regex: 'err.r'}\n",
                      std::filesystem::current_path());
            CHECK(suite.name == "demo");
            CHECK(suite.defaults.trials == 7);
            CHECK(suite.defaults.threshold == 0.8);
            CHECK(suite.defaults.timeout == std::chrono::milliseconds(500));
            CHECK(suite.defaults.normalisation == behave::Normalisation::case_fold);
            REQUIRE(suite.cases.size() == 1);
            const auto& spec = suite.cases[0];
            CHECK(spec.position.line == 4);
            CHECK(spec.position.column == 5);
            REQUIRE(spec.command.has_value());
            CHECK(spec.command->argv == std::vector<std::string>{"echo", "hi"});
            CHECK(spec.command->stdin_text == "input");
            CHECK(spec.command->env.at("A") == "b");
            CHECK(spec.command->working_folder == std::filesystem::current_path() / "sub");
            CHECK(spec.timeout->count() == 2000);
            CHECK(suite.defaults.max_output == 2U * 1024 * 1024);
            CHECK(spec.max_output == 512U * 1024);
            CHECK(spec.trials == 3U);
            CHECK(spec.consistency_min == 0.5);
            CHECK(spec.normalisation == behave::Normalisation::json);
            REQUIRE(spec.assertions.size() == 2);
            CHECK(spec.assertions[0].kind == behave::Assertion::Kind::contains);
            CHECK(spec.assertions[0].stream == behave::Stream::stdout_stream);
            CHECK(spec.assertions[1].negated);
            CHECK(spec.assertions[1].kind == behave::Assertion::Kind::regex);
            CHECK(spec.assertions[1].stream == behave::Stream::stderr_stream);
            CHECK(spec.assertions[1].position.line == 15);
        }
        SUBCASE("prompt cases: a registry reference, and inline messages with variables")
        {
            const auto suite =
                parse("defaults: {provider: openai, model: gpt-4o-mini, temperature: 0.2}\n"
                      "cases:\n"
                      "  - id: summary\n"
                      "    prompt: summarise@3\n"
                      "    vars: {text: hello}\n"
                      "    assert: [{max-cost: 0.01}, {max-latency-ms: 2000}]\n"
                      "  - id: inline\n"
                      "    messages:\n"
                      "      - {role: system, content: Be brief.}\n"
                      "      - {role: user, content: 'Say {{word}}'}\n"
                      "    vars: {word: yes}\n"
                      "    provider: anthropic\n"
                      "    model: claude-haiku\n"
                      "    max-tokens: 64\n"
                      "    assert: [{icontains: yes}]\n");
            REQUIRE(suite.cases.size() == 2);
            const auto& summary = *suite.cases[0].prompt;
            CHECK(summary.prompt_name == "summarise");
            CHECK(summary.prompt_version == "3");
            CHECK(summary.variables.at("text") == "hello");
            CHECK(suite.defaults.provider == "openai");
            const auto& inline_case = *suite.cases[1].prompt;
            REQUIRE(inline_case.messages.size() == 2);
            CHECK(inline_case.messages[1].content == "Say {{word}}");
            CHECK(inline_case.provider == "anthropic");
            CHECK(inline_case.max_tokens == 64);
        }
        SUBCASE("json-schema, json-path and valid-code operands")
        {
            const auto suite = parse("cases:\n"
                                     "  - id: j\n"
                                     "    run: [cat]\n"
                                     "    assert:\n"
                                     "      - json-schema: {type: object, required: [a]}\n"
                                     "      - json-path: {path: $.a, equals: 1}\n"
                                     "      - json-path: {path: '$.b', contains: 'x'}\n"
                                     "      - valid-code: python\n");
            const auto& assertions = suite.cases[0].assertions;
            REQUIRE(assertions.size() == 4);
            CHECK(assertions[0].schema->is_valid(nlohmann::json::parse(R"({"a": 1})")));
            CHECK_FALSE(assertions[0].schema->is_valid(nlohmann::json::parse(R"({"b": 1})")));
            CHECK(*assertions[1].path_equals == nlohmann::json(1));
            CHECK(*assertions[2].path_contains == nlohmann::json("x"));
            CHECK(assertions[3].language == aiops::source::Language::python);
        }
    }

    TEST_CASE("behave: a command case without a timeout may take the 60 s the README states")
    {
        CHECK(behave::k_default_command_timeout == std::chrono::seconds(60));
    }

    TEST_CASE("behave::parse_suite errors")
    {
        CHECK(error_of("cases:\n  - id: a\n    run: [x]\n    asert: []\n")
              == "s.suite.yaml:4:5: unknown key 'asert' in a case; did you mean 'assert'?");
        CHECK(error_of("cases:\n  - id: a\n    run: [x]\n    assert:\n      - stdout-contians: x\n")
              == "s.suite.yaml:5:9: unknown assertion 'stdout-contians'; did you mean "
                 "'stdout-contains'?");
        CHECK(error_of("cases:\n  - id: a\n    run: [x]\n    assert:\n      - regex: '(a'\n")
                  .rfind("s.suite.yaml:5:16: invalid regular expression:", 0)
              == 0);
        CHECK(error_of("cases:\n  - id: a\n    run: [x]\n    assert: [{max-cost: 1}]\n")
              == "s.suite.yaml:4:15: 'max-cost' applies to prompt cases: a command costs nothing");
        CHECK(
            error_of("cases:\n  - id: a\n    messages: [{role: user, content: hi}]\n    assert: "
                     "[{exit-code: 0}]\n")
            == "s.suite.yaml:4:15: 'exit-code' applies to command cases; this case calls a model");
        CHECK(error_of("cases:\n  - id: a\n    assert: [{contains: x}]\n")
              == "s.suite.yaml:2:5: the case 'a' needs either 'run' (a command) or "
                 "'prompt'/'messages' (a model call), not neither");
        CHECK(error_of("cases:\n  - id: a\n    run: [x]\n    assert: [{contains: x}]\n  - id: a\n  "
                       "  run: [y]\n    assert: [{contains: y}]\n")
              == "s.suite.yaml:5:9: the case id 'a' is used twice");
        CHECK(error_of("cases:\n  - id: a\n    messages: [{role: user, content: 'Hi {{who}}'}]\n"
                       "    vars: {whom: Ada}\n    assert: [{contains: x}]\n")
              == "s.suite.yaml:3:38: the template uses 'who', which the case's 'vars' do not "
                 "give");
        CHECK(error_of("cases:\n  - id: a\n    messages: [{role: user, content: 'Hi {{#who}}'}]\n"
                       "    vars: {who: Ada}\n    assert: [{contains: x}]\n")
                  .starts_with("s.suite.yaml:3:38: the template does not compile: "));
        // yaml-cpp keeps one of two equal keys silently; the loader refuses them.
        CHECK(error_of("cases:\n  - id: a\n    id: b\n    run: [x]\n    assert: [{contains: x}]\n")
              == "s.suite.yaml:3:5: duplicate key 'id' in a case");
        CHECK(error_of("defaults: {trials: 3, trials: 4}\ncases:\n  - id: a\n    run: [x]\n"
                       "    assert: [{contains: x}]\n")
              == "s.suite.yaml:1:23: duplicate key 'trials' in 'defaults'");
        CHECK(error_of("cases:\n  - id: a\n    run: [x]\n    env: {A: '1', A: '2'}\n"
                       "    assert: [{contains: x}]\n")
              == "s.suite.yaml:4:19: 'A' is given twice in 'env'");
        // Names are strings; texts (arguments, expected output) take a number as written.
        CHECK(error_of("cases:\n  - id: 42\n    run: [x]\n    assert: [{contains: x}]\n")
              == "s.suite.yaml:2:9: 'id' must be a string, and 42 reads as a number: put it in "
                 "quotes for the text");
        CHECK(error_of("name: s\n---\ncases: []\n")
              == "s.suite.yaml:2:1: a second YAML document starts here; the file must hold one "
                 "document");
        CHECK(error_of("defaults: {threshold: 1.5}\ncases: []\n")
              == "s.suite.yaml:1:23: 'threshold' must be between 0 and 1");
        CHECK(error_of("cases:\n  - id: a\n    run: [x]\n    assert:\n      - json-schema: {type: "
                       "object, minProperties: 1}\n")
              == "s.suite.yaml:5:22: schema at '/minProperties': the keyword 'minProperties' is "
                 "not supported");
        CHECK(
            error_of(
                "cases:\n  - id: a\n    run: [x]\n    assert:\n      - json-path: {path: 'a.b'}\n")
            == "s.suite.yaml:5:27: JSONPath 'a.b', column 1: a path starts with '$'");
        CHECK(error_of("cases:\n  - id: a\n    run: [x]\n    assert:\n      - valid-code: cobol\n")
              == "s.suite.yaml:5:21: unknown language 'cobol'");
        CHECK(
            error_of(
                "cases:\n  - id: a\n    run: [x]\n    timeout: soon\n    assert: [{contains: x}]\n")
            == "s.suite.yaml:4:14: 'timeout' must be a duration above 0: seconds (30), or 500ms, "
               "30s, 2m");
        CHECK(error_of("cases: [\n").rfind("s.suite.yaml:", 0) == 0);
        CHECK(error_of("cases:\n  - id: badcwd\n    trials: 1\n    cwd: nosuchdir\n"
                       "    run: [\"true\"]\n    assert: [{exit-code: 0}]\n")
              == "s.suite.yaml:4:10: the working folder 'nosuchdir' does not exist (cwd is taken "
                 "from the suite's folder)");
        CHECK(error_of("cases:\n  - id: a\n    run: [x]\n    max-output: 0\n"
                       "    assert: [{contains: x}]\n")
              == "s.suite.yaml:4:17: 'max-output' must be a size from 1 byte to 1G: bytes "
                 "(1048576), or 512K, 16M");
        CHECK(error_of("cases:\n  - id: a\n    messages: [{role: user, content: hi}]\n"
                       "    max-output: 1M\n    assert: [{contains: x}]\n")
              == "s.suite.yaml:4:17: 'max-output' belongs to command cases; this case calls a "
                 "model");
        // The file of the report: a schema's second 'type' would drop the first silently.
        CHECK(error_of("version: 1\ncases:\n  - id: a\n    run: [echo, \"{}\"]\n    assert:\n"
                       "      - json-schema:\n          type: object\n          type: array\n")
              == "s.suite.yaml:8:11: duplicate key 'type' (first at line 7, column 11)");
        SUBCASE("text that is not UTF-8 is refused at its byte, before anything runs")
        {
            CHECK(error_of("version: 1\nname: caf\xe9\ncases:\n  - id: a\n    run: [echo]\n"
                           "    assert: [{exit-code: 0}]\n")
                  == "s.suite.yaml:2:10: invalid UTF-8 (byte 0xE9); the file must be UTF-8");
            CHECK(error_of("# caf\xe9\ncases:\n  - id: a\n    run: [echo]\n"
                           "    assert: [{exit-code: 0}]\n")
                  == "s.suite.yaml:1:6: invalid UTF-8 (byte 0xE9); the file must be UTF-8");
        }
        CHECK(error_of("cases:\n  - id: a\n    prompt: 'sum marise'\n    assert: [{contains: x}]\n")
              == "s.suite.yaml:3:13: 'sum marise' is not a prompt reference: expected NAME or "
                 "NAME@VERSION");
    }
}
