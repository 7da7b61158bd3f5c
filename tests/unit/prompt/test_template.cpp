#include "prompt/template.hpp"

#include <doctest/doctest.h>

#include <tuple>

namespace prompt = aiops::prompt;

namespace {

prompt::Prompt sample()
{
    return prompt::parse_prompt("t.prompt.yaml",
                                "name: t\n"
                                "variables:\n"
                                "  - {name: topic, required: true}\n"
                                "  - {name: tone, default: calm}\n"
                                "  - {name: items}\n"
                                "messages:\n"
                                "  - role: system\n"
                                "    template: \"Be {{tone}}.\"\n"
                                "  - role: user\n"
                                "    template: |\n"
                                "      About {{topic}} & <more>{{#items}}\n"
                                "      - {{label}}{{/items}}\n")
        .take();
}

/// The one message of a prompt whose template is `text`, rendered with `values`.
std::string render_one(const std::string& text, const nlohmann::json& values)
{
    prompt::Prompt p;
    p.name = "spec";
    p.file = "spec.prompt.yaml";
    for (const auto& [name, value] : values.items()) {
        prompt::Variable variable;
        variable.name = name;
        p.variables.push_back(variable);
    }
    p.messages.push_back({"user", text, {}, 0, 0});
    prompt::RenderValues given;
    for (const auto& [name, value] : values.items()) {
        given[name] = value;
    }
    return prompt::render_prompt(p, given).take().messages.at(0).content;
}

} // namespace

TEST_SUITE("prompt")
{
    // Cases of the mustache spec (comments, sections, inverted sections, delimiters)
    // on standalone lines, where a tag alone on its line takes the line with it.
    TEST_CASE("prompt::render_prompt follows the spec's standalone lines")
    {
        const nlohmann::json yes{{"boolean", true}};
        const nlohmann::json no{{"boolean", false}};
        SUBCASE("comments")
        {
            CHECK(render_one("Begin.\n{{! Comment Block! }}\nEnd.\n", yes) == "Begin.\nEnd.\n");
            CHECK(render_one("Begin.\n  {{! Indented Comment Block! }}\nEnd.\n", yes)
                  == "Begin.\nEnd.\n");
            CHECK(render_one("|\r\n{{! Standalone Comment }}\r\n|", yes) == "|\r\n|");
            CHECK(render_one("  {{! I'm Still Standalone }}\n!", yes) == "!");
            CHECK(render_one("!\n  {{! I'm Still Standalone }}", yes) == "!\n");
            CHECK(render_one("Begin.\n{{!\nSomething's going on here...\n}}\nEnd.\n", yes)
                  == "Begin.\nEnd.\n");
            CHECK(render_one("Begin.\n  {{!\n    Something's going on here...\n  }}\nEnd.\n", yes)
                  == "Begin.\nEnd.\n");
            CHECK(render_one("  12 {{! 34 }}\n", yes) == "  12 \n");
            CHECK(render_one("12345 {{! Comment Block! }} 67890", yes) == "12345  67890");
        }
        SUBCASE("sections and inverted sections, shown or not")
        {
            for (const auto& [sigil, shown, hidden] :
                 {std::tuple{"#", yes, no}, std::tuple{"^", no, yes}}) {
                const std::string open = std::string("{{") + sigil + "boolean}}";
                CAPTURE(open);
                CHECK(render_one("| This Is\n" + open + "\n|\n{{/boolean}}\n| A Line\n", shown)
                      == "| This Is\n|\n| A Line\n");
                CHECK(render_one("| This Is\n" + open + "\n|\n{{/boolean}}\n| A Line\n", hidden)
                      == "| This Is\n| A Line\n");
                CHECK(render_one("| This Is\n  " + open + "\n|\n  {{/boolean}}\n| A Line\n", shown)
                      == "| This Is\n|\n| A Line\n");
                CHECK(render_one("|\r\n" + open + "\r\n{{/boolean}}\r\n|", shown) == "|\r\n|");
                CHECK(render_one("  " + open + "\n#{{/boolean}}\n/", shown) == "#\n/");
                CHECK(render_one("#" + open + "\n/\n  {{/boolean}}", shown) == "#\n/\n");
                CHECK(render_one(" | " + open + "\t|\t{{/boolean}} | \n", shown)
                      == " | \t|\t | \n");
                CHECK(render_one(" | " + open + " {{! Important Whitespace }}\n {{/boolean}} | \n",
                                 shown)
                      == " |  \n  | \n");
                CHECK(render_one(" " + open + "YES{{/boolean}}\n " + open + "GOOD{{/boolean}}\n",
                                 shown)
                      == " YES\n GOOD\n");
            }
        }
        SUBCASE("delimiter changes")
        {
            CHECK(render_one("Begin.\n{{=@ @=}}\nEnd.\n", yes) == "Begin.\nEnd.\n");
            CHECK(render_one("Begin.\n  {{=@ @=}}\nEnd.\n", yes) == "Begin.\nEnd.\n");
            CHECK(render_one("|{{= @   @ =}}|", yes) == "||");
        }
        SUBCASE("a line that renders empty but is not standalone stays")
        {
            CHECK(render_one("{{#list}}{{.}}\n{{/list}}", {{"list", {"", "a"}}}) == "\na\n");
            CHECK(render_one("  {{#boolean}}x{{/boolean}}  \nend", no) == "    \nend");
            CHECK(render_one("[{{#boolean}}x\n{{/boolean}}]", yes) == "[x\n]");
            CHECK(render_one("[{{#boolean}}x\n{{/boolean}}]", no) == "[]");
        }
    }

    TEST_CASE("prompt::template_references")
    {
        const auto references = prompt::template_references(
            "Hi {{name}}!\n{{! a comment }}{{#list}}{{item.x}}{{/list}}{{^empty}}none{{/empty}}"
            "{{=<% %>=}}<%other%>{{{raw}}}");
        REQUIRE(references.size() == 5);
        CHECK(references[0].name == "name");
        CHECK(references[0].line == 1);
        CHECK(references[0].column == 4);
        CHECK(references[1].name == "list");
        CHECK(references[2].name == "item");
        CHECK(references[2].in_section);
        CHECK(references[3].name == "empty");
        CHECK(references[4].name == "other");
        CHECK(references[4].line == 2);
    }

    TEST_CASE("prompt::render_prompt")
    {
        const prompt::Prompt p = sample();
        SUBCASE("values, defaults and sections; nothing is HTML-escaped")
        {
            prompt::RenderValues values{
                {"topic", "C++"},
                {"items", nlohmann::json::array({{{"label", "a"}}, {{"label", "b"}}})}};
            const auto outcome = prompt::render_prompt(p, values).take();
            REQUIRE(outcome.messages.size() == 2);
            CHECK(outcome.messages[0].role == "system");
            CHECK(outcome.messages[0].content == "Be calm.");
            CHECK(outcome.messages[1].content == "About C++ & <more>\n- a\n- b\n");
            CHECK(outcome.warnings.empty());
        }
        SUBCASE("a missing required variable is an input error naming it")
        {
            const auto outcome = prompt::render_prompt(p, {});
            REQUIRE_FALSE(outcome.ok());
            CHECK(outcome.error().code() == aiops::core::ErrorCode::input);
            CHECK(outcome.error().message().find("required variable 'topic' has no value")
                  != std::string::npos);
        }
        SUBCASE("a value that is not UTF-8 is an input error, not a failure later")
        {
            const auto outcome = prompt::render_prompt(
                p, {{"topic", "x"}, {"items", nlohmann::json::array({{{"label", "a\xff"}}})}});
            REQUIRE_FALSE(outcome.ok());
            CHECK(outcome.error().message()
                  == "prompt 't': the value of 'items' is not valid UTF-8");
        }
        SUBCASE("an unknown value is a warning")
        {
            const auto outcome =
                prompt::render_prompt(p, {{"topic", "x"}, {"colour", "red"}}).take();
            REQUIRE(outcome.warnings.size() == 1);
            CHECK(outcome.warnings[0]
                  == "prompt 't' declares no variable 'colour'; its value is not used");
        }
        SUBCASE("a template that cannot compile")
        {
            auto broken = p;
            broken.messages[0].text = "{{#open}} never closed";
            const auto outcome = prompt::render_prompt(broken, {{"topic", "x"}});
            REQUIRE_FALSE(outcome.ok());
            CHECK(outcome.error().message().starts_with(
                "t.prompt.yaml:8:16: the system message's template "
                "cannot be compiled"));
        }
    }

    TEST_CASE("prompt::render_prompt with lists, objects and null")
    {
        const auto values_prompt = [](const std::string& text) {
            return prompt::parse_prompt(
                       "v.prompt.yaml",
                       "name: v\nvariables:\n  - {name: items}\n"
                       "  - {name: user}\n  - {name: note}\n  - {name: flag}\nmessages:\n"
                       "  - role: user\n    template: \""
                           + text + "\"\n")
                .take();
        };
        const prompt::RenderValues values{
            {"items", nlohmann::json::array({"a", 2, 1.5})},
            {"flag", true},
            {"user", {{"name", "Ada"}, {"langs", nlohmann::json::array({"C++", "Go"})}}},
            {"note", nullptr}};
        const auto render = [&](const std::string& text) {
            return prompt::render_prompt(values_prompt(text), values);
        };
        SUBCASE("a section iterates a list and enters an object")
        {
            const auto outcome =
                render("{{#items}}[{{.}}]{{/items}} {{#user}}{{name}}:{{#langs}} {{.}}{{/langs}}"
                       "{{/user}} {{user.name}}")
                    .take();
            CHECK(outcome.messages[0].content == "[a][2][1.5] Ada: C++ Go Ada");
            CHECK(outcome.warnings.empty());
        }
        SUBCASE("a variable tag naming a list or an object is an error at its place")
        {
            const auto list = render("Items: {{items}}");
            REQUIRE_FALSE(list.ok());
            CHECK(list.error().code() == aiops::core::ErrorCode::input);
            CHECK(list.error().message()
                  == "v.prompt.yaml:9:23: 'items' is a list, which a variable tag cannot insert "
                     "as text; iterate it with {{#items}}...{{/items}}, name a field such as "
                     "{{items.FIELD}}, or pass the text you want as a string");
            const auto object = render("{{#items}}{{/items}}{{{user}}}");
            REQUIRE_FALSE(object.ok());
            CHECK(object.error().message().starts_with("v.prompt.yaml:9:36: 'user' is an object,"));
            const auto nested = render("{{#user}}{{langs}}{{/user}}");
            REQUIRE_FALSE(nested.ok());
            CHECK(nested.error().message().starts_with("v.prompt.yaml:9:25: 'langs' is a list,"));
        }
        SUBCASE("a boolean is a condition: a section tests it, a variable tag is an error")
        {
            CHECK(render("{{#flag}}on{{/flag}}{{^flag}}off{{/flag}}").take().messages[0].content
                  == "on");
            const auto shown = render("flag={{flag}}");
            REQUIRE_FALSE(shown.ok());
            CHECK(shown.error().message()
                  == "v.prompt.yaml:9:21: 'flag' is true, which mustache inserts as nothing; test "
                     "it with {{#flag}}...{{/flag}}, or pass the text as a string (quoted in "
                     "YAML)");
        }
        SUBCASE("a null field renders empty, with a warning; a section over it is skipped")
        {
            const prompt::RenderValues with_null{{"user", {{"note", nullptr}}}};
            const auto outcome =
                prompt::render_prompt(
                    values_prompt("[{{user.note}}]{{#user.note}}never"
                                  "{{/user.note}}{{^user.note}}none{{/user.note}}"),
                    with_null)
                    .take();
            CHECK(outcome.messages[0].content == "[]none");
            REQUIRE(outcome.warnings.size() == 1);
            CHECK(outcome.warnings[0]
                  == "v.prompt.yaml:9:17: 'user.note' is null, so it renders as empty text");
        }
        SUBCASE("a null value is no value: the default applies, a required variable fails")
        {
            const auto p = prompt::parse_prompt("n.prompt.yaml",
                                                "name: n\nvariables:\n  - {name: a, default: A}\n"
                                                "  - {name: b, required: true}\nmessages:\n"
                                                "  - {role: user, template: '{{a}}{{b}}'}\n")
                               .take();
            CHECK(prompt::render_prompt(p, {{"a", nullptr}, {"b", "B"}}).take().messages[0].content
                  == "AB");
            const auto missing = prompt::render_prompt(p, {{"b", nullptr}});
            REQUIRE_FALSE(missing.ok());
            CHECK(missing.error().message().starts_with(
                "prompt 'n': required variable 'b' has no value"));
        }
        SUBCASE("a partial is an error at its tag")
        {
            const auto partial = render("A {{> header}} B");
            REQUIRE_FALSE(partial.ok());
            CHECK(partial.error().message()
                  == "v.prompt.yaml:9:18: the partial 'header' cannot be included: prompts have no "
                     "partials, so it would render as nothing; put its text in the template");
        }
        SUBCASE("a skipped section is not checked")
        {
            CHECK(render("{{^items}}{{items}}{{/items}}").ok());
        }
    }
}
