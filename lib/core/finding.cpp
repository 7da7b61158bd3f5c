#include "core/finding.hpp"

#include "core/sha256.hpp"
#include "core/strings.hpp"

#include <map>
#include <tuple>

namespace aiops::core {

bool finding_order(const Finding& a, const Finding& b)
{
    const auto key = [](const Finding& f) {
        return std::tie(f.location.path,
                        f.location.start_line,
                        f.location.start_column,
                        f.location.end_line,
                        f.location.end_column,
                        f.rule_id,
                        f.message);
    };
    return key(a) < key(b);
}

void compute_fingerprints(std::vector<Finding>& findings)
{
    compute_fingerprints(findings, std::vector<std::string>(findings.size()));
}

void compute_fingerprints(std::vector<Finding>& findings, const std::vector<std::string>& contexts)
{
    std::map<std::string, int> occurrences;
    for (std::size_t i = 0; i < findings.size(); ++i) {
        Finding& finding = findings[i];
        std::string anchor = finding.rule_id;
        anchor += '\0';
        anchor += finding.location.path;
        anchor += '\0';
        anchor += normalise_whitespace(finding.snippet);
        if (!contexts[i].empty()) {
            // Without a context the hash is what it always was.
            anchor += '\0';
            anchor += contexts[i];
        }
        const int occurrence = occurrences[anchor]++;
        anchor += '\0';
        anchor += std::to_string(occurrence);
        finding.fingerprint = sha256_hex(anchor);
    }
}

} // namespace aiops::core
