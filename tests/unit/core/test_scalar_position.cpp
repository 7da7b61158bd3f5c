#include "core/scalar_position.hpp"
#include "core/strings.hpp"

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <utility>

namespace core = aiops::core;

namespace {

using Position = std::pair<int, int>;

/// The value of the first key 't', in mappings and lists at any depth.
YAML::Node find_t(const YAML::Node& node)
{
    if (node.IsMap() && node["t"]) {
        return node["t"];
    }
    for (const auto& item : node) {
        const YAML::Node inner = find_t(node.IsMap() ? item.second : item);
        if (inner) {
            return inner;
        }
    }
    return YAML::Node(YAML::NodeType::Undefined);
}

/// Where the first '{{' of key 't's value is in the file, found through the parser's
/// reading of the value.
Position tag_position(const std::string& text)
{
    const YAML::Node node = find_t(YAML::Load(text));
    REQUIRE(node.IsScalar());
    const std::string value = node.as<std::string>();
    const std::size_t offset = value.find("{{");
    REQUIRE(offset != std::string::npos);
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        if (value[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(value[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return core::scalar_text_position(
        core::split(text, '\n'), node.Mark().line, node.Mark().column, line, column);
}

} // namespace

TEST_SUITE("core")
{
    TEST_CASE("core::scalar_text_position")
    {
        SUBCASE("a plain scalar on the key's line")
        {
            CHECK(tag_position("a: 1\nt: say {{ x }}\n") == Position{2, 8});
        }
        SUBCASE("a plain scalar with commas and brackets in block context")
        {
            CHECK(tag_position("t: Hello, [you] {{ x }}\n") == Position{1, 17});
            CHECK(tag_position("- {a: '{', t: \"{{ x }}\"}\n") == Position{1, 16});
        }
        SUBCASE("a plain scalar folded over lines")
        {
            CHECK(tag_position("t: one\n  two\n\n   {{ x }}\n") == Position{4, 4});
        }
        SUBCASE("a plain scalar that starts on the line below its key")
        {
            CHECK(
                tag_position("m:\n  - role: user\n    t:\n      plain multi\n      line {{ x }}\n")
                == Position{5, 12});
            CHECK(tag_position("t:\n  one\n  two {{ x }}\n") == Position{3, 7});
        }
        SUBCASE("a double-quoted scalar with escapes before the place")
        {
            CHECK(tag_position("t: \"line one\\n  {{ x }}\"\n") == Position{1, 17});
            CHECK(tag_position("t: \"\\t\\\"\\u00e9\\x41 {{ x }}\"\n") == Position{1, 20});
        }
        SUBCASE("a double-quoted scalar over lines, with an escaped line break")
        {
            CHECK(tag_position("t: \"one\n    two \\\n    three\n\n      {{ x }}\"\n")
                  == Position{5, 7});
        }
        SUBCASE("a single-quoted scalar with '' before the place")
        {
            CHECK(tag_position("t: 'it''s ''quoted'' {{ x }}'\n") == Position{1, 22});
            CHECK(tag_position("t: 'it''s\n   {{ x }}'\n") == Position{2, 4});
        }
        SUBCASE("a literal block scalar")
        {
            CHECK(tag_position("t: |\n  one\n\n  two {{ x }}\n") == Position{4, 7});
        }
        SUBCASE("a literal block scalar with chomping and an indentation indicator")
        {
            CHECK(tag_position("t: |-\n    one\n    {{ x }}\n") == Position{3, 5});
            CHECK(tag_position("t: |2+\n    one\n   {{ x }}\n") == Position{3, 4});
            CHECK(tag_position("m:\n  t: |+2 # note\n      one\n     {{ x }}\n") == Position{4, 6});
        }
        SUBCASE("a folded block scalar")
        {
            CHECK(tag_position("t: >\n  one\n  two\n\n  three {{ x }}\n") == Position{5, 9});
            CHECK(tag_position("t: >-\n  one\n    more\n  {{ x }}\n") == Position{4, 3});
            CHECK(tag_position("- t: >1\n    one\n   {{ x }}\n") == Position{3, 4});
        }
        SUBCASE("a block scalar inside a list item")
        {
            CHECK(tag_position("l:\n  - t: >2\n       a\n      {{ x }}\n") == Position{4, 7});
        }
        SUBCASE("a place past the text is the scalar's start")
        {
            const auto lines = core::split("t: 'ab'\n", '\n');
            CHECK(core::scalar_text_position(lines, 0, 3, 5, 1) == Position{1, 4});
        }
    }
}
