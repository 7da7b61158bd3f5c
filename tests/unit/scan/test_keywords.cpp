#include "scan/keywords.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

namespace scan = aiops::scan;

namespace {

// What one search from the start of the text reports, in its order.
std::vector<std::pair<int, std::size_t>> found_in_one_pass(const scan::KeywordAutomaton& search,
                                                           std::string_view text)
{
    std::vector<std::pair<int, std::size_t>> out;
    search.find(text, [&](int id, std::size_t last) { out.emplace_back(id, last); });
    return out;
}

std::vector<std::pair<int, std::size_t>> as_pairs(const std::vector<scan::KeywordHit>& hits)
{
    std::vector<std::pair<int, std::size_t>> out;
    for (const auto& hit : hits) {
        out.emplace_back(hit.id, hit.last);
    }
    return out;
}

} // namespace

TEST_SUITE("scan")
{
    TEST_CASE("scan::KeywordAutomaton::hits: a long text searched in halves")
    {
        SUBCASE("keywords across the middle, overlapping, and nested, in any case")
        {
            scan::KeywordAutomaton search;
            search.add("password", 0);
            search.add("word", 1);
            search.add("ass", 2);
            search.add("password", 3); // the same keyword under a second id
            search.add("d=", 4);
            search.build();
            // 5000 bytes: the halves meet at 2500, inside "PassWord=" below.
            std::string text(5000, '.');
            text.replace(2496, 9, "PassWord=");
            text.replace(0, 8, "password");
            text.replace(4992, 8, "password");
            const auto hits = as_pairs(search.hits(text));
            CHECK(hits == found_in_one_pass(search, text));
            const std::vector<std::pair<int, std::size_t>> expected{{2, 3},
                                                                    {0, 7},
                                                                    {3, 7},
                                                                    {1, 7},
                                                                    {2, 2499},
                                                                    {0, 2503},
                                                                    {3, 2503},
                                                                    {1, 2503},
                                                                    {4, 2504},
                                                                    {2, 4995},
                                                                    {0, 4999},
                                                                    {3, 4999},
                                                                    {1, 4999}};
            CHECK(hits == expected);
        }

        SUBCASE("the same hits as one pass over random texts")
        {
            // A small alphabet makes keywords overlap and straddle the middle often.
            std::mt19937 random(20261205);
            const auto random_text = [&](std::size_t length) {
                std::uniform_int_distribution<int> letter(0, 3);
                std::string text(length, 'a');
                for (char& c : text) {
                    c = static_cast<char>("abAB"[letter(random)]);
                }
                return text;
            };
            for (int round = 0; round < 200; ++round) {
                scan::KeywordAutomaton search;
                std::uniform_int_distribution<std::size_t> keyword_length(1,
                                                                          round % 2 == 0 ? 6 : 40);
                for (int id = 0; id < 12; ++id) {
                    std::string keyword = random_text(keyword_length(random));
                    for (char& c : keyword) {
                        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                    }
                    search.add(keyword, id);
                }
                search.build();
                std::uniform_int_distribution<std::size_t> text_length(4000, 9001);
                const std::string text = random_text(text_length(random));
                REQUIRE(as_pairs(search.hits(text)) == found_in_one_pass(search, text));
            }
        }

        SUBCASE("short texts and empty automata")
        {
            scan::KeywordAutomaton none;
            none.build();
            CHECK(none.hits(std::string(10000, 'a')).empty());
            scan::KeywordAutomaton search;
            search.add("ab", 7);
            search.build();
            CHECK(as_pairs(search.hits("xxabab"))
                  == std::vector<std::pair<int, std::size_t>>{{7, 3}, {7, 5}});
        }
    }
}
