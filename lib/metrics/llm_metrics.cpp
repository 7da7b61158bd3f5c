#include "metrics/llm_metrics.hpp"

#include "core/atomic_file.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace aiops::metrics {

namespace {

// Whole numbers print without a fraction; others with the shortest exact form.
std::string number(double value)
{
    return fmt::format("{}", value);
}

std::string series(std::string_view name,
                   std::initializer_list<std::pair<std::string_view, std::string_view>> labels)
{
    std::string out(name);
    out += '{';
    bool first = true;
    for (const auto& [label, value] : labels) {
        out += first ? "" : ",";
        out += fmt::format("{}=\"{}\"", label, escape_label_value(value));
        first = false;
    }
    out += '}';
    return out;
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help)
{
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

} // namespace

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

void LlmMetrics::observe(const llm::CallRecord& record)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    ++m_requests[{record.model, record.status}];
    if (!record.reached_provider) {
        return;
    }
    Histogram& histogram = m_latency[record.model];
    for (std::size_t i = 0; i < k_latency_buckets.size(); ++i) {
        if (record.latency_seconds <= k_latency_buckets[i]) {
            ++histogram.buckets[i];
        }
    }
    ++histogram.count;
    histogram.sum += record.latency_seconds;
    m_tokens[{record.model, "input"}] += record.usage.input_tokens;
    m_tokens[{record.model, "output"}] += record.usage.output_tokens;
    m_tokens[{record.model, "cached_input"}] += record.usage.cached_input_tokens;
    m_tokens[{record.model, "cache_write_input"}] += record.usage.cache_write_input_tokens;
    m_cost[record.model] += record.cost_usd;
}

llm::CallObserver LlmMetrics::observer()
{
    return [this](const llm::CallRecord& record) { observe(record); };
}

std::string LlmMetrics::exposition() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    std::string out;
    family(out, "llm_requests_total", "counter", "Model calls by outcome.");
    for (const auto& [labels, count] : m_requests) {
        out += fmt::format(
            "{} {}\n",
            series("llm_requests_total", {{"model", labels.first}, {"status", labels.second}}),
            count);
    }
    family(out,
           "llm_latency_seconds",
           "histogram",
           "Duration of model calls that reached the provider, retries included.");
    for (const auto& [model, histogram] : m_latency) {
        for (std::size_t i = 0; i < k_latency_buckets.size(); ++i) {
            out += fmt::format("{} {}\n",
                               series("llm_latency_seconds_bucket",
                                      {{"model", model}, {"le", number(k_latency_buckets[i])}}),
                               histogram.buckets[i]);
        }
        out += fmt::format("{} {}\n",
                           series("llm_latency_seconds_bucket", {{"model", model}, {"le", "+Inf"}}),
                           histogram.count);
        out += fmt::format("{} {}\n",
                           series("llm_latency_seconds_sum", {{"model", model}}),
                           number(histogram.sum));
        out += fmt::format(
            "{} {}\n", series("llm_latency_seconds_count", {{"model", model}}), histogram.count);
    }
    family(out, "llm_tokens_total", "counter", "Tokens of model calls by kind.");
    for (const auto& [labels, count] : m_tokens) {
        out += fmt::format(
            "{} {}\n",
            series("llm_tokens_total", {{"model", labels.first}, {"kind", labels.second}}),
            count);
    }
    family(out, "llm_cost_usd_total", "counter", "Cost of model calls in US dollars.");
    for (const auto& [model, cost] : m_cost) {
        out +=
            fmt::format("{} {}\n", series("llm_cost_usd_total", {{"model", model}}), number(cost));
    }
    return out;
}

core::Result<bool> LlmMetrics::write_file(const std::filesystem::path& path) const
{
    // The temporary file's name starts with '.', so the textfile collector's *.prom
    // glob never reads it.
    return core::write_file_atomically(path, exposition());
}

core::Result<bool> LlmMetrics::push(const llm::HttpClient& http,
                                    std::string_view gateway_url,
                                    std::string_view job) const
{
    std::string base(gateway_url);
    while (base.ends_with('/')) {
        base.pop_back();
    }
    llm::HttpRequest request;
    request.method = "PUT";
    request.url = fmt::format("{}/metrics/job/{}", base, llm::url_encode(job));
    request.headers.emplace_back("Content-Type", "text/plain; version=0.0.4");
    request.body = exposition();
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
