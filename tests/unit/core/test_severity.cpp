#include "core/severity.hpp"
#include "printers.hpp"

#include <doctest/doctest.h>

namespace core = aiops::core;

using core::Severity;

TEST_SUITE("core")
{
    TEST_CASE("core::to_string")
    {
        CHECK(core::to_string(Severity::info) == "info");
        CHECK(core::to_string(Severity::low) == "low");
        CHECK(core::to_string(Severity::medium) == "medium");
        CHECK(core::to_string(Severity::high) == "high");
        CHECK(core::to_string(Severity::critical) == "critical");
    }

    TEST_CASE("core::parse_severity")
    {
        SUBCASE("each name parses back to its severity")
        {
            for (const Severity severity : {Severity::info,
                                            Severity::low,
                                            Severity::medium,
                                            Severity::high,
                                            Severity::critical}) {
                CAPTURE(core::to_string(severity));
                CHECK(core::parse_severity(core::to_string(severity)) == severity);
            }
        }

        SUBCASE("case does not matter")
        {
            CHECK(core::parse_severity("HIGH") == Severity::high);
            CHECK(core::parse_severity("Critical") == Severity::critical);
        }

        SUBCASE("anything else gives nullopt")
        {
            CHECK_FALSE(core::parse_severity("").has_value());
            CHECK_FALSE(core::parse_severity("warning").has_value());
            CHECK_FALSE(core::parse_severity("hi").has_value());
            CHECK_FALSE(core::parse_severity(" high").has_value());
        }
    }

    TEST_CASE("core::sarif_level")
    {
        CHECK(core::sarif_level(Severity::critical) == "error");
        CHECK(core::sarif_level(Severity::high) == "error");
        CHECK(core::sarif_level(Severity::medium) == "warning");
        CHECK(core::sarif_level(Severity::low) == "note");
        CHECK(core::sarif_level(Severity::info) == "note");
    }

    TEST_CASE("core::security_severity")
    {
        CHECK(core::security_severity(Severity::critical) == "9.5");
        CHECK(core::security_severity(Severity::high) == "8.0");
        CHECK(core::security_severity(Severity::medium) == "5.5");
        CHECK(core::security_severity(Severity::low) == "3.0");
        CHECK(core::security_severity(Severity::info) == "0.0");
    }

    TEST_CASE("core::Severity")
    {
        SUBCASE("severities are ordered from least to most serious")
        {
            CHECK(Severity::info < Severity::low);
            CHECK(Severity::low < Severity::medium);
            CHECK(Severity::medium < Severity::high);
            CHECK(Severity::high < Severity::critical);
        }
    }
}
