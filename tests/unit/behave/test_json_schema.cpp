#include "behave/json_schema.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace behave = aiops::behave;

using nlohmann::json;

namespace {

/// The official JSON-Schema-Test-Suite as Debian installs it (json-schema-test-suite).
const std::filesystem::path k_suite_dir = "/usr/share/json-schema-test-suite/tests/draft7";

/// The files whose keywords mean the same in draft 7 and draft 2020-12. Groups that use
/// what the subset leaves out (array-form items, remote or $id-relative references) fail
/// to compile and are counted as skipped; each file must still run some of its tests.
const std::vector<std::string> k_files{
    "additionalProperties.json",
    "allOf.json",
    "anyOf.json",
    "boolean_schema.json",
    "const.json",
    "enum.json",
    "exclusiveMaximum.json",
    "exclusiveMinimum.json",
    "if-then-else.json",
    "items.json",
    "maxItems.json",
    "maxLength.json",
    "maximum.json",
    "minItems.json",
    "minLength.json",
    "minimum.json",
    "multipleOf.json",
    "not.json",
    "oneOf.json",
    "pattern.json",
    "patternProperties.json",
    "properties.json",
    "ref.json",
    "required.json",
    "type.json",
    "uniqueItems.json",
    "optional/format/date.json",
    "optional/format/date-time.json",
    "optional/format/email.json",
    "optional/format/ipv4.json",
    "optional/format/time.json",
};

/// Groups whose expected results differ between the drafts: in draft 7 a $ref hides
/// its sibling keywords, in 2020-12 they apply.
const std::set<std::string> k_draft7_only_groups{"ref overrides any sibling keywords"};

json read_json(const std::filesystem::path& path)
{
    std::ifstream in(path);
    return json::parse(in);
}

} // namespace

TEST_SUITE("behave")
{
    TEST_CASE("behave::JsonSchema official test suite")
    {
        REQUIRE_MESSAGE(std::filesystem::exists(k_suite_dir),
                        "install the json-schema-test-suite package (scripts/install-deps)");
        std::size_t ran_in_all = 0;
        for (const auto& file : k_files) {
            CAPTURE(file);
            std::size_t ran = 0;
            std::size_t skipped = 0;
            for (const auto& group : read_json(k_suite_dir / file)) {
                const std::string description = group["description"].get<std::string>();
                const auto compiled = behave::JsonSchema::compile(group["schema"]);
                if (!compiled || k_draft7_only_groups.count(description) != 0) {
                    skipped += group["tests"].size();
                    continue;
                }
                for (const auto& test : group["tests"]) {
                    CAPTURE(description);
                    CAPTURE(test["description"].get<std::string>());
                    CHECK(compiled->is_valid(test["data"]) == test["valid"].get<bool>());
                    ++ran;
                }
            }
            CHECK(ran > 0);
            ran_in_all += ran;
        }
        CHECK(ran_in_all >= 310);
    }

    TEST_CASE("behave::JsonSchema::compile")
    {
        SUBCASE("a keyword outside the subset is refused, not ignored")
        {
            const auto compiled = behave::JsonSchema::compile(
                json::parse(R"({"properties": {"a": {"minProperties": 1}}})"));
            REQUIRE_FALSE(compiled.ok());
            CHECK(compiled.error().message()
                  == "schema at '/properties/a/minProperties': the keyword 'minProperties' is not "
                     "supported");
        }
        SUBCASE("a misspelt keyword is refused with the keyword it is close to")
        {
            const auto compiled =
                behave::JsonSchema::compile(json::parse(R"({"type": "array", "requried": ["a"]})"));
            REQUIRE_FALSE(compiled.ok());
            CHECK(compiled.error().message()
                  == "schema at '/requried': the keyword 'requried' is not supported; did you "
                     "mean 'required'?");
        }
        SUBCASE("a format that is not checked is refused, not ignored")
        {
            const auto compiled =
                behave::JsonSchema::compile(json::parse(R"({"type": "string", "format": "uri"})"));
            REQUIRE_FALSE(compiled.ok());
            CHECK(compiled.error().message()
                  == "schema at '/format': the format \"uri\" is not checked (date, time, "
                     "date-time, email, uuid, ipv4); a 'pattern' can check it");
        }
        SUBCASE("a reference must resolve inside the schema")
        {
            const auto compiled =
                behave::JsonSchema::compile(json::parse(R"({"$ref": "#/$defs/missing"})"));
            REQUIRE_FALSE(compiled.ok());
            CHECK(compiled.error().message().find("does not resolve") != std::string::npos);
        }
        SUBCASE("an invalid pattern is refused")
        {
            CHECK_FALSE(behave::JsonSchema::compile(json::parse(R"({"pattern": "(a"})")).ok());
        }
    }

    TEST_CASE("behave::JsonSchema::validate")
    {
        const auto schema = behave::JsonSchema::compile(json::parse(R"({
            "$defs": {"name": {"type": "string", "minLength": 1}},
            "type": "object",
            "required": ["name", "tags"],
            "properties": {
                "name": {"$ref": "#/$defs/name"},
                "tags": {"type": "array", "prefixItems": [{"const": "first"}], "items": {"type": "string"}}
            },
            "additionalProperties": false
        })"));
        REQUIRE(schema.ok());
        CHECK(schema->is_valid(json::parse(R"({"name": "a", "tags": ["first", "x"]})")));
        const auto problems =
            schema->validate(json::parse(R"({"name": "", "tags": ["second", 3], "extra": 1})"), 10);
        CHECK(problems
              == std::vector<std::string>{
                  "at '/extra': no additional property is allowed",
                  "at '/name': expected at least 1 characters",
                  "at '/tags/0': expected \"first\"",
                  "at '/tags/1': expected type \"string\", found number",
              });
    }

    TEST_CASE("behave::JsonSchema::validate: format is checked")
    {
        const auto email =
            behave::JsonSchema::compile(json::parse(R"({"type": "string", "format": "email"})"));
        REQUIRE(email.ok());
        CHECK(email->validate(json("notanemail"))
              == std::vector<std::string>{"at '/': is not a valid email"});
        CHECK(email->is_valid(json("ada@example.com")));

        // Like the other string keywords, format leaves values of other types alone.
        const auto any_email = behave::JsonSchema::compile(json::parse(R"({"format": "email"})"));
        REQUIRE(any_email.ok());
        CHECK(any_email->is_valid(json(5)));

        const auto uuid = behave::JsonSchema::compile(json::parse(R"({"format": "uuid"})"));
        REQUIRE(uuid.ok());
        CHECK(uuid->is_valid(json("123e4567-e89b-12d3-a456-426614174000")));
        CHECK_FALSE(uuid->is_valid(json("123e4567-e89b-12d3-a456-42661417400")));

        const auto date = behave::JsonSchema::compile(json::parse(R"({"format": "date"})"));
        REQUIRE(date.ok());
        CHECK(date->is_valid(json("2024-02-29")));
        CHECK_FALSE(date->is_valid(json("2023-02-29")));
        CHECK_FALSE(date->is_valid(json("2024-13-01")));
    }
}
