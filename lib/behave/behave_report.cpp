#include "behave/behave_report.hpp"

#include "core/version.hpp"
#include "report/writers.hpp"

#include <fmt/format.h>

namespace aiops::behave {

namespace {

constexpr const char* k_rule_id = "behave.case-failed";

std::size_t count_failed(const BehaveReport& report, std::size_t& total)
{
    std::size_t failed = 0;
    total = 0;
    for (const auto& suite : report.suites) {
        for (const auto& result : suite.cases) {
            ++total;
            failed += result.passed ? 0 : 1;
        }
    }
    return failed;
}

std::string percent(double share)
{
    return fmt::format("{:.1f}%", share * 100.0);
}

// The note names the bound the gate uses, so following it passes the gate: the exact
// binomial count for a plain threshold, the Wilson count under --confidence.
std::string needed_note(const CaseResult& result)
{
    const GateRule& gate = result.gate;
    if (result.threshold_unprovable) {
        // Without --confidence a threshold of 1 only asks every trial to pass.
        return gate.confidence
                   ? fmt::format("a threshold of 1 cannot be met under --confidence: the {:.0f}% "
                                 "Wilson lower bound stays under 1 whatever the number of trials",
                                 *gate.confidence * 100)
                   : std::string();
    }
    if (!result.trials_needed) {
        return {};
    }
    if (gate.confidence) {
        return fmt::format("the gate's {:.0f}% Wilson lower bound reaches {:.4g} only after {} "
                           "passing trials in a row; this case ran {}",
                           *gate.confidence * 100,
                           gate.threshold,
                           *result.trials_needed,
                           result.trials_run);
    }
    return fmt::format("showing a pass rate of at least {:.4g} at 95% confidence (exact binomial "
                       "bound) takes {} passing trials in a row; this case ran {}",
                       gate.threshold,
                       *result.trials_needed,
                       result.trials_run);
}

std::string sequential_name(SequentialOutcome outcome)
{
    switch (outcome) {
    case SequentialOutcome::not_used:
        return "not-used";
    case SequentialOutcome::pass:
        return "pass";
    case SequentialOutcome::fail:
        return "fail";
    case SequentialOutcome::undecided:
        return "undecided";
    }
    return "not-used";
}

std::string failure_text(const CaseResult& result)
{
    std::string out;
    for (const auto& reason : result.reasons) {
        out += reason + "\n";
    }
    for (const auto& trial : result.failed_trials) {
        out += fmt::format("trial {}:\n", trial.trial);
        for (const auto& message : trial.messages) {
            out += "  " + message + "\n";
        }
        out += "  output: " + trial.output + "\n";
    }
    return out;
}

std::string interval_text(const Interval& interval)
{
    return fmt::format("[{:.3f}, {:.3f}]", interval.lower, interval.upper);
}

} // namespace

std::string write_behave_text(const BehaveReport& report, bool color)
{
    const auto paint = [color](std::string_view text, const char* code) {
        return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
    };
    std::string out;
    for (const auto& suite : report.suites) {
        out += fmt::format("{}{}\n", suite.path, suite.name.empty() ? "" : " (" + suite.name + ")");
        out += fmt::format("  {:<24} {:>7} {:>7} {:>8} {:>16} {:>8} {:>8} {:>9} {:>9}  {}\n",
                           "case",
                           "trials",
                           "passes",
                           "rate",
                           "95% interval",
                           "consist",
                           "distinct",
                           "p50 ms",
                           "p95 ms",
                           "verdict");
        for (const auto& result : suite.cases) {
            out +=
                fmt::format("  {:<24} {:>7} {:>7} {:>8} {:>16} {:>8} {:>8} {:>9.1f} {:>9.1f}  {}\n",
                            result.id,
                            result.trials_run,
                            result.passes,
                            percent(result.pass_rate),
                            interval_text(result.wilson),
                            percent(result.consistency),
                            result.distinct_outputs,
                            result.latency_p50_ms,
                            result.latency_p95_ms,
                            result.passed ? paint("pass", "32") : paint("FAIL", "31"));
        }
        for (const auto& result : suite.cases) {
            if (!result.passed) {
                out += fmt::format("  {}:{}:{}: case '{}' failed\n",
                                   suite.path,
                                   result.position.line,
                                   result.position.column,
                                   result.id);
                for (const auto& reason : result.reasons) {
                    out += "    " + reason + "\n";
                }
                for (const auto& trial : result.failed_trials) {
                    const std::string first = trial.messages.empty() ? "" : trial.messages.front();
                    out += fmt::format("    trial {}: {}\n", trial.trial, first);
                }
            }
            if (const auto note = needed_note(result); !note.empty()) {
                out += fmt::format("  note: case '{}': {}\n", result.id, note);
            }
            if (result.trials_saved > 0) {
                out +=
                    fmt::format("  note: case '{}': stopped after {} of {} trials ({}), {} saved\n",
                                result.id,
                                result.trials_run,
                                result.trials_planned,
                                result.sequential == SequentialOutcome::not_used
                                    ? "its verdict could no longer change"
                                    : "the sequential test decided",
                                result.trials_saved);
            }
            if (result.sequential == SequentialOutcome::undecided) {
                out += fmt::format("  note: case '{}': the sequential test was still undecided "
                                   "after {} trials (--max-trials); the pass-rate gate judged "
                                   "them\n",
                                   result.id,
                                   result.trials_run);
            }
        }
    }
    if (report.budget_exceeded) {
        out += "budget exceeded: " + report.budget_message + "\n";
    }
    std::size_t total = 0;
    const std::size_t failed = count_failed(report, total);
    std::size_t trials = 0;
    for (const auto& suite : report.suites) {
        for (const auto& result : suite.cases) {
            trials += result.trials_run;
        }
    }
    out +=
        fmt::format("{} of {} cases passed, {} trials in {:.2f} s{}\n",
                    total - failed,
                    total,
                    trials,
                    report.elapsed_seconds,
                    report.cases_skipped_by_shard > 0
                        ? fmt::format(" ({} cases in other shards)", report.cases_skipped_by_shard)
                        : std::string());
    return out;
}

nlohmann::ordered_json behave_to_json(const BehaveReport& report)
{
    nlohmann::ordered_json suites = nlohmann::ordered_json::array();
    for (const auto& suite : report.suites) {
        nlohmann::ordered_json cases = nlohmann::ordered_json::array();
        for (const auto& result : suite.cases) {
            nlohmann::ordered_json failed = nlohmann::ordered_json::array();
            for (const auto& trial : result.failed_trials) {
                failed.push_back({{"trial", trial.trial},
                                  {"output", trial.output},
                                  {"messages", trial.messages}});
            }
            nlohmann::ordered_json gate = {{"threshold", result.gate.threshold},
                                           {"confidence", nullptr},
                                           {"consistency_min", nullptr}};
            if (result.gate.confidence) {
                gate["confidence"] = *result.gate.confidence;
            }
            if (result.gate.consistency_min) {
                gate["consistency_min"] = *result.gate.consistency_min;
            }
            cases.push_back({
                {"id", result.id},
                {"kind", result.kind},
                {"line", result.position.line},
                {"column", result.position.column},
                {"passed", result.passed},
                {"trials_planned", result.trials_planned},
                {"trials_run", result.trials_run},
                {"trials_saved", result.trials_saved},
                {"passes", result.passes},
                {"pass_rate", result.pass_rate},
                {"wilson_95", {{"lower", result.wilson.lower}, {"upper", result.wilson.upper}}},
                {"consistency", result.consistency},
                {"distinct_outputs", result.distinct_outputs},
                {"latency_ms", {{"p50", result.latency_p50_ms}, {"p95", result.latency_p95_ms}}},
                {"tokens", result.tokens},
                {"cost_usd", result.cost_usd},
                {"gate", gate},
                {"trials_needed",
                 result.trials_needed ? nlohmann::ordered_json(*result.trials_needed) : nullptr},
                {"sequential", sequential_name(result.sequential)},
                {"reasons", result.reasons},
                {"failed_trials", failed},
            });
        }
        suites.push_back({{"path", suite.path}, {"name", suite.name}, {"cases", cases}});
    }
    std::size_t total = 0;
    const std::size_t failed = count_failed(report, total);
    return {
        {"version", "1"},
        {"tool", {{"name", "aiops"}, {"version", core::k_version}}},
        {"command_line", report.command_line},
        {"start_time_utc", report.start_time_utc},
        {"end_time_utc", report.end_time_utc},
        {"summary",
         {{"cases", total},
          {"failed", failed},
          {"passed", failed == 0 && !report.budget_exceeded},
          {"budget_exceeded", report.budget_exceeded},
          {"budget_message", report.budget_message},
          {"cases_in_other_shards", report.cases_skipped_by_shard}}},
        {"suites", suites},
    };
}

std::string write_behave_junit(const BehaveReport& report)
{
    std::size_t total = 0;
    const std::size_t failed = count_failed(report, total);
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format("<testsuites name=\"aiops behave\" tests=\"{}\" failures=\"{}\" "
                       "errors=\"0\" time=\"{:.3f}\">\n",
                       total,
                       failed,
                       report.elapsed_seconds);
    for (const auto& suite : report.suites) {
        std::size_t suite_failed = 0;
        double suite_time = 0.0;
        for (const auto& result : suite.cases) {
            suite_failed += result.passed ? 0 : 1;
            suite_time += result.latency_p50_ms * static_cast<double>(result.trials_run) / 1000.0;
        }
        out += fmt::format(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" "
            "time=\"{:.3f}\">\n",
            report::xml_text(suite.path),
            suite.cases.size(),
            suite_failed,
            suite_time);
        for (const auto& result : suite.cases) {
            out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\" "
                               "time=\"{:.3f}\">\n",
                               report::xml_text(suite.name.empty() ? suite.path : suite.name),
                               report::xml_text(result.id),
                               report::xml_text(suite.path),
                               result.position.line,
                               result.latency_p50_ms * static_cast<double>(result.trials_run)
                                   / 1000.0);
            out += "      <properties>\n";
            const auto property = [&out](const std::string& name, const std::string& value) {
                out += fmt::format("        <property name=\"{}\" value=\"{}\"/>\n",
                                   name,
                                   report::xml_text(value));
            };
            property("trials", std::to_string(result.trials_run));
            property("passes", std::to_string(result.passes));
            property("pass_rate", fmt::format("{:.4f}", result.pass_rate));
            property("wilson_95_lower", fmt::format("{:.4f}", result.wilson.lower));
            property("wilson_95_upper", fmt::format("{:.4f}", result.wilson.upper));
            property("consistency", fmt::format("{:.4f}", result.consistency));
            property("distinct_outputs", std::to_string(result.distinct_outputs));
            property("latency_p50_ms", fmt::format("{:.1f}", result.latency_p50_ms));
            property("latency_p95_ms", fmt::format("{:.1f}", result.latency_p95_ms));
            property("threshold", fmt::format("{:.4g}", result.gate.threshold));
            property("trials_saved", std::to_string(result.trials_saved));
            out += "      </properties>\n";
            if (!result.passed) {
                out += fmt::format(
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                    report::xml_text(result.reasons.empty() ? "failed" : result.reasons.front()),
                    k_rule_id,
                    report::xml_text(failure_text(result), /*attribute=*/false));
            }
            out += "    </testcase>\n";
        }
        out += "  </testsuite>\n";
    }
    out += "</testsuites>\n";
    return out;
}

std::string write_behave_markdown(const BehaveReport& report)
{
    std::size_t total = 0;
    const std::size_t failed = count_failed(report, total);
    const bool passed = failed == 0 && !report.budget_exceeded;
    std::string out = "## aiops behave\n\n";
    out += fmt::format("{} {} of {} cases passed.\n\n", passed ? "✅" : "❌", total - failed, total);
    if (report.budget_exceeded) {
        out += "**Budget exceeded:** " + report.budget_message + "\n\n";
    }
    out += "| suite | case | trials | pass rate | 95% interval | consistency | distinct | p95 ms | "
           "verdict |\n";
    out += "| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | --- |\n";
    const auto cell = [](std::string_view text) {
        std::string escaped;
        for (const char c : text) {
            escaped += c == '|' ? std::string("\\|") : std::string(1, c);
        }
        return escaped;
    };
    for (const auto& suite : report.suites) {
        for (const auto& result : suite.cases) {
            out += fmt::format("| {} | {} | {} | {} ({}/{}) | {} | {} | {} | {:.1f} | {} |\n",
                               cell(suite.path),
                               cell(result.id),
                               result.trials_run,
                               percent(result.pass_rate),
                               result.passes,
                               result.trials_run,
                               interval_text(result.wilson),
                               percent(result.consistency),
                               result.distinct_outputs,
                               result.latency_p95_ms,
                               result.passed ? "pass" : "**FAIL**");
        }
    }
    for (const auto& suite : report.suites) {
        for (const auto& result : suite.cases) {
            if (!result.passed) {
                out += fmt::format("\n**{}** ({}:{}): {}\n",
                                   cell(result.id),
                                   suite.path,
                                   result.position.line,
                                   result.reasons.empty() ? "failed" : result.reasons.front());
            }
        }
    }
    return out;
}

report::Report behave_to_findings(const BehaveReport& source_report)
{
    report::Report out;
    out.command = "behave";
    out.command_line = source_report.command_line;
    out.start_time_utc = source_report.start_time_utc;
    out.end_time_utc = source_report.end_time_utc;
    out.fail_on = core::Severity::high;
    report::RuleInfo rule;
    rule.id = k_rule_id;
    rule.name = "BehaveCaseFailed";
    rule.short_description = "A behavioural case did not meet its gate over repeated trials";
    rule.full_description =
        "The case's pass rate (or its Wilson lower bound, with --confidence) is under its "
        "threshold, or its consistency is under consistency.min.";
    rule.help_markdown =
        "Run the case with `aiops behave` to see its failing trials and statistics.";
    rule.default_severity = core::Severity::high;
    out.rules.push_back(rule);
    for (const auto& suite : source_report.suites) {
        std::vector<core::Finding> findings;
        for (const auto& result : suite.cases) {
            if (result.passed) {
                continue;
            }
            core::Finding finding;
            finding.rule_id = k_rule_id;
            finding.severity = core::Severity::high;
            finding.message =
                fmt::format("case '{}': {}",
                            result.id,
                            result.reasons.empty() ? "failed" : result.reasons.front());
            finding.location = {suite.path,
                                result.position.line,
                                result.position.column,
                                result.position.line,
                                result.position.column + 1};
            finding.snippet = result.source_line;
            findings.push_back(std::move(finding));
        }
        core::compute_fingerprints(findings);
        for (auto& finding : findings) {
            out.findings.push_back(std::move(finding));
        }
        ++out.files_checked;
    }
    std::sort(out.findings.begin(), out.findings.end(), core::finding_order);
    return out;
}

std::string behave_metrics(const BehaveReport& report, const metrics::LlmMetrics* calls)
{
    metrics::Exposition out;
    out.family("behave_pass_ratio", "gauge", "Share of a behave case's trials that passed.");
    for (const auto& suite : report.suites) {
        const std::string& name = suite.name.empty() ? suite.path : suite.name;
        for (const auto& result : suite.cases) {
            out.sample(
                "behave_pass_ratio", {{"suite", name}, {"case", result.id}}, result.pass_rate);
        }
    }
    if (calls != nullptr) {
        calls->append_to(out);
    }
    return out.text();
}

} // namespace aiops::behave
