#include "report/report.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <string>

namespace core = aiops::core;
namespace report = aiops::report;

using core::ExitCode;
using core::Severity;

namespace {

report::Report report_with(std::initializer_list<Severity> severities,
                           std::optional<Severity> fail_on)
{
    report::Report r;
    for (const Severity severity : severities) {
        core::Finding f;
        f.severity = severity;
        r.findings.push_back(f);
    }
    r.fail_on = fail_on;
    return r;
}

} // namespace

TEST_SUITE("report")
{
    TEST_CASE("report::gating_findings")
    {
        CHECK(report::gating_findings(report_with(
                  {Severity::low, Severity::medium, Severity::critical}, Severity::medium))
              == 2);
        CHECK(report::gating_findings(report_with({Severity::critical}, std::nullopt)) == 0);
        CHECK(report::gating_findings(report_with({}, Severity::info)) == 0);
    }

    TEST_CASE("report::gate_exit_code")
    {
        SUBCASE("a finding at the threshold fails the gate")
        {
            CHECK(report::gate_exit_code(report_with({Severity::medium}, Severity::medium))
                  == ExitCode::gate_failed);
        }

        SUBCASE("a finding above the threshold fails the gate")
        {
            CHECK(report::gate_exit_code(
                      report_with({Severity::low, Severity::high}, Severity::medium))
                  == ExitCode::gate_failed);
        }

        SUBCASE("findings below the threshold pass")
        {
            CHECK(report::gate_exit_code(
                      report_with({Severity::low, Severity::info}, Severity::medium))
                  == ExitCode::success);
        }

        SUBCASE("without a threshold findings never fail the gate")
        {
            CHECK(report::gate_exit_code(report_with({Severity::critical}, std::nullopt))
                  == ExitCode::success);
        }

        SUBCASE("no findings pass")
        {
            CHECK(report::gate_exit_code(report_with({}, Severity::info)) == ExitCode::success);
        }

        SUBCASE("an unsuccessful run is a failure, findings or not")
        {
            auto with_findings = report_with({Severity::critical}, Severity::low);
            with_findings.execution_successful = false;
            CHECK(report::gate_exit_code(with_findings) == ExitCode::failure);

            auto without = report_with({}, Severity::low);
            without.execution_successful = false;
            CHECK(report::gate_exit_code(without) == ExitCode::failure);
        }
    }

    TEST_CASE("report::utc_now")
    {
        // 2026-01-31T12:00:00.000Z: digits everywhere but the fixed separators.
        const std::string now = report::utc_now();
        REQUIRE(now.size() == 24);
        for (std::size_t i = 0; i < now.size(); ++i) {
            CAPTURE(i);
            switch (i) {
            case 4:
            case 7:
                CHECK(now[i] == '-');
                break;
            case 10:
                CHECK(now[i] == 'T');
                break;
            case 13:
            case 16:
                CHECK(now[i] == ':');
                break;
            case 19:
                CHECK(now[i] == '.');
                break;
            case 23:
                CHECK(now[i] == 'Z');
                break;
            default:
                CHECK(std::isdigit(static_cast<unsigned char>(now[i])) != 0);
            }
        }
        CHECK(now.substr(0, 2) == "20");
    }
}
