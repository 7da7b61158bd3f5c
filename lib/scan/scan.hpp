#pragma once

#include "core/error.hpp"
#include "core/severity.hpp"
#include "report/report.hpp"
#include "rules/rule.hpp"
#include "scan/text_rules.hpp"
#include "source/workspace.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace aiops::scan {

/// Everything `aiops scan` takes.
struct ScanOptions
{
    source::WalkOptions walk;
    std::vector<std::string> rule_paths; ///< --rules: files or folders of rule files
    bool builtin_rules = true;
    unsigned jobs = 0; ///< 0: all cores
    std::optional<core::Severity> fail_on = core::Severity::high;
    bool ignore_suppressions = false;
    std::optional<std::string> baseline_file;
    std::optional<std::string> write_baseline_file;
    bool keep_going = false; ///< files that cannot be read do not make the run fail
    /// A file whose parse takes longer is reported as not scanned.
    std::chrono::milliseconds parse_time_limit{30000};
    std::string category;
    std::vector<std::string> command_line;
    /// Files whose secrets are not reported (test fixtures). The command line fills it
    /// from the defaults and --secrets-allow-path; a config file would add its own.
    SecretAllowlist secret_allowlist{default_secret_allow_paths()};
    /// --history: scan every blob reachable from this revision range instead of the
    /// work tree ("" for all of HEAD's history).
    std::optional<std::string> history;
    /// Give each finding the hash of its line that SARIF's partialFingerprints carry
    /// (core::Finding::line_hash). Other reports do not show it, and it costs a pass over
    /// each file with findings, up to its last one.
    bool line_hashes = true;
};

/// A file or folder of rules, and the flag that named it for messages about it.
struct RulePath
{
    std::string path;
    std::string flag = "--rules";
};

/// Loads the built-in rules (unless disabled), on `jobs` threads (0: every core), and
/// those of the rule paths, each file once however often it is named. Fails with
/// ErrorCode::input ("file:line:column: ...") on a bad rule file, and with
/// ErrorCode::usage for a path that does not exist, a folder without rule files, and a
/// set with no rule at all: a gate with nothing to check must not pass.
/// `builtin_options` apply to the built-in rules only (the rules of `paths` are always
/// loaded in full). `read_ahead` may hold, by index in rules::builtin_rule_sources(),
/// built-in files already read as YAML (null: not read).
core::Result<rules::RuleSet>
load_rule_set(bool builtin,
              const std::vector<RulePath>& paths,
              unsigned jobs = 0,
              const rules::LoadOptions& builtin_options = {},
              const std::vector<std::shared_ptr<const rules::RuleDocument>>& read_ahead = {});

/// The same for paths given with --rules.
core::Result<rules::RuleSet>
load_rule_set(bool builtin,
              const std::vector<std::string>& paths,
              unsigned jobs = 0,
              const rules::LoadOptions& builtin_options = {},
              const std::vector<std::shared_ptr<const rules::RuleDocument>>& read_ahead = {});

/// The report description of a rule.
report::RuleInfo rule_info(const rules::Rule& rule);

/// Scans the files the options name with every rule and returns the report.
core::Result<report::Report> run_scan(const ScanOptions& options);

/// Finds secrets in one text as `aiops scan` finds them in a file: with the built-in rules
/// of rules/secrets/ through the same text rule engine, the default allowlist of paths,
/// and suppression comments honoured. Other commands that check for secrets (prompt
/// lint) use it, so that they and scan never disagree.
class SecretFinder
{
public:
    /// Loads the built-in secret rules.
    static core::Result<SecretFinder> create();

    ~SecretFinder();
    SecretFinder(SecretFinder&&) noexcept;
    SecretFinder& operator=(SecretFinder&&) noexcept;

    /// The secrets scan would report in a file at `path` (relative to the scanned
    /// folder, which the allowlist and a rule's paths are matched against) holding
    /// `text`, in source order; suppressed ones are left out. Messages are redacted.
    std::vector<core::Finding> find(const std::string& path, std::string text) const;

private:
    struct Parts;
    explicit SecretFinder(std::unique_ptr<Parts> parts);

    std::unique_ptr<Parts> m_parts;
};

/// The outcome of one rule's own examples.
struct ExampleFailure
{
    std::string rule_id;
    rules::RuleOrigin origin; ///< where the failing example is (the rule, when none is)
    std::string problem;      ///< "bad example 2 is not found", "good example 1 is found: ..."
};

/// Runs every rule's bad and good examples: each bad one must match, no good one may,
/// and a tree rule's example must parse. Also fails a rule that has no bad example.
std::vector<ExampleFailure> test_rule_examples(const rules::RuleSet& rules,
                                               std::size_t& examples_run);

} // namespace aiops::scan
