#include "core/strings.hpp"
#include "printers.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace core = aiops::core;

using Strings = std::vector<std::string>;

TEST_SUITE("core")
{
    TEST_CASE("core::to_lower")
    {
        CHECK(core::to_lower("MiXeD Case 42") == "mixed case 42");
        CHECK(core::to_lower("") == "");
    }

    TEST_CASE("core::split")
    {
        SUBCASE("pieces between separators are kept in order")
        {
            CHECK(core::split("a,b,c", ',') == Strings{"a", "b", "c"});
        }

        SUBCASE("empty pieces are kept")
        {
            CHECK(core::split("a,,b,", ',') == Strings{"a", "", "b", ""});
            CHECK(core::split(",", ',') == Strings{"", ""});
        }

        SUBCASE("text without the separator is one piece")
        {
            CHECK(core::split("abc", ',') == Strings{"abc"});
            CHECK(core::split("", ',') == Strings{""});
        }
    }

    TEST_CASE("core::trim")
    {
        CHECK(core::trim("  a b \t\r\n") == "a b");
        CHECK(core::trim("\tx") == "x");
        CHECK(core::trim("x") == "x");
        CHECK(core::trim(" \t\n ") == "");
        CHECK(core::trim("") == "");
    }

    TEST_CASE("core::normalise_whitespace")
    {
        SUBCASE("runs of white space become one space")
        {
            CHECK(core::normalise_whitespace("a \t b\n\n  c") == "a b c");
        }

        SUBCASE("the ends are trimmed")
        {
            CHECK(core::normalise_whitespace("  x = 1\t\n") == "x = 1");
        }

        SUBCASE("text of white space only becomes empty")
        {
            CHECK(core::normalise_whitespace(" \t\r\n ") == "");
            CHECK(core::normalise_whitespace("") == "");
        }
    }

    TEST_CASE("core::redact_userinfo")
    {
        CHECK(core::redact_userinfo("http://user:sk-FAKE-pass@127.0.0.1:18431/v1")
              == "http://***@127.0.0.1:18431/v1");
        CHECK(core::redact_userinfo("check the base URL 'https://a:b@h/v1' and 'http://c@d'")
              == "check the base URL 'https://***@h/v1' and 'http://***@d'");
        CHECK(core::redact_userinfo("https://host/path@v2") == "https://host/path@v2");
        CHECK(core::redact_userinfo("user@example.com") == "user@example.com");
        CHECK(core::redact_userinfo("") == "");
        CHECK(core::redact_userinfo("redis://:sk-FAKE-redispass@127.0.0.1:1/0")
              == "redis://***@127.0.0.1:1/0");
        CHECK(core::redact_userinfo("--base-url 'https://ada:pw@api.test/v1?x=1': bad")
              == "--base-url 'https://***@api.test/v1?x=1': bad");
        CHECK(core::redact_userinfo("http://127.0.0.1:9091") == "http://127.0.0.1:9091");
    }

    TEST_CASE("core::closest_match")
    {
        const Strings checks{"syntax", "symbols", "security"};

        SUBCASE("a word one edit away gets a suggestion")
        {
            CHECK(core::closest_match("syntx", checks) == "syntax");
            CHECK(core::closest_match("securty", checks) == "security");
        }

        SUBCASE("two neighbouring letters swapped are one edit")
        {
            CHECK(core::closest_match("scna", {"generate", "scan", "defaults"}) == "scan");
            CHECK(core::closest_match("sytnax", checks) == "syntax");
        }

        SUBCASE("the exact word is its own closest match")
        {
            CHECK(core::closest_match("symbols", checks) == "symbols");
        }

        SUBCASE("a word too far from every candidate gets none")
        {
            CHECK_FALSE(core::closest_match("format", checks).has_value());
            CHECK_FALSE(core::closest_match("xyz", checks).has_value());
        }

        SUBCASE("no candidates give no suggestion")
        {
            CHECK_FALSE(core::closest_match("syntax", {}).has_value());
        }

        SUBCASE("the nearer of two candidates wins")
        {
            CHECK(core::closest_match("abcdefghi", {"abcdxxxhi", "abcdefgxi"}) == "abcdefgxi");
            CHECK(core::closest_match("pythn", {"pythons", "python"}) == "python");
        }
    }

    TEST_CASE("core::parse_byte_size")
    {
        SUBCASE("a plain number is bytes")
        {
            CHECK(core::parse_byte_size("1048576") == 1048576U);
            CHECK(core::parse_byte_size("0") == 0U);
        }

        SUBCASE("K, M and G multiply by powers of 1024")
        {
            CHECK(core::parse_byte_size("512K") == 512U * 1024);
            CHECK(core::parse_byte_size("1M") == 1024U * 1024);
            CHECK(core::parse_byte_size("2G") == 2ULL * 1024 * 1024 * 1024);
        }

        SUBCASE("the unit may be lowercase and the value padded")
        {
            CHECK(core::parse_byte_size("1m") == 1024U * 1024);
            CHECK(core::parse_byte_size(" 64k ") == 64U * 1024);
        }

        SUBCASE("sizes past 64 bits give nullopt instead of wrapping around")
        {
            CHECK_FALSE(core::parse_byte_size("17179869184G").has_value());
            CHECK_FALSE(core::parse_byte_size("999999999999G").has_value());
            CHECK(core::parse_byte_size("99999999999M") == 104857599998951424ULL);
            CHECK(core::parse_byte_size("16G") == 16ULL * 1024 * 1024 * 1024);
        }

        SUBCASE("malformed sizes give nullopt")
        {
            for (const char* bad :
                 {"", " ", "K", "1.5M", "-1", "+1", "12MB", "1T", "abc", "1 M", "0x10"}) {
                CAPTURE(bad);
                CHECK_FALSE(core::parse_byte_size(bad).has_value());
            }
        }

        SUBCASE("more than twelve digits give nullopt")
        {
            CHECK_FALSE(core::parse_byte_size("1234567890123").has_value());
            CHECK(core::parse_byte_size("123456789012") == 123456789012ULL);
        }
    }

    TEST_CASE("core::quote_for_message")
    {
        SUBCASE("printable ASCII and other printable characters are kept")
        {
            CHECK(core::quote_for_message("x = 'a' + \"b\"") == "x = 'a' + \"b\"");
            CHECK(core::quote_for_message("caf\xC3\xA9 \xE2\x82\xAC")
                  == "caf\xC3\xA9 \xE2\x82\xAC");
        }

        SUBCASE("line breaks and tabs are escaped")
        {
            CHECK(core::quote_for_message("a\nb") == "a\\nb");
            CHECK(core::quote_for_message("a\r\nb") == "a\\r\\nb");
            CHECK(core::quote_for_message("a\tb") == "a\\tb");
        }

        SUBCASE("other control characters are shown as hex")
        {
            CHECK(core::quote_for_message(std::string("a\0b", 3)) == "a<U+0000>b");
            CHECK(core::quote_for_message("\x01") == "<U+0001>");
            CHECK(core::quote_for_message("\x1b[31m") == "<U+001B>[31m");
            CHECK(core::quote_for_message("\x7f") == "<U+007F>");
        }

        SUBCASE("bidirectional and invisible controls are shown by number")
        {
            CHECK(core::quote_for_message("abc\xE2\x80\xAEzyx") == "abc<U+202E>zyx");
            CHECK(core::quote_for_message("\xE2\x81\xA6") == "<U+2066>");
            CHECK(core::quote_for_message("a\xE2\x80\x8Bz") == "a<U+200B>z");
            CHECK(core::quote_for_message("\xEF\xBB\xBF") == "<U+FEFF>");
            CHECK(core::quote_for_message("\xC2\x85") == "<U+0085>");
        }

        SUBCASE("invalid bytes are shown as hex")
        {
            CHECK(core::quote_for_message("a\xFFz") == "a<0xFF>z");
            CHECK(core::quote_for_message("\xC3") == "<0xC3>");
        }

        SUBCASE("long text is cut to max_chars code points and marked")
        {
            CHECK(core::quote_for_message(std::string(50, 'x')) == std::string(40, 'x') + "...");
            CHECK(core::quote_for_message(std::string(40, 'x')) == std::string(40, 'x'));
            CHECK(core::quote_for_message("h\xC3\xA9llo", 3) == "h\xC3\xA9l...");
        }

        SUBCASE("an escaped character counts as one toward the limit")
        {
            CHECK(core::quote_for_message("\n\n\n\n", 2) == "\\n\\n...");
        }

        SUBCASE("empty text stays empty")
        {
            CHECK(core::quote_for_message("") == "");
        }
    }

    TEST_CASE("core::show_hidden_in_line")
    {
        // A file name cannot start a line of a CI log: its line ends are written out.
        CHECK(core::show_hidden_in_line("x\n::warning file=a.py::spoofed\r\n.py\tz\u202E")
              == "x<U+000A>::warning file=a.py::spoofed<U+000D><U+000A>.py<U+0009>z<U+202E>");
        CHECK(core::show_hidden_in_line("plain") == "plain");
        CHECK(core::show_hidden_in_line("") == "");
        CHECK(core::show_hidden_in_line("\n") == "<U+000A>");
    }

    TEST_CASE("core::show_hidden_code_points")
    {
        SUBCASE("bidirectional controls, zero-width and tag characters are written out")
        {
            CHECK(core::show_hidden_code_points("a\u202Eb\u2066c\u200Bd\U000E0041")
                  == "a<U+202E>b<U+2066>c<U+200B>d<U+E0041>");
        }

        SUBCASE("control bytes are written out; tab, line feed and a CR ending a line are kept")
        {
            CHECK(core::show_hidden_code_points("x\x1b[2J\ty\r\nz\rw\n")
                  == "x<U+001B>[2J\ty\r\nz<U+000D>w\n");
        }

        SUBCASE("other text, emoji and letters of any script, is kept")
        {
            CHECK(core::show_hidden_code_points("caf\u00e9 \U0001F600 \u05D0")
                  == "caf\u00e9 \U0001F600 \u05D0");
        }

        SUBCASE("DEL and NUL amid plain ASCII are written out")
        {
            using namespace std::string_literals;
            CHECK(core::show_hidden_code_points("ab\x7f"
                                                "cd\0e"s)
                  == "ab<U+007F>cd<U+0000>e");
        }

        SUBCASE("an invalid byte is shown by its value")
        {
            CHECK(core::show_hidden_code_points("a\xff"
                                                "b")
                  == "a<0xFF>b");
        }
    }
}
