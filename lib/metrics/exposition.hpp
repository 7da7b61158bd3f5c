#pragma once

#include "core/error.hpp"
#include "llm/http_client.hpp"

#include <filesystem>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aiops::metrics {

/// A label of a series: its name and its value, unescaped.
using Label = std::pair<std::string_view, std::string_view>;

/// Builds a text in the Prometheus text exposition format (version 0.0.4). Each family
/// is opened once with its HELP and TYPE lines, and its samples follow; label values are
/// escaped, numbers written in their shortest exact form.
class Exposition
{
public:
    /// Starts a family: `type` is counter, gauge or histogram. Throws std::logic_error
    /// for a name opened before, which the format forbids.
    void family(std::string_view name, std::string_view type, std::string_view help);

    /// Adds a sample of the family opened last; `name` may carry a suffix such as
    /// _bucket, _sum or _count.
    void sample(std::string_view name, std::initializer_list<Label> labels, double value);

    /// The same with the labels in a vector, for label sets built at run time.
    void sample(std::string_view name, const std::vector<Label>& labels, double value);

    const std::string& text() const { return m_text; }

private:
    std::string m_text;
    std::set<std::string, std::less<>> m_families;
};

/// A label value escaped for the text format: backslash, double quote and line feed.
std::string escape_label_value(std::string_view value);

/// A sample value as the text format writes it: the shortest exact form, +Inf, -Inf, NaN.
std::string format_value(double value);

/// Writes an exposition to a file atomically (a temporary file renamed into place), as
/// the node exporter's textfile collector expects. Fails with ErrorCode::io.
core::Result<bool> write_exposition(const std::filesystem::path& path, std::string_view text);

/// Sends an exposition to a Pushgateway: PUT {url}/metrics/job/{job}/{label}/{value}...,
/// replacing what was pushed before under the same job and grouping labels, which the
/// gateway also adds to every series. Fails with ErrorCode::internal on a network error or
/// a status other than 2xx.
core::Result<bool> push_exposition(const llm::HttpClient& http,
                                   std::string_view gateway_url,
                                   std::string_view job,
                                   std::string_view text,
                                   const std::vector<Label>& grouping = {});

} // namespace aiops::metrics
