#include "core/finding.hpp"
#include "scan/redaction.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace core = aiops::core;
namespace scan = aiops::scan;

namespace {

// A fake GitHub token, put together here so that no whole token is written in a file.
const std::string k_token = std::string("ghp_") + "FAKE" + "a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuV";

} // namespace

TEST_SUITE("scan")
{
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
}
