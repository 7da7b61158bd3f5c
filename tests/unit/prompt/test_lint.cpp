#include "prompt/lint.hpp"
#include "scan/scan.hpp"

#include <doctest/doctest.h>

#include <string>

namespace prompt = aiops::prompt;

namespace {

std::vector<prompt::LintProblem> lint(const std::string& text,
                                      const std::string& path = "prompts/l.prompt.yaml")
{
    static const auto secrets = aiops::scan::SecretFinder::create().take();
    return prompt::lint_prompt(
        prompt::parse_prompt("l.prompt.yaml", text).take(), text, secrets, path);
}

std::string summary(const std::vector<prompt::LintProblem>& problems)
{
    std::string out;
    for (const auto& problem : problems) {
        out += std::to_string(problem.position.line) + ":" + std::to_string(problem.position.column)
               + " " + problem.check + (problem.error ? "" : " (warning)") + "\n";
    }
    return out;
}

} // namespace

TEST_SUITE("prompt")
{
    TEST_CASE("prompt::lint_prompt")
    {
        SUBCASE("a clean prompt has no problems")
        {
            CHECK(lint("name: a\nvariables:\n  - {name: topic}\nmessages:\n"
                       "  - {role: user, template: 'About {{topic}}'}\n")
                      .empty());
        }
        SUBCASE("unknown and unused variables, at their places")
        {
            const auto problems =
                lint("name: a\nvariables:\n  - {name: spare}\nmessages:\n"
                     "  - role: user\n    template: |\n      Hello\n      {{who}}\n");
            CHECK(summary(problems) == "3:5 unused-variable (warning)\n8:7 unknown-variable\n");
            CHECK(problems[1].message == "the user message uses 'who', which no variable declares");
        }
        SUBCASE("positions inside escaped, quoted and folded templates")
        {
            const auto problems =
                lint("name: a\nmessages:\n"
                     "  - role: user\n    template: \"line one\\n  {{ x }}\"\n"
                     "  - role: user\n    template: 'it''s {{ y }}'\n"
                     "  - role: user\n    template: >-\n      one\n\n"
                     "      two {{ z }}\n"
                     "  - role: user\n    template: |2\n       one\n      {{ w }}\n");
            CHECK(summary(problems)
                  == "4:28 unknown-variable\n6:22 unknown-variable\n11:11 unknown-variable\n"
                     "15:7 unknown-variable\n");
        }
        SUBCASE("a partial, which prompts cannot supply")
        {
            const auto problems =
                lint("name: a\nmessages:\n  - {role: user, template: 'Hi {{>footer}}'}\n");
            CHECK(summary(problems) == "3:32 template\n");
            REQUIRE(problems.size() == 1);
            CHECK(problems[0].message
                  == "the user message: the partial 'footer' cannot be included: prompts have no "
                     "partials, so it would render as nothing; put its text in the template");
        }
        SUBCASE("user input in a system message, by source or by name")
        {
            const auto problems =
                lint("name: a\nvariables:\n  - {name: user_input}\n"
                     "  - {name: context, source: user}\n  - {name: query, source: trusted}\n"
                     "messages:\n  - {role: system, template: '{{user_input}} {{context}} "
                     "{{query}}'}\n");
            CHECK(summary(problems) == "7:31 user-input-in-system\n7:46 user-input-in-system\n");
        }
        SUBCASE("the secrets aiops scan finds, with its rules, shown redacted")
        {
            const std::string text =
                "name: a\nmessages:\n  - role: user\n"
                "    template: 'key sk_live_FAKEY6Ne8MTWmxEuanXIttoT and "
                "glpat-FAKEabcdefghij123456'\n"
                "  - {role: user, template: 'jwt: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
                "eyJzdWIiOiJGQUtFIn0.FAKEsignatureFAKEsignatureFAKEsig12'}\n";
            const auto problems = lint(text);
            CHECK(summary(problems) == "4:20 secret\n4:57 secret\n5:34 secret\n");
            REQUIRE(problems.size() == 3);
            CHECK(problems[0].message.starts_with("A Stripe live secret or restricted key: sk_l"));
            CHECK(problems[0].message.ends_with(
                " (secrets.stripe-secret-key); keep secrets out of prompts"));
            CHECK(problems[1].message.find("(secrets.gitlab-personal-token)") != std::string::npos);
            CHECK(problems[2].message.find("(secrets.jwt)") != std::string::npos);
            for (const auto& problem : problems) {
                CHECK(problem.message.find("FAKEY6Ne8MTWmxEuanXIttoT") == std::string::npos);
                CHECK(problem.message.find("abcdefghij123456") == std::string::npos);
            }
            // As in scan: test fixtures are allowed, and a suppression comment silences one.
            CHECK(lint(text, "tests/fixtures/prompts/l.prompt.yaml").empty());
            const std::string suppressed =
                "name: a\nmessages:\n  - role: user\n"
                "    # aiops: ignore[secrets.stripe-secret-key] a revoked key, kept as an example\n"
                "    template: 'key sk_live_FAKEY6Ne8MTWmxEuanXIttoT'\n";
            CHECK(lint(suppressed).empty());
        }
        SUBCASE("hidden Unicode: bidi controls, zero-width and tag characters")
        {
            const auto problems = lint("name: a\nmessages:\n  - role: user\n"
                                       "    template: \"a\u202Eb\u200Bc\U000E0041\"\n");
            CHECK(summary(problems)
                  == "4:17 hidden-unicode\n4:19 hidden-unicode\n4:21 hidden-unicode\n");
            CHECK(problems[0].message.find("U+202E RIGHT-TO-LEFT OVERRIDE") != std::string::npos);
        }
        SUBCASE("a template that cannot render")
        {
            const auto problems =
                lint("name: a\nmessages:\n  - {role: user, template: '{{#x}} open'}\n");
            CHECK(summary(problems) == "3:29 template\n");
            // At the section that is not closed, not at the template's start.
            const auto later =
                lint("name: a\nmessages:\n  - role: user\n    template: |\n      Hi\n"
                     "      and {{#open}} more\n");
            CHECK(summary(later) == "6:11 template\n");
            REQUIRE(later.size() == 1);
            CHECK(later[0].message
                  == "the user message's template cannot be compiled: Unclosed section \"open\"");
        }
    }

    TEST_CASE("prompt::carries_user_input")
    {
        prompt::Variable variable;
        const auto user_shaped = [&](const std::string& name) {
            variable.name = name;
            return prompt::carries_user_input(variable);
        };
        for (const char* name : {"input",
                                 "question",
                                 "query",
                                 "request",
                                 "user_input",
                                 "user_message",
                                 "userInput",
                                 "user-input",
                                 "customer_question",
                                 "user_query",
                                 "search_query",
                                 "message",
                                 "user",
                                 "input_text",
                                 "question_text",
                                 "inputs",
                                 "queries",
                                 "UserInput",
                                 "userID"}) {
            CAPTURE(name);
            CHECK(user_shaped(name));
        }
        for (const char* name :
             {"language", "prompt", "text", "request_id", "system_message", "diff", "username2"}) {
            CAPTURE(name);
            CHECK_FALSE(user_shaped(name));
        }
        variable.name = "language";
        variable.source = "user";
        CHECK(prompt::carries_user_input(variable));
        variable.name = "user_input";
        variable.source = "trusted";
        CHECK_FALSE(prompt::carries_user_input(variable));
    }
}
