#include "printers.hpp"
#include "scan/redaction.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace scan = aiops::scan;

namespace {

scan::TextMatch secret_at(const std::string& text, const std::string& secret, std::size_t from = 0)
{
    scan::TextMatch match;
    match.start_byte = text.find(secret, from);
    match.end_byte = match.start_byte + secret.size();
    match.secret = secret;
    return match;
}

} // namespace

TEST_SUITE("scan")
{
    TEST_CASE("scan::RedactedText")
    {
        const std::string key = "FAKEq7Zp9Lm2Xw4Rt8";
        const std::string other = "FAKEzz11yy22xx33";
        const std::string text = "a = '" + key + "'; b = ['" + key + "', '" + other + "']\nc = 1\n";
        const scan::RedactedText redacted(text, {secret_at(text, key), secret_at(text, other)});
        const std::string shown_key = scan::redact_secret(key);
        const std::string shown_other = scan::redact_secret(other);

        SUBCASE("every secret is redacted where a rule found it and wherever else it is")
        {
            CHECK(redacted.text()
                  == "a = '" + shown_key + "'; b = ['" + shown_key + "', '" + shown_other
                         + "']\nc = 1\n");
        }

        SUBCASE("the shift before a byte counts the redactions on its line before it")
        {
            const int saved = static_cast<int>(key.size()) - 4 - 1 - 17; // "FAKE…[sha256:xxxxxxxx]"
            CHECK(redacted.shift(0, 4) == 0);
            CHECK(redacted.shift(0, text.find("b =")) == saved);
            CHECK(redacted.shift(0, text.find(other)) == 2 * saved);
            CHECK(redacted.shift(text.find("c ="), text.find("c =") + 2) == 0);
        }

        SUBCASE("a message quoting a secret, or a start of one, shows it redacted")
        {
            std::string message = "'" + key + "' and '" + other.substr(0, 10) + "...'";
            redacted.redact_message(message);
            CHECK(message == "'" + shown_key + "' and '" + shown_other + "...'");
            std::string short_start = "'" + key.substr(0, 7) + "'";
            redacted.redact_message(short_start);
            CHECK(short_start == "'" + key.substr(0, 7) + "'");
        }

        SUBCASE("a text without secrets is empty")
        {
            const scan::RedactedText none("x = 1\n", {});
            CHECK(none.empty());
        }
    }

    TEST_CASE("scan::RedactedText: thousands of secrets on one line")
    {
        std::string text = "[";
        std::vector<scan::TextMatch> matches;
        for (int i = 0; i < 4000; ++i) {
            const std::string secret = "FAKEsecret" + std::to_string(100000 + i) + "xyz";
            text += "{\"password\": \"" + secret + "\"},";
            scan::TextMatch match;
            match.end_byte = text.size() - 3;
            match.start_byte = match.end_byte - secret.size();
            match.secret = secret;
            matches.push_back(match);
        }
        text += "]";
        const scan::RedactedText redacted(text, matches);
        CHECK(redacted.text().find("FAKEsecret") == std::string::npos);
        CHECK(redacted.text().find("xyz\"") == std::string::npos);
        // Each 19-character secret is shown as 22: "FAKE", "…" and "[sha256:12345678]".
        CHECK(redacted.shift(0, text.size()) == 4000 * (19 - 22));
    }
}
