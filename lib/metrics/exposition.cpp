#include "metrics/exposition.hpp"

#include "core/atomic_file.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace aiops::metrics {

namespace {

template <typename Labels>
void append_sample(std::string& out, std::string_view name, const Labels& labels, double value)
{
    out += name;
    if (labels.size() > 0) {
        out += '{';
        bool first = true;
        for (const auto& [label, label_value] : labels) {
            out += first ? "" : ",";
            out += fmt::format("{}=\"{}\"", label, escape_label_value(label_value));
            first = false;
        }
        out += '}';
    }
    out += ' ';
    out += format_value(value);
    out += '\n';
}

} // namespace

void Exposition::family(std::string_view name, std::string_view type, std::string_view help)
{
    if (!m_families.emplace(name).second) {
        throw std::logic_error(fmt::format("the metric family '{}' is written twice", name));
    }
    // HELP text escapes backslash and line feed, but not quotes.
    std::string escaped_help;
    for (const char c : help) {
        escaped_help += c == '\\'   ? std::string("\\\\")
                        : c == '\n' ? std::string("\\n")
                                    : std::string(1, c);
    }
    m_text += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escaped_help, name, type);
}

void Exposition::sample(std::string_view name, std::initializer_list<Label> labels, double value)
{
    append_sample(m_text, name, labels, value);
}

void Exposition::sample(std::string_view name, const std::vector<Label>& labels, double value)
{
    append_sample(m_text, name, labels, value);
}

std::string escape_label_value(std::string_view value)
{
    std::string out;
    for (const char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string format_value(double value)
{
    if (std::isnan(value)) {
        return "NaN";
    }
    if (std::isinf(value)) {
        return value > 0 ? "+Inf" : "-Inf";
    }
    // fmt's "{}" is the shortest text that reads back as the same double; whole numbers
    // print without a fraction.
    return fmt::format("{}", value);
}

core::Result<bool> write_exposition(const std::filesystem::path& path, std::string_view text)
{
    // The temporary file's name starts with '.', so the textfile collector's *.prom
    // glob never reads it.
    return core::write_file_atomically(path, text);
}

core::Result<bool> push_exposition(const llm::HttpClient& http,
                                   std::string_view gateway_url,
                                   std::string_view job,
                                   std::string_view text,
                                   const std::vector<Label>& grouping)
{
    std::string base(gateway_url);
    while (base.ends_with('/')) {
        base.pop_back();
    }
    llm::HttpRequest request;
    request.method = "PUT";
    request.url = fmt::format("{}/metrics/job/{}", base, llm::url_encode(job));
    for (const auto& [label, value] : grouping) {
        request.url += fmt::format("/{}/{}", label, llm::url_encode(value));
    }
    request.headers.emplace_back("Content-Type", "text/plain; version=0.0.4");
    request.body = std::string(text);
    auto response = http.send(request);
    if (!response) {
        return core::Error(core::ErrorCode::internal,
                           fmt::format("cannot push metrics: {}", response.failure().message));
    }
    if (response->status < 200 || response->status >= 300) {
        return core::Error(core::ErrorCode::internal,
                           fmt::format("cannot push metrics: the Pushgateway answered HTTP {}: {}",
                                       response->status,
                                       response->body.substr(0, 200)));
    }
    return true;
}

} // namespace aiops::metrics
