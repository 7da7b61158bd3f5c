#include "report/json_places.hpp"

#include <doctest/doctest.h>

#include <string>

namespace report = aiops::report;
using Pointer = nlohmann::json::json_pointer;

TEST_SUITE("report")
{
    TEST_CASE("report::JsonPlaces::offset_of")
    {
        const std::string text =
            R"({"a": {"b\u0022": [1, {"c": "x,]}"}, [2]], "d": true}, "e": 3})";
        const report::JsonPlaces places(text);

        SUBCASE("values of objects and arrays, past strings that hold brackets")
        {
            CHECK(places.offset_of(Pointer("")) == 0);
            CHECK(places.offset_of(Pointer("/a")) == text.find("{\"b"));
            CHECK(places.offset_of(Pointer("/a/b\"/1/c")) == text.find("\"x,"));
            CHECK(places.offset_of(Pointer("/a/b\"/2/0")) == text.find("[2]") + 1);
            CHECK(places.offset_of(Pointer("/a/d")) == text.find("true"));
            CHECK(places.offset_of(Pointer("/e")) == text.find('3'));
        }

        SUBCASE("a value the document does not have")
        {
            CHECK_FALSE(places.offset_of(Pointer("/a/b\"/3")).has_value());
            CHECK_FALSE(places.offset_of(Pointer("/f")).has_value());
            CHECK_FALSE(places.offset_of(Pointer("/e/0")).has_value());
        }
    }

    TEST_CASE("report::JsonPlaces::repeated_key")
    {
        SUBCASE("keys are compared within each object, after their escapes")
        {
            const std::string text =
                R"({"a": {"x": 1}, "b": [{"x": 1}, {"x": 2}], "c\u0041": 1, "cA": 2})";
            const auto repeated = report::JsonPlaces(text).repeated_key();
            REQUIRE(repeated.has_value());
            CHECK(repeated->key == "cA");
            CHECK(repeated->offset == text.rfind("\"cA\""));
        }

        SUBCASE("strings that are values are not keys")
        {
            CHECK_FALSE(report::JsonPlaces(R"({"a": "a", "b": ["a", "a"]})").repeated_key());
        }
    }
}
