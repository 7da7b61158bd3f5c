#pragma once

#include "core/finding.hpp"
#include "scan/text_rules.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace aiops::scan {

/// The secret rules built into the binary (rules/secrets), loaded on first use: how
/// text shown outside a scan is redacted, the same way a scan redacts its own.
const TextRuleEngine& builtin_secret_rules();

/// The text with every secret the built-in secret rules find in it redacted.
std::string redact_builtin_secrets(std::string_view text);

/// Redacts every secret the engine finds in the message and the snippet of each
/// finding. Where a redaction before the start column shortens the snippet's first
/// line, the finding's snippet_shift grows by as much, so carets still line up.
void redact_findings(const TextRuleEngine& engine, std::vector<core::Finding>& findings);

} // namespace aiops::scan
