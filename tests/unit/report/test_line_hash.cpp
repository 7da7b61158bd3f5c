#include "printers.hpp"
#include "report/line_hash.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace report = aiops::report;

using Hashes = std::vector<std::string>;

namespace {

std::string replace_all(std::string text, char from, const std::string& to)
{
    std::string out;
    for (const char c : text) {
        if (c == from) {
            out += to;
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

// The expected hashes are the published test vectors of GitHub's CodeQL upload action,
// whose algorithm line_hashes reproduces.
TEST_SUITE("report")
{
    TEST_CASE("report::line_hashes")
    {
        SUBCASE("empty text is one empty line")
        {
            CHECK(report::line_hashes("") == Hashes{"c129715d7a2bc9a3:1"});
        }

        SUBCASE("spaces and tabs are not hashed")
        {
            CHECK(report::line_hashes(" a\nb\n  \t\tc\n d")
                  == Hashes{"271789c17abda88f:1",
                            "54703d4cd895b18:1",
                            "180aee12dab6264:1",
                            "a23a3dc5e078b07b:1"});
        }

        SUBCASE("text without a final line break")
        {
            CHECK(report::line_hashes(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End")
                  == Hashes{"8b7cf3e952e7aeb2:1",
                            "b1ae1287ec4718d9:1",
                            "bff680108adb0fcc:1",
                            "c6805c5e1288b612:1",
                            "b86d3392aea1be30:1",
                            "e6ceba753e1a442:1"});
        }

        const std::string greetings = " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n";
        const Hashes greetings_hashes{"e9496ae3ebfced30:1",
                                      "fb7c023a8b9ccb3f:1",
                                      "ce8ba1a563dcdaca:1",
                                      "e20e36e16fcb0cc8:1",
                                      "b3edc88f2938467e:1",
                                      "c8e28b0b4002a3a0:1",
                                      "c129715d7a2bc9a3:1"};

        SUBCASE("text with a final line break has one more, empty, line")
        {
            CHECK(report::line_hashes(greetings) == greetings_hashes);
        }

        SUBCASE("CR and CRLF break lines as LF does")
        {
            CHECK(report::line_hashes(replace_all(greetings, '\n', "\r")) == greetings_hashes);
            CHECK(report::line_hashes(replace_all(greetings, '\n', "\r\n")) == greetings_hashes);
        }

        SUBCASE("repeated lines count their occurrences")
        {
            std::string lorem;
            for (int i = 0; i < 10; ++i) {
                lorem += "Lorem ipsum dolor sit amet.\n";
            }
            CHECK(report::line_hashes(lorem)
                  == Hashes{"a7f2ff13bc495cf2:1",
                            "a7f2ff13bc495cf2:2",
                            "a7f2ff13bc495cf2:3",
                            "a7f2ff13bc495cf2:4",
                            "a7f2ff13bc495cf2:5",
                            "a7f2ff13bc495cf2:6",
                            "a7f2ff1481e87703:1",
                            "a9cf91f7bbf1862b:1",
                            "55ec222b86bcae53:1",
                            "cc97dc7b1d7d8f7b:1",
                            "c129715d7a2bc9a3:1"});
        }

        SUBCASE("occurrences are counted over thousands of distinct hashes")
        {
            // Each line's occurrence is how many lines up to it have its hash: the
            // second copy of the block repeats the first but at its end.
            std::string text;
            for (int copy = 0; copy < 2; ++copy) {
                for (int i = 0; i < 3000; ++i) {
                    text += "value_" + std::to_string(i * 7919 % 3000) + " = 1\n";
                }
            }
            const auto hashes = report::hash_lines(text);
            REQUIRE(hashes.size() == 6001);
            std::map<std::uint64_t, int> seen;
            int repeated = 0;
            for (const auto& [hash, occurrence] : hashes) {
                CHECK(occurrence == ++seen[hash]);
                repeated += occurrence == 2 ? 1 : 0;
            }
            CHECK(seen.size() > 3000);
            CHECK(repeated > 2900);
        }

        SUBCASE("one hash per line, whatever the text")
        {
            CHECK(report::line_hashes("a\n\xF0\x9F\x98\x80\nb").size() == 3);
            CHECK(report::line_hashes("\n\n\n").size() == 4);
        }
    }

    TEST_CASE("report::hash_lines up to a line")
    {
        // Repeated lines, so that occurrence numbers count, and a window that spans
        // many short lines.
        std::string text;
        for (int i = 0; i < 300; ++i) {
            text += i % 7 == 0 ? "x = 1\r\n" : "  call(" + std::to_string(i % 5) + ")\n";
        }
        const auto all = report::hash_lines(text);
        REQUIRE(all.size() == 301);
        for (const std::size_t through : {1UL, 2UL, 7UL, 150UL, 299UL, 300UL, 301UL}) {
            CAPTURE(through);
            const auto some = report::hash_lines(text, through);
            REQUIRE(some.size() >= through);
            CHECK(std::equal(some.begin(), some.begin() + static_cast<long>(through), all.begin()));
        }

        std::vector<aiops::core::Finding> findings(2);
        findings[0].location.start_line = 8;
        findings[1].location.start_line = 15;
        report::attach_line_hashes(findings, text);
        CHECK(findings[0].line_hash == report::format_line_hash(all[7]));
        CHECK(findings[1].line_hash == report::format_line_hash(all[14]));

        // Identical windows count as occurrences, also when hashing stops early.
        std::string same;
        for (int i = 0; i < 300; ++i) {
            same += "a\n";
        }
        const auto first_five = report::hash_lines(same, 5);
        CHECK(first_five[4].second == 5);
        CHECK(first_five[4] == report::hash_lines(same)[4]);
    }
}
