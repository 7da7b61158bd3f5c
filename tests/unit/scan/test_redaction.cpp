#include "core/finding.hpp"
#include "printers.hpp"
#include "scan/redaction.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace core = aiops::core;
namespace scan = aiops::scan;

namespace {

// A fake GitHub token, put together here so that no whole token is written in a file.
const std::string k_token = std::string("ghp_") + "FAKE" + "a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuV";

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

    TEST_CASE("scan::redact_builtin_secrets")
    {
        const std::string shown = scan::redact_builtin_secrets("--fail-on: " + k_token + " not");
        CHECK(shown == "--fail-on: " + scan::redact_secret(k_token) + " not");
        CHECK(scan::redact_builtin_secrets("nothing secret") == "nothing secret");
    }

    TEST_CASE("scan::redact_findings")
    {
        core::Finding finding;
        finding.message = "unclosed object: '" + k_token + "'";
        finding.snippet = "const t = {\"" + k_token + "\", x +;\nnext " + k_token;
        // The finding is at the '+', after the token on its line.
        finding.location.start_column = static_cast<int>(finding.snippet.find('+')) + 1;
        std::vector<core::Finding> findings{finding};
        scan::redact_findings(scan::builtin_secret_rules(), findings);

        const std::string shown = scan::redact_secret(k_token);
        CHECK(findings[0].message == "unclosed object: '" + shown + "'");
        CHECK(findings[0].snippet == "const t = {\"" + shown + "\", x +;\nnext " + shown);
        // The caret's column within the snippet is the column the '+' has there now.
        const std::string first_line =
            findings[0].snippet.substr(0, findings[0].snippet.find('\n'));
        const auto plus = static_cast<int>(first_line.find('+'));
        CHECK(findings[0].location.start_column - findings[0].snippet_shift
              == plus + 1 - static_cast<int>(std::string("…").size()) + 1);
    }

    TEST_CASE("scan::redact_findings: a message quoting the start of a secret of its snippet")
    {
        core::Finding finding;
        finding.message = "unexpected token: '" + k_token.substr(0, 12) + "...'";
        finding.snippet = "token = " + k_token + " +";
        std::vector<core::Finding> findings{finding};
        scan::redact_findings(scan::builtin_secret_rules(), findings);
        CHECK(findings[0].message == "unexpected token: '" + scan::redact_secret(k_token) + "...'");
    }
}
