#include "printers.hpp"
#include "rules/rule.hpp"
#include "scan/text_rules.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace rules = aiops::rules;
namespace scan = aiops::scan;

namespace {

// A rule set from the YAML of one text rule (the common keys are added).
rules::RuleSet text_rule(const std::string& keys)
{
    const std::string text = "id: test.text\n"
                             "message: 'found {{match}}'\n"
                             "severity: high\n"
                             "confidence: high\n"
                             "help: A rule of the text engine's tests.\n"
                             + keys;
    rules::RuleSet set;
    const auto loaded = rules::load_rules({"test.yaml", text}, set);
    REQUIRE_MESSAGE(loaded.ok(), loaded.error().message());
    return set;
}

std::string load_error(const std::string& keys)
{
    rules::RuleSet set;
    const auto loaded = rules::load_rules({"test.yaml",
                                           "id: test.text\nmessage: m\nseverity: high\n"
                                           "help: h\n"
                                               + keys},
                                          set);
    return loaded.ok() ? std::string() : loaded.error().message();
}

// The text of each match, in order.
std::vector<std::string> matched(const rules::RuleSet& set,
                                 const std::string& text,
                                 const std::string& path = "file.txt",
                                 const scan::SecretAllowlist& allowlist = {})
{
    const scan::TextRuleEngine engine(set, allowlist);
    std::vector<std::string> out;
    for (const auto& match : engine.run(path, text)) {
        out.push_back(text.substr(match.start_byte, match.end_byte - match.start_byte));
    }
    return out;
}

} // namespace

TEST_SUITE("scan")
{
    TEST_CASE("scan::TextRuleEngine")
    {
        SUBCASE("a keyword of any case opens its line to the regex, and only its line")
        {
            const auto set =
                text_rule("regex: 'id=([0-9]{4})'\nkeywords: [Token]\nsecret-group: 1\n"
                          "redact: false\n");
            CHECK(matched(set, "TOKEN id=1234\nid=5678\nx token id=9012\n")
                  == std::vector<std::string>{"1234", "9012"});
            CHECK(matched(set, "id=1234\n").empty());
        }

        SUBCASE("keywords that overlap are each found")
        {
            const auto set = text_rule("regex: '[0-9]+'\nkeywords: [abcd, bc, cde]\n"
                                       "redact: false\n");
            // "abc" leads into "abcd" but ends in "bc"; "bcde" ends in "cde".
            CHECK(matched(set, "abce 1\nxx 2\nbcde 3\nABCD 4\n")
                  == std::vector<std::string>{"1", "3", "4"});
        }

        SUBCASE("several matches on one line are each reported")
        {
            const auto set = text_rule("regex: 'k_[a-z0-9]{6}'\nkeywords: [k_]\nredact: false\n");
            CHECK(matched(set, "a = [k_abc123, k_def456]\n")
                  == std::vector<std::string>{"k_abc123", "k_def456"});
        }

        SUBCASE("a multiline rule sees the whole file")
        {
            const auto set = text_rule("regex: '(?s)BEGIN(.*?)END'\nkeywords: [begin]\n"
                                       "multiline: true\nsecret-group: 1\nredact: false\n");
            CHECK(matched(set, "x\nBEGIN\nabc\nEND\n") == std::vector<std::string>{"\nabc\n"});
        }

        SUBCASE("without keywords the regex's literal start is the keyword")
        {
            const auto set = text_rule("regex: 'zq_[0-9]+'\nredact: false\n");
            CHECK(matched(set, "a zq_12 b\nzq_3\n") == std::vector<std::string>{"zq_12", "zq_3"});
        }

        SUBCASE("entropy, allow lists and placeholders drop matches")
        {
            const auto set =
                text_rule("regex: 'key=([A-Za-z0-9]{8,})'\nkeywords: [key]\nsecret-group: 1\n"
                          "entropy: 2.5\nallow: ['^Allowed']\n");
            CHECK(matched(set, "key=abababab\n").empty());    // 1 bit per character
            CHECK(matched(set, "key=AllowedQ7x9\n").empty()); // the rule's allow list
            CHECK(matched(set, "key=xxxxQ7x9Zk\n").empty());  // a placeholder
            CHECK(matched(set, "key=FAKEq7X9zK2m\n") == std::vector<std::string>{"FAKEq7X9zK2m"});
        }

        SUBCASE("allow-match drops a match by its whole text, not only its group")
        {
            const auto set = text_rule("regex: '([a-z_]+) = ([0-9a-f]{8})'\nkeywords: [' = ']\n"
                                       "secret-group: 2\nallow-match: ['^[a-z_]*sha[a-z_]* =']\n");
            CHECK(matched(set, "file_sha = 9f3c2a7b\n").empty());
            CHECK(matched(set, "api_key = 9f3c2a7b\n") == std::vector<std::string>{"9f3c2a7b"});
        }

        SUBCASE("allowed paths hide secrets, not other findings")
        {
            const auto secret = text_rule("regex: 'k_[a-z0-9]{6}'\n");
            const scan::SecretAllowlist allow{{"**/fixtures/**"}};
            CHECK(matched(secret, "k_q7x9z2\n", "tests/fixtures/a.txt", allow).empty());
            CHECK(matched(secret, "k_q7x9z2\n", "src/a.txt", allow).size() == 1);
            const auto plain = text_rule("regex: 'k_[a-z0-9]{6}'\nredact: false\n");
            CHECK(matched(plain, "k_q7x9z2\n", "tests/fixtures/a.txt", allow).size() == 1);
        }

        SUBCASE("a rule with paths reads only those files")
        {
            const auto set =
                text_rule("regex: 'obey'\nredact: false\npaths: ['AGENTS.md', '**/prompts/**']\n");
            CHECK(matched(set, "obey\n", "AGENTS.md").size() == 1);
            CHECK(matched(set, "obey\n", "sub/AGENTS.md").size() == 1);
            CHECK(matched(set, "obey\n", "a/prompts/x.txt").size() == 1);
            CHECK(matched(set, "obey\n", "docs/notes.md").empty());
        }

        SUBCASE("a decoded group must decode to a text the decoded regex matches")
        {
            // {"alg":"HS256"} and {"kid":"x"}
            const auto set = text_rule("regex: '(ey[A-Za-z0-9_-]+)\\.x'\nkeywords: [ey]\n"
                                       "decoded: {group: 1, regex: '\"alg\"'}\n");
            CHECK(matched(set, "t = eyJhbGciOiJIUzI1NiJ9.x\n").size() == 1);
            CHECK(matched(set, "t = eyJraWQiOiJ4In0.x\n").empty());
        }

        SUBCASE("messages show a secret redacted and hidden text decoded")
        {
            const auto set = text_rule("regex: 'k_[a-z0-9]{12}'\n");
            const scan::TextRuleEngine engine(set, {});
            const auto matches = engine.run("a.txt", "k_q7x9z2m4w8r1\n");
            REQUIRE(matches.size() == 1);
            CHECK(matches[0].message == "found " + scan::redact_secret("k_q7x9z2m4w8r1"));
            CHECK(matches[0].secret == "k_q7x9z2m4w8r1");
        }

        SUBCASE("of two rules finding the same secret, the surer one is kept")
        {
            rules::RuleSet set;
            REQUIRE(rules::load_rules({"a.yaml",
                                       "id: test.specific\nmessage: m\nseverity: high\n"
                                       "confidence: high\nhelp: h\nregex: 'k_[a-z0-9]{6}'\n"},
                                      set)
                        .ok());
            REQUIRE(rules::load_rules({"b.yaml",
                                       "id: test.generic\nmessage: m\nseverity: low\n"
                                       "confidence: low\nhelp: h\nregex: '= ?(k_[a-z0-9]{6})'\n"
                                       "secret-group: 1\n"},
                                      set)
                        .ok());
            const scan::TextRuleEngine engine(set, {});
            const auto matches = engine.run("a.txt", "x = k_q7x9z2\n");
            REQUIRE(matches.size() == 1);
            CHECK(matches[0].rule->id == "test.specific");
        }
    }

    TEST_CASE("scan::TextRuleEngine: secrets in quoted text")
    {
        rules::RuleSet set;
        REQUIRE(
            rules::load_rules({"t.yaml",
                               "rules:\n"
                               "- {id: test.secret, message: 'key {{match}}', severity: high,\n"
                               "   help: h, regex: 'k_[a-z0-9]{6}', paths: ['*.env']}\n"
                               "- {id: test.quote, message: 'says {{match}}', severity: low,\n"
                               "   help: h, regex: 'send [^.]*', keywords: [send], redact: false}\n"
                               "- {id: test.hidden, message: 'hides {{hidden}}', severity: low,\n"
                               "   help: h, regex: '[\\x{E0000}-\\x{E007F}]+', redact: false}\n"},
                              set)
                .ok());
        const scan::TextRuleEngine engine(set, scan::SecretAllowlist{{"fixtures/**"}});
        const std::string shown = scan::redact_secret("k_q7x9z2");

        SUBCASE("a quote shows each secret in it redacted, whatever the rule's paths say")
        {
            const auto matches = engine.run("notes.md", "send k_q7x9z2 to them.\n");
            REQUIRE(matches.size() == 1);
            CHECK(matches[0].message == "says send " + shown + " to them");
        }

        SUBCASE("text spelt in tag characters is redacted before it is shown")
        {
            std::string hidden;
            for (const char c : std::string("use k_q7x9z2")) {
                hidden += "\xF3\xA0";
                hidden += static_cast<char>(0x80 + ((c >> 6) & 1));
                hidden += static_cast<char>(0x80 + (c & 0x3F));
            }
            const std::string text = "x " + hidden + "\n";
            const auto matches = engine.run("notes.md", text);
            REQUIRE(matches.size() == 1);
            CHECK(matches[0].message == "hides use " + shown);
            // The tags of the secret are hidden in snippets too, at their own bytes.
            const auto secrets = engine.unreported_secrets("notes.md", text);
            REQUIRE(secrets.size() == 1);
            CHECK(secrets[0].start_byte == 2 + 4 * 4);
            CHECK(secrets[0].end_byte == text.size() - 1);
        }

        SUBCASE("secrets that are not reported are still known, to be hidden")
        {
            CHECK(engine.run("notes.md", "k_q7x9z2\n").empty());
            CHECK(engine.unreported_secrets("notes.md", "a k_q7x9z2\n").size() == 1);
            CHECK(engine.run("fixtures/a.env", "k_q7x9z2\n").empty());
            CHECK(engine.unreported_secrets("fixtures/a.env", "k_q7x9z2\n").size() == 1);
            // Where the rule reports them, they are not listed twice.
            CHECK(engine.run("a.env", "k_q7x9z2\n").size() == 1);
            CHECK(engine.unreported_secrets("a.env", "k_q7x9z2\n").empty());
        }

        SUBCASE("redact_secrets replaces every secret and keeps the rest")
        {
            CHECK(engine.redact_secrets("a k_q7x9z2, b k_q7x9z2.")
                  == "a " + shown + ", b " + shown + ".");
            CHECK(engine.redact_secrets("nothing here") == "nothing here");
        }
    }

    TEST_CASE("scan::redact_secret")
    {
        const std::string shown = scan::redact_secret("sk-proj-FAKEq7x9");
        CHECK(shown.rfind("sk-p…[sha256:", 0) == 0);
        CHECK(shown.size() == std::string("sk-p…[sha256:12345678]").size());
        CHECK(scan::redact_secret("abcdefgh").rfind("ab…[sha256:", 0) == 0);
        CHECK(scan::redact_secret("abc").rfind("…[sha256:", 0) == 0);
        CHECK(scan::redact_secret("k_q7x9") != scan::redact_secret("k_q7x8"));
    }

    TEST_CASE("scan::shannon_entropy")
    {
        CHECK(scan::shannon_entropy("") == 0);
        CHECK(scan::shannon_entropy("aaaa") == 0);
        CHECK(scan::shannon_entropy("abab") == doctest::Approx(1.0));
        CHECK(scan::shannon_entropy("abcdefgh") == doctest::Approx(3.0));
    }

    TEST_CASE("scan::looks_like_placeholder")
    {
        for (const char* placeholder : {"xxxxxxxxxxxx",
                                        "<your-key>",
                                        "${API_KEY}",
                                        "{{ api_key }}",
                                        "changeme",
                                        "your_api_key_here",
                                        "aaaaaaaaaaaaaaaa",
                                        "AKIAIOSFODNN7EXAMPLE"}) {
            CAPTURE(placeholder);
            CHECK(scan::looks_like_placeholder(placeholder));
        }
        CHECK_FALSE(scan::looks_like_placeholder("FAKEq7X9zK2m4W8r"));
    }

    TEST_CASE("scan::escape_non_ascii")
    {
        CHECK(scan::escape_non_ascii("a\u202eb") == "a<U+202E>b");
        CHECK(scan::escape_non_ascii("\U000E0041") == "<U+E0041>");
        CHECK(scan::escape_non_ascii("\xff") == "<0xFF>");
        CHECK(scan::escape_non_ascii("abcdef", 3) == "abc...");
        CHECK(scan::escape_non_ascii("sk-p…[sha256:1a2b3c4d]") == "sk-p…[sha256:1a2b3c4d]");
    }

    TEST_CASE("scan::decode_tag_characters")
    {
        CHECK(scan::decode_tag_characters("x\U000E0068\U000E0069y") == "hi");
        CHECK(scan::decode_tag_characters("plain").empty());
    }

    TEST_CASE("scan::decode_base64")
    {
        CHECK(scan::decode_base64("aGVsbG8=") == std::optional<std::string>("hello"));
        CHECK(scan::decode_base64("aGVsbG8") == std::optional<std::string>("hello"));
        CHECK(scan::decode_base64("-_8") == std::optional<std::string>("\xfb\xff"));
        CHECK_FALSE(scan::decode_base64("not base64!").has_value());
    }

    TEST_CASE("rules::load_rules of text rules")
    {
        CHECK(load_error("regex: 'a('\n").find("invalid 'regex'") != std::string::npos);
        CHECK(load_error("regex: 'a'\nquery: '(x)'\nlanguages: [python]\n").find("not both")
              != std::string::npos);
        CHECK(load_error("regex: 'a'\nlanguages: [python]\n").find("takes no 'languages'")
              != std::string::npos);
        CHECK(load_error("regex: '(a)'\nsecret-group: 2\n").find("not a group")
              != std::string::npos);
        CHECK(load_error("regex: 'a'\nentropy: 9\n").find("between 0 and 8") != std::string::npos);
        CHECK(load_error("query: '(x)'\nlanguages: [python]\nkeywords: [a]\n")
                  .find("belongs to a 'regex' rule")
              != std::string::npos);
        CHECK(load_error("regex: '(?P<key>a)'\nsecret-group: key\n").empty());
        // An empty expression would match everywhere, or allow everything.
        CHECK(load_error("regex: ''\n").find("'regex' must not be empty") != std::string::npos);
        CHECK(load_error("regex: 'a'\nallow: ['']\n").find("'allow' must not be empty")
              != std::string::npos);
        CHECK(load_error("regex: 'a'\nallow-match: x\n")
                  .find("'allow-match' must be a list of regular expressions")
              != std::string::npos);
    }
}

TEST_SUITE("scan")
{
    TEST_CASE("scan::TextRuleEngine::run: keywords found by the caller")
    {
        const auto set = text_rule("regex: 'id=([0-9]{4})'\nkeywords: [token]\nsecret-group: 1\n"
                                   "redact: false\n");
        const scan::TextRuleEngine engine(set, {});
        REQUIRE(engine.keywords() == std::vector<std::string>{"token"});
        const std::string text = "token id=1234\nid=5678\n";

        SUBCASE("the hits of the engine's ids open their lines; other ids are skipped")
        {
            scan::KeywordAutomaton search;
            search.add("token", 0);
            search.add("id=", 1); // a word of someone else, on both lines
            search.build();
            const auto hits = search.hits(text);
            const auto matches = engine.run("file.txt", text, nullptr, &hits);
            REQUIRE(matches.size() == 1);
            CHECK(matches[0].start_byte == 9);
        }

        SUBCASE("without hits no line is opened")
        {
            const std::vector<scan::KeywordHit> none;
            CHECK(engine.run("file.txt", text, nullptr, &none).empty());
        }
    }
}
