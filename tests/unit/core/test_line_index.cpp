#include "core/line_index.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace core = aiops::core;

namespace {

// "héllo" CRLF, "wörld €x" LF, an empty line, then "end" without a line break.
// Byte offsets: line 1 starts at 0 ('\r' at 6), line 2 at 8 ('x' at 18), line 3 at 20,
// line 4 at 21.
constexpr std::string_view k_text = "h\xC3\xA9llo\r\nw\xC3\xB6rld \xE2\x82\xACx\n\nend";

void check_position(const core::LineIndex& index, std::size_t offset, int line, int column)
{
    CAPTURE(offset);
    const core::TextPosition position = index.position(offset);
    CHECK(position.line == line);
    CHECK(position.column == column);
}

} // namespace

TEST_SUITE("core")
{
    TEST_CASE("core::LineIndex::position")
    {
        const core::LineIndex index(k_text);

        SUBCASE("the first byte is line 1, column 1")
        {
            check_position(index, 0, 1, 1);
        }

        SUBCASE("columns count code points, not bytes")
        {
            check_position(index, 3, 1, 3);  // the first 'l', after a two-byte 'é'
            check_position(index, 5, 1, 5);  // 'o'
            check_position(index, 18, 2, 8); // 'x', after 'ö' and '€'
        }

        SUBCASE("a CR before the LF sits at the end of its line")
        {
            check_position(index, 6, 1, 6);
            check_position(index, 8, 2, 1);
        }

        SUBCASE("an empty line and a last line without a line break")
        {
            check_position(index, 20, 3, 1);
            check_position(index, 21, 4, 1);
            check_position(index, 23, 4, 3);
        }

        SUBCASE("offsets past the end are clamped to the end")
        {
            check_position(index, k_text.size(), 4, 4);
            check_position(index, 1000, 4, 4);
        }

        SUBCASE("a row and a byte column give the same position as the byte offset")
        {
            const core::TextPosition position = index.position(/*row=*/1, /*byte_column=*/10);
            CHECK(position.line == 2);
            CHECK(position.column == 8);
        }
    }

    TEST_CASE("core::LineIndex::line_text")
    {
        const core::LineIndex index(k_text);

        SUBCASE("lines come without their line ending")
        {
            CHECK(index.line_count() == 4);
            CHECK(index.line_text(1) == "h\xC3\xA9llo");
            CHECK(index.line_text(2) == "w\xC3\xB6rld \xE2\x82\xACx");
            CHECK(index.line_text(3) == "");
            CHECK(index.line_text(4) == "end");
        }

        SUBCASE("lines out of range are empty")
        {
            CHECK(index.line_text(0) == "");
            CHECK(index.line_text(5) == "");
            CHECK(index.line_text(-1) == "");
        }

        SUBCASE("text ending with a line break has one more, empty, line")
        {
            const core::LineIndex ends_with_break("a\r\nb\r\n");
            CHECK(ends_with_break.line_count() == 3);
            CHECK(ends_with_break.line_text(1) == "a");
            CHECK(ends_with_break.line_text(2) == "b");
            CHECK(ends_with_break.line_text(3) == "");
        }

        SUBCASE("empty text is one empty line")
        {
            const core::LineIndex empty("");
            CHECK(empty.line_count() == 1);
            CHECK(empty.line_text(1) == "");
            CHECK(empty.position(0).line == 1);
            CHECK(empty.position(0).column == 1);
        }

        SUBCASE("a lone CR does not end a line")
        {
            const core::LineIndex lone_cr("a\rb\nc");
            CHECK(lone_cr.line_count() == 2);
            CHECK(lone_cr.line_text(1) == "a\rb");
        }
    }

    TEST_CASE("core::LineIndex: long lines")
    {
        // A 40 KB line of two-byte and one-byte characters, then a short line.
        std::string text;
        for (int i = 0; i < 10000; ++i) {
            text += "\xC3\xA9"
                    "ab"; // 'é', 'a', 'b': 4 bytes, 3 code points
        }
        text += "\nend";
        const core::LineIndex index(text);

        SUBCASE("positions far into the line count code points")
        {
            check_position(index, 4 * 5000, 1, 3 * 5000 + 1);
            check_position(index, 4 * 5000 + 2, 1, 3 * 5000 + 2);
            check_position(index, 40000, 1, 30001);
            check_position(index, 40001, 2, 1);
        }

        SUBCASE("offset_of is position's inverse, clamped to the line")
        {
            CHECK(index.offset_of(1, 3 * 7000 + 1) == 4 * 7000);
            CHECK(index.offset_of(1, 3 * 7000 + 3) == 4 * 7000 + 3);
            CHECK(index.offset_of(1, 1) == 0);
            CHECK(index.offset_of(1, 999999) == 40000);
            CHECK(index.offset_of(2, 2) == 40002);
        }

        SUBCASE("an excerpt cuts a long line to a window around the column")
        {
            const core::Excerpt excerpt = index.excerpt(1, 1, 3 * 5000 + 1, 30);
            CHECK(excerpt.cut_before == 3 * 5000 - 12);
            CHECK(excerpt.text.size() == 40); // 10 times 'é', 'a', 'b'
            CHECK(excerpt.text.starts_with("\xC3\xA9"
                                           "ab"));
        }

        SUBCASE("near the end the window keeps its width; a short line is kept whole")
        {
            const core::Excerpt last = index.excerpt(1, 2, 30000, 30);
            CHECK(last.cut_before == 30000 - 30);
            CHECK(last.text == std::string(text.substr(40000 - 40, 40)) + "\nend");
            const core::Excerpt short_line = core::LineIndex("abc\n").excerpt(1, 1, 2, 30);
            CHECK(short_line.text == "abc");
            CHECK(short_line.cut_before == 0);
        }
    }
}
