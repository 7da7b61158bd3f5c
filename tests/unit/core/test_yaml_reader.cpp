#include "core/yaml_reader.hpp"
#include "printers.hpp"

#include <doctest/doctest.h>

#include <string>

namespace core = aiops::core;

namespace {

std::string error_of(const core::YamlReader& reader, const std::string& text, auto&& use)
{
    auto document = reader.read_document(text);
    if (!document) {
        return document.error().message();
    }
    try {
        use(*document);
    } catch (const core::Error& error) {
        CHECK(error.code() == core::ErrorCode::input);
        return error.message();
    }
    return "";
}

} // namespace

TEST_SUITE("core")
{
    TEST_CASE("core::YamlReader")
    {
        const core::YamlReader reader("f.yaml");
        const auto keys = [&](const YAML::Node& node) {
            reader.check_mapping(node, {"name", "items"}, "the file");
        };
        const auto anonymous = [&](const YAML::Node& node) {
            reader.check_mapping(node, {"name", "items"}, "");
        };

        SUBCASE("known keys pass; unknown and repeated ones are errors at the key")
        {
            CHECK(error_of(reader, "name: a\nitems: []\n", keys).empty());
            CHECK(error_of(reader, "name: a\nitem: []\n", keys)
                  == "f.yaml:2:1: unknown key 'item' in the file; did you mean 'items'?");
            CHECK(error_of(reader, "name: a\nname: b\n", anonymous)
                  == "f.yaml:2:1: duplicate key 'name'");
            CHECK(error_of(reader, "- a\n", anonymous) == "f.yaml:1:1: a mapping is expected here");
        }

        SUBCASE("values of the wrong type")
        {
            const auto read = [&](const YAML::Node& node) {
                reader.integer(node["count"], "count");
                reader.number(node["ratio"], "ratio");
                reader.boolean(node["on"], "on");
                reader.strings(node["tags"], "tags");
            };
            CHECK(error_of(reader, "count: 3\nratio: 0.5\non: true\ntags: [a]\n", read).empty());
            CHECK(error_of(reader, "count: '3'\n", read)
                  == "f.yaml:1:8: 'count' must be a whole number");
            CHECK(error_of(reader, "count: 3\nratio: x\n", read)
                  == "f.yaml:2:8: 'ratio' must be a number");
            CHECK(error_of(reader, "count: 3\nratio: 1\non: maybe\n", read)
                  == "f.yaml:3:5: 'on' must be true or false");
            CHECK(error_of(reader, "count: 3\nratio: 1\non: no\ntags: [[a]]\n", read)
                  == "f.yaml:4:8: 'tags' must be a list of strings");
        }

        SUBCASE("a document that does not parse; JSON is named as such")
        {
            CHECK(error_of(reader, "a: [1\n", keys).starts_with("f.yaml:2:1: invalid YAML: "));
            const core::YamlReader json("f.json");
            CHECK(error_of(json, "{\"a\": [1}", keys).starts_with("f.json:1:9: invalid JSON: "));
        }

        SUBCASE("a string must be a string: numbers, booleans and null written plain are not")
        {
            const auto read = [&](const YAML::Node& node) {
                reader.strict_string(node["template"], "template");
                reader.strict_strings(node["tags"], "tags");
            };
            CHECK(error_of(reader, "template: hi\ntags: [a, '5']\n", read).empty());
            CHECK(error_of(reader, "template: '42'\ntags: []\n", read).empty());
            CHECK(error_of(reader, "template: 42\n", read)
                  == "f.yaml:1:11: 'template' must be a string, and 42 reads as a number: put it "
                     "in quotes for the text");
            CHECK(error_of(reader, "template: true\n", read)
                  == "f.yaml:1:11: 'template' must be a string, and true reads as a boolean: put "
                     "it in quotes for the text");
            CHECK(error_of(reader, "template: x\ntags: [a, 5]\n", read)
                  == "f.yaml:2:11: 'tags' must be a string, and 5 reads as a number: put it in "
                     "quotes for the text");
            // string takes any scalar's text, for formats that allow numbers.
            const auto lenient = [&](const YAML::Node& node) {
                CHECK(reader.string(node["version"], "version") == "1");
            };
            CHECK(error_of(reader, "version: 1\n", lenient).empty());
        }

        SUBCASE("a quoted string left open at the end of the file")
        {
            const auto any = [](const YAML::Node&) {};
            CHECK(error_of(reader, "name: x\ntemplate: \"unterminated\n", any)
                  == "f.yaml:2:11: invalid YAML: the quoted string is not closed");
            CHECK(error_of(reader, "template: 'it''s\n", any)
                  == "f.yaml:1:11: invalid YAML: the quoted string is not closed");
            CHECK(error_of(reader, "a: \"x\\\"\n", any)
                  == "f.yaml:1:4: invalid YAML: the quoted string is not closed");
            CHECK(error_of(
                      reader, "a: \"say \\\"hi\\\"\"\nb: 'it''s'\n\"c\": \"two\n  lines\"\n", any)
                      .empty());
        }

        SUBCASE("one document only: a second one is an error at its marker")
        {
            const auto any = [](const YAML::Node&) {};
            CHECK(error_of(reader, "a: b\n---\nc: d\n", any)
                  == "f.yaml:2:1: a second YAML document starts here; the file must hold one "
                     "document");
            CHECK(error_of(reader, "---\na: b\n---\n", any)
                  == "f.yaml:3:1: a second YAML document starts here; the file must hold one "
                     "document");
            CHECK(error_of(reader, "---\na: b\n...\n", any).empty());
            CHECK(error_of(reader, "", any).empty());
            CHECK(error_of(reader, "# only a comment\n", any).empty());
        }

        SUBCASE("invalid UTF-8 is an error at its line and column")
        {
            const auto any = [](const YAML::Node&) {};
            CHECK(error_of(reader, "a: b\ncategory: \xc3\xa9\xff\xfe\n", any)
                  == "f.yaml:2:12: invalid UTF-8 (byte 0xFF); the file must be UTF-8");
        }

        SUBCASE("values as JSON")
        {
            auto document = reader.read_document("n: 2\nx: 1.5\nb: true\ns: '2'\nz: ~\nl: [a]\n");
            REQUIRE(document.ok());
            const nlohmann::json value = reader.to_json(*document);
            CHECK(value
                  == nlohmann::json{
                      {"n", 2}, {"x", 1.5}, {"b", true}, {"s", "2"}, {"z", nullptr}, {"l", {"a"}}});
        }
    }
}
