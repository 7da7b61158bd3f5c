#include "behave/assertion.hpp"
#include "behave/suite.hpp"

#include <doctest/doctest.h>

#include <string>

namespace behave = aiops::behave;

namespace {

/// The assertions of a one-case command suite, parsed from YAML lines.
std::vector<behave::Assertion> assertions(const std::string& lines, bool command = true)
{
    const std::string head =
        command ? "    run: [x]\n" : "    messages: [{role: user, content: hi}]\n";
    auto suite = behave::parse_suite(
        "cases:\n  - id: a\n" + head + "    assert:\n" + lines, "s.suite.yaml", ".");
    if (!suite) {
        FAIL(suite.error().message());
    }
    return suite->cases[0].assertions;
}

bool holds(const std::string& line, const behave::TrialOutput& trial, bool command = true)
{
    const auto parsed = assertions("      - " + line + "\n", command);
    REQUIRE(parsed.size() == 1);
    return behave::check_assertion(parsed[0], trial).passed;
}

behave::TrialOutput output(std::string text)
{
    behave::TrialOutput trial;
    trial.output = std::move(text);
    return trial;
}

} // namespace

TEST_SUITE("behave")
{
    TEST_CASE("behave::check_assertion")
    {
        const auto hello = output("Hello, World\n");
        SUBCASE("text assertions")
        {
            CHECK(holds("equals: \"Hello, World\\n\"", hello));
            CHECK_FALSE(holds("equals: Hello, World", hello));
            CHECK(holds("contains: World", hello));
            CHECK_FALSE(holds("contains: world", hello));
            CHECK(holds("icontains: WORLD", hello));
            // Letters past ASCII fold too: a model that answers in French, Greek or Russian.
            CHECK(holds("icontains: HÉLLO ÇA VA", output("héllo ça va")));
            CHECK(holds("icontains: ΚΑΛΗΜΈΡΑ", output("Καλημέρα")));
            CHECK(holds("icontains: ПРИВЕТ", output("привет")));
            CHECK_FALSE(holds("icontains: HELLO", output("héllo")));
            CHECK(holds("not-contains: Goodbye", hello));
            CHECK_FALSE(holds("not-contains: Hello", hello));
            CHECK(holds("regex: '^Hel+o, \\w+\\n$'", hello));
            // RE2's '$' is the end of the text, not the end of a line.
            CHECK_FALSE(holds("regex: '^Hel+o, \\w+$'", hello));
            CHECK_FALSE(holds("regex: '^World'", hello));
            CHECK(holds("starts-with: Hello", hello));
            CHECK_FALSE(holds("starts-with: World", hello));
            CHECK(holds("max-length: 13", hello));
            CHECK_FALSE(holds("max-length: 12", hello));
            CHECK(holds("min-length: 13", hello));
            CHECK_FALSE(holds("min-length: 14", hello));
        }
        SUBCASE("lengths count characters, not bytes")
        {
            CHECK(holds("max-length: 4", output("côté")));
        }
        SUBCASE("JSON assertions")
        {
            const auto reply =
                output(R"({"user": {"name": "Ada", "roles": ["admin", "dev"]}, "n": 2})");
            CHECK(holds("is-json:", reply));
            CHECK_FALSE(holds("is-json:", hello));
            CHECK(holds("json-schema: {type: object, required: [user, n], properties: {n: {type: "
                        "integer}}}",
                        reply));
            CHECK_FALSE(
                holds("json-schema: {type: object, properties: {n: {type: string}}}", reply));
            CHECK_FALSE(holds("json-schema: {type: object}", hello));
            CHECK(holds("json-path: {path: $.user.name, equals: Ada}", reply));
            CHECK_FALSE(holds("json-path: {path: $.user.name, equals: Bob}", reply));
            CHECK(holds("json-path: {path: $.n, equals: 2}", reply));
            CHECK_FALSE(holds("json-path: {path: $.n, equals: '2'}", reply));
            CHECK(holds("json-path: {path: '$.user.roles', contains: dev}", reply));
            CHECK(holds("json-path: {path: '$..name', contains: Ad}", reply));
            CHECK_FALSE(holds("json-path: {path: '$.user.roles', contains: ops}", reply));
            CHECK_FALSE(holds("json-path: {path: '$.missing', equals: 1}", reply));
            CHECK(holds("json-path: {path: '$.user.roles[*]', equals: [admin, dev]}", reply));
        }
        SUBCASE("valid-code parses with tree-sitter")
        {
            CHECK(holds("valid-code: python", output("def f(x):\n    return x + 1\n")));
            CHECK_FALSE(holds("valid-code: python", output("def f(x:\n    return\n")));
            CHECK(holds("valid-code: javascript", output("const f = (x) => x * 2;\n")));
            CHECK_FALSE(holds("valid-code: javascript", output("const f = (x => ;\n")));
        }
        SUBCASE("valid-code: json holds the output to JSON itself, as is-json does")
        {
            CHECK(holds("valid-code: json", output("{\"a\": [1, 2.5e+3, null]}\n")));
            // The JSON grammar of tree-sitter takes both of these.
            CHECK_FALSE(holds("valid-code: json", output("")));
            CHECK_FALSE(holds("valid-code: json", output("{\"a\": 1 // c\n}")));
            const auto parsed = assertions("      - valid-code: json\n");
            CHECK(behave::check_assertion(parsed[0], output("{\"a\": 1 // c\n}")).message
                  == "valid-code: 1 syntax problem(s) as json, the first at byte 8: syntax error "
                     "while "
                     "parsing object - invalid literal; last read: '1 /'; expected '}'");
        }
        SUBCASE("latency, cost and exit code")
        {
            behave::TrialOutput trial = output("x");
            trial.latency_ms = 120;
            trial.exit_code = 3;
            CHECK(holds("max-latency-ms: 150", trial));
            CHECK_FALSE(holds("max-latency-ms: 100", trial));
            CHECK(holds("exit-code: 3", trial));
            CHECK_FALSE(holds("exit-code: 0", trial));
            trial.cost_usd = 0.002;
            CHECK(holds("max-cost: 0.005", trial, /*command=*/false));
            CHECK_FALSE(holds("max-cost: 0.001", trial, /*command=*/false));
        }
        SUBCASE("stdout- and stderr- variants read their own stream")
        {
            behave::TrialOutput trial = output("all good");
            trial.stderr_text = "warning: slow";
            CHECK(holds("stdout-contains: good", trial));
            CHECK_FALSE(holds("stdout-contains: warning", trial));
            CHECK(holds("stderr-starts-with: warning", trial));
            CHECK(holds("stderr-not-contains: error", trial));
            CHECK(holds("stderr-max-length: 13", trial));
            CHECK_FALSE(holds("stderr-is-json:", trial));
        }
        SUBCASE("not: negates any assertion")
        {
            CHECK_FALSE(holds("not: {contains: World}", hello));
            CHECK(holds("not: {contains: Moon}", hello));
            CHECK(holds("not: {is-json: }", hello));
            CHECK(holds("not: {valid-code: python}", output("def (:\n")));
            const auto negated = assertions("      - not: {contains: World}\n");
            CHECK(behave::check_assertion(negated[0], hello).message
                  == "not contains: the assertion holds");
        }
        SUBCASE("a failure says what was expected")
        {
            const auto parsed = assertions("      - stdout-contains: Moon\n");
            CHECK(behave::check_assertion(parsed[0], hello).message
                  == "stdout-contains: 'Hello, World\\n' does not contain 'Moon'");
        }
    }

    TEST_CASE("behave::fold_case")
    {
        CHECK(behave::fold_case("ABC xyz") == "abc xyz");
        CHECK(behave::fold_case("ÀÉÎÕÜ×Þ") == "àéîõü×þ");
        CHECK(behave::fold_case("ĀĆŁŃŸŹŽİ") == "āćłńÿźži");
        CHECK(behave::fold_case("ΑΩΆΈΌΏ ς") == "αωάέόώ σ");
        CHECK(behave::fold_case("ЖЯЁЂ") == "жяёђ");
        CHECK(behave::fold_case("ß 日本 ok") == "ß 日本 ok");
        CHECK(behave::fold_case("A\xff"
                                "B")
              == "a\xff"
                 "b"); // an invalid byte stays
    }

    TEST_CASE("behave::normalise_output")
    {
        using behave::Normalisation;
        CHECK(behave::normalise_output(" a  b\n", Normalisation::exact) == " a  b\n");
        CHECK(behave::normalise_output(" a  b\n", Normalisation::whitespace) == "a b");
        CHECK(behave::normalise_output(" A  b\n", Normalisation::case_fold) == "a b");
        CHECK(behave::normalise_output(" Ça  VA\n", Normalisation::case_fold) == "ça va");
        CHECK(behave::normalise_output(R"({"b": 1, "a": [1, 2]})", Normalisation::json)
              == R"({"a":[1,2],"b":1})");
        CHECK(behave::normalise_output("not json", Normalisation::json) == "not json");
        SUBCASE("json compares numbers by value")
        {
            const auto json = [](const char* text) {
                return behave::normalise_output(text, Normalisation::json);
            };
            CHECK(json(R"({"a":1})") == json(R"({"a":1.0})"));
            CHECK(json(R"({"a":100})") == json(R"({"a":1e2})"));
            CHECK(json(R"({"a":[-0.0, 2.50]})") == json(R"({"a":[0, 2.5]})"));
            CHECK(json(R"({"a":1.0})") == R"({"a":1})");
            CHECK(json(R"({"a":0.5})") != json(R"({"a":1})"));
            CHECK(json("12345678901234567890") == "12345678901234567890");
        }
    }
}
