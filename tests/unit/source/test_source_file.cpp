#include "printers.hpp"
#include "source/source_file.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

namespace core = aiops::core;
namespace source = aiops::source;
namespace test = aiops::test;

using source::Language;

namespace {

constexpr std::string_view k_bom = "\xEF\xBB\xBF";

} // namespace

TEST_SUITE("source")
{
    TEST_CASE("source::python_declared_encoding")
    {
        SUBCASE("a declaration on line 1")
        {
            CHECK(source::python_declared_encoding("# -*- coding: latin-1 -*-\nx = 1\n")
                  == "latin-1");
            CHECK(source::python_declared_encoding("# coding=cp1252\n") == "cp1252");
            CHECK(source::python_declared_encoding("#coding:utf-8") == "utf-8");
        }

        SUBCASE("a declaration on line 2 after a shebang")
        {
            CHECK(source::python_declared_encoding(
                      "#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :\n")
                  == "iso-8859-15");
        }

        SUBCASE("a declaration on line 2 after a blank line")
        {
            CHECK(source::python_declared_encoding("\n# coding: latin-1\n") == "latin-1");
        }

        SUBCASE("a declaration on line 2 after code does not count")
        {
            CHECK_FALSE(
                source::python_declared_encoding("import os\n# coding: latin-1\n").has_value());
        }

        SUBCASE("a declaration on line 3 does not count")
        {
            CHECK_FALSE(
                source::python_declared_encoding("#!/usr/bin/env python\n#\n# coding: latin-1\n")
                    .has_value());
        }

        SUBCASE("a declaration after a UTF-8 byte-order mark")
        {
            CHECK(source::python_declared_encoding(std::string(k_bom) + "# coding: utf-8\n")
                  == "utf-8");
        }

        SUBCASE("comments without a declaration")
        {
            CHECK_FALSE(
                source::python_declared_encoding("# no encoding here\nx = 1\n").has_value());
            CHECK_FALSE(source::python_declared_encoding("# coding latin-1\n").has_value());
            CHECK_FALSE(source::python_declared_encoding("").has_value());
        }

        SUBCASE("a declaration in a string on line 1 does not count")
        {
            CHECK_FALSE(source::python_declared_encoding("s = '# coding: latin-1'\n").has_value());
        }
    }

    TEST_CASE("source::decode_source")
    {
        SUBCASE("plain UTF-8 is kept as it is")
        {
            const auto decoded = source::decode_source("s = 'caf\xC3\xA9'\n", Language::python);
            CHECK(decoded.text == "s = 'caf\xC3\xA9'\n");
            CHECK_FALSE(decoded.invalid_offset.has_value());
            CHECK(decoded.invalid_reason.empty());
        }

        SUBCASE("a Python file declared latin-1 is converted to UTF-8")
        {
            const auto decoded =
                source::decode_source("# coding: latin-1\ns = 'caf\xE9'\n", Language::python);
            CHECK(decoded.text == "# coding: latin-1\ns = 'caf\xC3\xA9'\n");
            CHECK_FALSE(decoded.invalid_offset.has_value());
        }

        SUBCASE("Python's spelling of an encoding name with '_' is understood")
        {
            const auto decoded =
                source::decode_source("# coding: latin_1\ns = '\xE9'\n", Language::python);
            CHECK(decoded.text == "# coding: latin_1\ns = '\xC3\xA9'\n");
            CHECK_FALSE(decoded.invalid_offset.has_value());
        }

        SUBCASE("a coding comment in a file of another language is not read")
        {
            const std::string bytes = "# coding: latin-1\ns = '\xE9'\n";
            const auto decoded = source::decode_source(bytes, Language::ruby);
            CHECK(decoded.text == bytes);
            CHECK(decoded.invalid_offset == bytes.find('\xE9'));
        }

        SUBCASE("a UTF-8 byte-order mark is stripped")
        {
            const auto python =
                source::decode_source(std::string(k_bom) + "x = 1\n", Language::python);
            CHECK(python.text == "x = 1\n");
            CHECK_FALSE(python.invalid_offset.has_value());

            const auto script =
                source::decode_source(std::string(k_bom) + "let x = 1;\n", Language::javascript);
            CHECK(script.text == "let x = 1;\n");
            CHECK_FALSE(script.invalid_offset.has_value());
        }

        SUBCASE("a byte-order mark with a UTF-8 declaration is fine")
        {
            const auto decoded = source::decode_source(
                std::string(k_bom) + "# -*- coding: UTF_8 -*-\nx = 1\n", Language::python);
            CHECK(decoded.text == "# -*- coding: UTF_8 -*-\nx = 1\n");
            CHECK_FALSE(decoded.invalid_offset.has_value());
        }

        SUBCASE("invalid UTF-8 sets invalid_offset at the first bad byte")
        {
            const auto decoded =
                source::decode_source("x = 1\ns = '\xC3\xA9\xFF'\n", Language::python);
            CHECK(decoded.invalid_offset == 13U);
            CHECK(decoded.invalid_reason.find("0xff") != std::string::npos);
            CHECK(decoded.text == "x = 1\ns = '\xC3\xA9\xFF'\n");
        }

        SUBCASE("invalid UTF-8 after a byte-order mark is placed in the stripped text")
        {
            const auto decoded =
                source::decode_source(std::string(k_bom) + "ab\xC0\xAF", Language::c);
            CHECK(decoded.invalid_offset == 2U);
            CHECK(decoded.text.substr(0, 2) == "ab");
        }

        SUBCASE("a byte-order mark with a latin-1 declaration is an encoding problem")
        {
            const auto decoded = source::decode_source(
                std::string(k_bom) + "# coding: latin-1\nx = 1\n", Language::python);
            CHECK(decoded.invalid_offset == 0U);
            CHECK(decoded.invalid_reason.find("encoding problem") != std::string::npos);
            CHECK(decoded.invalid_reason.find("latin-1") != std::string::npos);
            CHECK(decoded.text == "# coding: latin-1\nx = 1\n");
        }

        SUBCASE("an unknown encoding is reported at the start of the file")
        {
            const std::string bytes = "# coding: klingon-42\nx = 1\n";
            const auto decoded = source::decode_source(bytes, Language::python);
            CHECK(decoded.invalid_offset == 0U);
            CHECK(decoded.invalid_reason.find("unknown encoding 'klingon-42'")
                  != std::string::npos);
            CHECK(decoded.text == bytes);
        }

        SUBCASE("bytes not valid in the declared encoding are reported")
        {
            const auto decoded =
                source::decode_source("# coding: ascii\ns = '\xE9'\n", Language::python);
            REQUIRE(decoded.invalid_offset.has_value());
            CHECK(*decoded.invalid_offset == std::string_view("# coding: ascii\ns = '").size());
            CHECK(decoded.invalid_reason.find("ascii") != std::string::npos);
        }

        SUBCASE("the text after an invalid byte is still converted")
        {
            const auto decoded =
                source::decode_source("# coding: ascii\ns = '\xE9'\nrest = 1\n", Language::python);
            REQUIRE(decoded.invalid_offset.has_value());
            CHECK(decoded.text == "# coding: ascii\ns = '\xEF\xBF\xBD'\nrest = 1\n");
        }
    }

    TEST_CASE("source::read_file")
    {
        SUBCASE("a file is read whole, NUL bytes included")
        {
            const std::string content("line 1\n\0line 2\n", 15);
            test::write_file("data/file.bin", content);
            auto bytes = source::read_file("data/file.bin");
            REQUIRE(bytes.ok());
            CHECK(*bytes == content);
        }

        SUBCASE("an empty file is empty")
        {
            test::write_file("empty.py", "");
            auto bytes = source::read_file("empty.py");
            REQUIRE(bytes.ok());
            CHECK(bytes->empty());
        }

        SUBCASE("a missing file fails with an io error naming it")
        {
            auto bytes = source::read_file("missing.py");
            REQUIRE_FALSE(bytes.ok());
            CHECK(bytes.error().code() == core::ErrorCode::io);
            CHECK(bytes.error().message().find("missing.py") != std::string::npos);
        }

        SUBCASE("sizes around the read's steps are read whole")
        {
            for (const std::size_t size : {8191UL, 8192UL, 8193UL, 65536UL, 65537UL, 300000UL}) {
                CAPTURE(size);
                std::string content(size, 'x');
                for (std::size_t i = 0; i < size; i += 97) {
                    content[i] = static_cast<char>('a' + i % 26);
                }
                test::write_file("sized.txt", content);
                for (const auto mode :
                     {source::BinaryFiles::read_whole, source::BinaryFiles::read_start}) {
                    auto bytes = source::read_file("sized.txt", mode);
                    REQUIRE(bytes.ok());
                    CHECK(*bytes == content);
                }
            }
        }

        SUBCASE("a binary file may be read only as far as its start")
        {
            std::string binary(200000, 'b');
            binary[100] = '\0';
            test::write_file("lib.so", binary);
            auto whole = source::read_file("lib.so");
            REQUIRE(whole.ok());
            CHECK(*whole == binary);
            auto start = source::read_file("lib.so", source::BinaryFiles::read_start);
            REQUIRE(start.ok());
            CHECK(start->size() == 8192);
            CHECK(source::looks_binary(*start));
            CHECK(*start == binary.substr(0, 8192));
            // A NUL past the first 8 KiB is text: the file is read whole.
            std::string late(200000, 'c');
            late[9000] = '\0';
            test::write_file("late.txt", late);
            auto text = source::read_file("late.txt", source::BinaryFiles::read_start);
            REQUIRE(text.ok());
            CHECK(*text == late);
        }

        SUBCASE("a folder fails with an io error")
        {
            std::filesystem::create_directory("folder");
            auto bytes = source::read_file("folder");
            REQUIRE_FALSE(bytes.ok());
            CHECK(bytes.error().code() == core::ErrorCode::io);
        }
    }

    TEST_CASE("source::looks_binary")
    {
        CHECK_FALSE(source::looks_binary("print('hello')\n"));
        CHECK_FALSE(source::looks_binary(""));
        CHECK(source::looks_binary(std::string("ELF\0\x01", 5)));

        SUBCASE("only the first 8 KiB are looked at")
        {
            std::string late_nul(8192, 'a');
            late_nul.push_back('\0');
            CHECK_FALSE(source::looks_binary(late_nul));
            late_nul[8191] = '\0';
            CHECK(source::looks_binary(late_nul));
        }
    }
}
