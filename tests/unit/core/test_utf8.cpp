#include "core/utf8.hpp"
#include "printers.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace core = aiops::core;

namespace {

// The code point as a plain number: doctest cannot print a char32_t.
std::uint32_t code_point(const core::DecodedCodePoint& decoded)
{
    return static_cast<std::uint32_t>(decoded.code_point);
}

void check_invalid(std::string_view bytes)
{
    const core::DecodedCodePoint decoded = core::decode_utf8(bytes, 0);
    CHECK_FALSE(decoded.valid);
    CHECK(code_point(decoded) == 0xFFFD);
    CHECK(decoded.length == 1);
}

std::vector<std::uint16_t> utf16_units(std::string_view text)
{
    std::vector<std::uint16_t> units;
    core::for_each_utf16_unit(text, [&](std::uint16_t unit) { units.push_back(unit); });
    return units;
}

} // namespace

TEST_SUITE("core")
{
    TEST_CASE("core::decode_utf8")
    {
        SUBCASE("an ASCII byte is one code point of length 1")
        {
            const auto decoded = core::decode_utf8("A", 0);
            CHECK(decoded.valid);
            CHECK(code_point(decoded) == 0x41);
            CHECK(decoded.length == 1);
        }

        SUBCASE("two-, three- and four-byte sequences decode to their code points")
        {
            const auto e_acute = core::decode_utf8("\xC3\xA9", 0);
            CHECK(e_acute.valid);
            CHECK(code_point(e_acute) == 0xE9);
            CHECK(e_acute.length == 2);

            const auto euro = core::decode_utf8("\xE2\x82\xAC", 0);
            CHECK(euro.valid);
            CHECK(code_point(euro) == 0x20AC);
            CHECK(euro.length == 3);

            const auto emoji = core::decode_utf8("\xF0\x9F\x98\x80", 0);
            CHECK(emoji.valid);
            CHECK(code_point(emoji) == 0x1F600);
            CHECK(emoji.length == 4);
        }

        SUBCASE("decoding starts at the offset given")
        {
            const auto decoded = core::decode_utf8("a\xC3\xA9z", 1);
            CHECK(code_point(decoded) == 0xE9);
            CHECK(decoded.length == 2);
        }

        SUBCASE("the highest code point and the last one before the surrogates are valid")
        {
            const auto highest = core::decode_utf8("\xF4\x8F\xBF\xBF", 0);
            CHECK(highest.valid);
            CHECK(code_point(highest) == 0x10FFFF);

            const auto before_surrogates = core::decode_utf8("\xED\x9F\xBF", 0);
            CHECK(before_surrogates.valid);
            CHECK(code_point(before_surrogates) == 0xD7FF);
        }

        SUBCASE("overlong forms are invalid")
        {
            check_invalid("\xC0\xAF");         // '/' in two bytes
            check_invalid("\xC1\xBF");         // U+007F in two bytes
            check_invalid("\xE0\x80\xAF");     // '/' in three bytes
            check_invalid("\xF0\x80\x80\xAF"); // '/' in four bytes
        }

        SUBCASE("UTF-16 surrogates are invalid")
        {
            check_invalid("\xED\xA0\x80"); // U+D800
            check_invalid("\xED\xBF\xBF"); // U+DFFF
        }

        SUBCASE("values past U+10FFFF are invalid")
        {
            check_invalid("\xF4\x90\x80\x80");
            check_invalid("\xF8\x88\x80\x80\x80");
        }

        SUBCASE("a sequence cut off by the end of the text is invalid")
        {
            check_invalid("\xC3");
            check_invalid("\xE2\x82");
            check_invalid("\xF0\x9F\x98");
        }

        SUBCASE("a stray continuation byte or a missing continuation is invalid")
        {
            check_invalid("\x80");
            check_invalid("\xFF");
            check_invalid("\xC3(");
            check_invalid("\xE2\x28\xA1");
        }
    }

    TEST_CASE("core::find_invalid_utf8")
    {
        SUBCASE("valid text has no invalid offset")
        {
            CHECK_FALSE(core::find_invalid_utf8("").has_value());
            CHECK_FALSE(core::find_invalid_utf8("plain ASCII").has_value());
            CHECK_FALSE(
                core::find_invalid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80").has_value());
        }

        SUBCASE("the offset is that of the first invalid byte")
        {
            CHECK(core::find_invalid_utf8("ab\xFFxy") == 2);
            CHECK(core::find_invalid_utf8("\xC3\xA9\xC3") == 2);
            CHECK(core::find_invalid_utf8("abc\xED\xA0\x80") == 3);
            CHECK(core::find_invalid_utf8("\xC0\xAF\xFF") == 0);
        }
    }

    TEST_CASE("core::count_code_points")
    {
        CHECK(core::count_code_points("") == 0);
        CHECK(core::count_code_points("abc") == 3);
        CHECK(core::count_code_points("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80") == 3);

        SUBCASE("each invalid byte counts as one")
        {
            CHECK(core::count_code_points("a\xFFz") == 3);
            CHECK(core::count_code_points("\xE2\x82") == 2);
        }
    }

    TEST_CASE("core::to_valid_utf8")
    {
        const std::string replacement = "\xEF\xBF\xBD";

        SUBCASE("valid text is returned unchanged")
        {
            CHECK(core::to_valid_utf8("h\xC3\xA9llo \xF0\x9F\x98\x80")
                  == "h\xC3\xA9llo \xF0\x9F\x98\x80");
        }

        SUBCASE("each invalid byte becomes U+FFFD")
        {
            CHECK(core::to_valid_utf8("a\xFFz") == "a" + replacement + "z");
            CHECK(core::to_valid_utf8("\xE2\x82") == replacement + replacement);
            CHECK(core::to_valid_utf8("x\xED\xA0\x80")
                  == "x" + replacement + replacement + replacement);
        }

        SUBCASE("the result is valid UTF-8")
        {
            CHECK_FALSE(
                core::find_invalid_utf8(core::to_valid_utf8("\xC0\xAF\xF0\x9F\xFF")).has_value());
        }
    }

    TEST_CASE("core::append_utf8")
    {
        std::string out;
        core::append_utf8(out, U'A');
        core::append_utf8(out, 0xE9);
        core::append_utf8(out, 0x20AC);
        core::append_utf8(out, 0x1F600);
        CHECK(out == "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    }

    TEST_CASE("core::for_each_utf16_unit")
    {
        SUBCASE("code points of the basic plane are one unit each")
        {
            CHECK(utf16_units("a\xC3\xA9\xE2\x82\xAC")
                  == std::vector<std::uint16_t>{0x61, 0xE9, 0x20AC});
        }

        SUBCASE("a four-byte emoji becomes a surrogate pair")
        {
            // U+1F600 is D83D DE00 in UTF-16.
            CHECK(utf16_units("x\xF0\x9F\x98\x80y")
                  == std::vector<std::uint16_t>{0x78, 0xD83D, 0xDE00, 0x79});
        }

        SUBCASE("an invalid byte is seen as U+FFFD")
        {
            CHECK(utf16_units("\xFFz") == std::vector<std::uint16_t>{0xFFFD, 0x7A});
        }

        SUBCASE("empty text calls the sink never")
        {
            CHECK(utf16_units("").empty());
        }
    }
}
