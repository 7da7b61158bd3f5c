#include "rules/rule.hpp"

#include <doctest/doctest.h>
#include <re2/re2.h>

#include <algorithm>
#include <string>
#include <vector>

namespace rules = aiops::rules;

namespace {

// Whether one of the keywords is a part of the text: the line that holds the text is
// then opened to the rule's regex.
bool opened_by(const std::string& text, const std::vector<std::string>& keywords)
{
    for (const auto& keyword : keywords) {
        if (text.find(keyword) != std::string::npos) {
            return true;
        }
    }
    return false;
}

// The ways a regex may spell two words joined by an optional separator
// ("api[_-]?key"): joined, with each separator the class allows.
std::vector<std::string>
spellings(const std::string& first, const std::string& separators, const std::string& second)
{
    std::vector<std::string> out{first + second};
    for (const char separator : separators) {
        out.push_back(first + separator + second);
    }
    return out;
}

} // namespace

TEST_SUITE("scan")
{
    TEST_CASE("built-in text rules: keywords cover every spelling their regex accepts")
    {
        // Every "word[_-]?word" of a regex whose keywords name one spelling of it: a
        // line with another spelling must be opened to the regex too.
        static const RE2 joined(R"(([a-z]+)\[(\\s)?(_-|-_)\]\?([a-z]+))");
        for (const auto& source : rules::builtin_rule_sources()) {
            rules::RuleSet set;
            REQUIRE(rules::load_rules(source, set).ok());
            const rules::Rule& rule = *set.rules.front();
            if (!rules::is_text_rule(rule) || rule.text->keywords.empty()) {
                continue;
            }
            re2::StringPiece rest(rule.text->regex->pattern());
            std::string first;
            std::string space;
            std::string separators;
            std::string second;
            while (RE2::FindAndConsume(&rest, joined, &first, &space, &separators, &second)) {
                const std::vector<std::string> forms =
                    spellings(first, separators + (space.empty() ? "" : " "), second);
                const bool named = std::any_of(forms.begin(), forms.end(), [&](const auto& form) {
                    return opened_by(form, rule.text->keywords);
                });
                if (!named) {
                    continue; // the keywords are other words the regex needs
                }
                for (const auto& form : forms) {
                    CAPTURE(rule.id);
                    CAPTURE(form);
                    CHECK(opened_by(form, rule.text->keywords));
                }
            }
        }
    }
}
