#include "metrics/llm_metrics.hpp"

namespace aiops::metrics {

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

bool LlmMetrics::empty() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_requests.empty();
}

void LlmMetrics::append_to(Exposition& out) const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    out.family("llm_requests_total", "counter", "Model calls by outcome.");
    for (const auto& [labels, count] : m_requests) {
        out.sample("llm_requests_total",
                   {{"model", labels.first}, {"status", labels.second}},
                   static_cast<double>(count));
    }
    out.family("llm_latency_seconds",
               "histogram",
               "Duration of model calls that reached the provider, retries included.");
    for (const auto& [model, histogram] : m_latency) {
        for (std::size_t i = 0; i < k_latency_buckets.size(); ++i) {
            out.sample("llm_latency_seconds_bucket",
                       {{"model", model}, {"le", format_value(k_latency_buckets[i])}},
                       static_cast<double>(histogram.buckets[i]));
        }
        out.sample("llm_latency_seconds_bucket",
                   {{"model", model}, {"le", "+Inf"}},
                   static_cast<double>(histogram.count));
        out.sample("llm_latency_seconds_sum", {{"model", model}}, histogram.sum);
        out.sample(
            "llm_latency_seconds_count", {{"model", model}}, static_cast<double>(histogram.count));
    }
    out.family("llm_tokens_total", "counter", "Tokens of model calls by kind.");
    for (const auto& [labels, count] : m_tokens) {
        out.sample("llm_tokens_total",
                   {{"model", labels.first}, {"kind", labels.second}},
                   static_cast<double>(count));
    }
    out.family("llm_cost_usd_total", "counter", "Cost of model calls in US dollars.");
    for (const auto& [model, cost] : m_cost) {
        out.sample("llm_cost_usd_total", {{"model", model}}, cost);
    }
}

std::string LlmMetrics::exposition() const
{
    Exposition out;
    append_to(out);
    return out.text();
}

core::Result<bool> LlmMetrics::write_file(const std::filesystem::path& path) const
{
    return write_exposition(path, exposition());
}

core::Result<bool> LlmMetrics::push(const llm::HttpClient& http,
                                    std::string_view gateway_url,
                                    std::string_view job) const
{
    return push_exposition(http, gateway_url, job, exposition());
}

} // namespace aiops::metrics
