#include "prompt/template.hpp"

#include <doctest/doctest.h>

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

} // namespace

TEST_SUITE("prompt")
{
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
}
