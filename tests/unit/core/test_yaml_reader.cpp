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
