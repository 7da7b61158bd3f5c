#include "validate/check.hpp"

namespace aiops::validate {

core::Finding file_finding(const CheckedFile& file,
                           std::string rule_id,
                           core::Severity severity,
                           std::string message,
                           std::size_t start_byte,
                           std::size_t end_byte)
{
    const core::TextPosition start = file.lines.position(start_byte);
    const core::TextPosition end = file.lines.position(std::max(start_byte, end_byte));
    core::Finding finding;
    finding.rule_id = std::move(rule_id);
    finding.severity = severity;
    finding.message = std::move(message);
    finding.location = {file.path, start.line, start.column, end.line, end.column};
    finding.snippet = file.lines.snippet(start.line, end.line);
    return finding;
}

} // namespace aiops::validate
