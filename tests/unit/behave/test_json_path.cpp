#include "behave/json_path.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace behave = aiops::behave;

using nlohmann::json;

namespace {

json select(const std::string& path, const json& document)
{
    auto compiled = behave::JsonPath::compile(path);
    REQUIRE(compiled.ok());
    json out = json::array();
    for (const auto* value : compiled->select(document)) {
        out.push_back(*value);
    }
    return out;
}

const json k_store = json::parse(R"({
    "store": {
        "book": [
            {"title": "A", "price": 8, "author": {"name": "X"}},
            {"title": "B", "price": 12},
            {"title": "C", "price": 5, "isbn": "1-2"}
        ],
        "bicycle": {"price": 20, "colour": "red"},
        "odd key": true
    }
})");

} // namespace

TEST_SUITE("behave")
{
    TEST_CASE("behave::JsonPath::select")
    {
        CHECK(select("$", json(3)) == json::array({3}));
        CHECK(select("$.store.bicycle.colour", k_store) == json::array({"red"}));
        CHECK(select("$['store']['odd key']", k_store) == json::array({true}));
        CHECK(select("$.store.book[1].title", k_store) == json::array({"B"}));
        CHECK(select("$.store.book[-1].title", k_store) == json::array({"C"}));
        CHECK(select("$.store.book[5]", k_store) == json::array());
        CHECK(select("$.store.book[*].price", k_store) == json::array({8, 12, 5}));
        CHECK(select("$.store.book.*.title", k_store) == json::array({"A", "B", "C"}));
        // Objects keep their keys sorted, so "bicycle" comes before "book".
        CHECK(select("$..price", k_store) == json::array({20, 8, 12, 5}));
        CHECK(select("$..name", k_store) == json::array({"X"}));
        CHECK(select("$..book[0].title", k_store) == json::array({"A"}));
        CHECK(select("$.missing.deeper", k_store) == json::array());
    }

    TEST_CASE("behave::JsonPath::compile")
    {
        const auto bad = [](const std::string& path) {
            auto compiled = behave::JsonPath::compile(path);
            REQUIRE_FALSE(compiled.ok());
            return compiled.error().message();
        };
        CHECK(bad("store") == "JSONPath 'store', column 1: a path starts with '$'");
        CHECK(bad("$.a[")
              == "JSONPath '$.a[', column 5: expected an index, '*' or a quoted name in '[]'");
        CHECK(bad("$.a['b'") == "JSONPath '$.a['b'', column 8: expected ']'");
        CHECK(bad("$.") == "JSONPath '$.', column 3: expected a member name after '.'");
        CHECK(bad("$a") == "JSONPath '$a', column 2: expected '.' or '['");
    }
}
