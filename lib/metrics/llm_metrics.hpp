#pragma once

#include "core/error.hpp"
#include "llm/http_client.hpp"
#include "llm/model_client.hpp"
#include "metrics/exposition.hpp"

#include <array>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace aiops::metrics {

/// The upper bounds of the llm_latency_seconds buckets, in seconds.
inline constexpr std::array<double, 6> k_latency_buckets{0.1, 0.5, 1, 2, 5, 10};

/// Counts model calls for Prometheus, from any number of threads:
/// llm_requests_total{model,status}, llm_latency_seconds{model} (a histogram of calls
/// that reached the provider), llm_tokens_total{model,kind} with kind input, output,
/// cached_input (cache reads, a part of input) or cache_write_input (cache writes, a part
/// of input too), and llm_cost_usd_total{model}.
class LlmMetrics
{
public:
    /// Adds one call.
    void observe(const llm::CallRecord& record);

    /// An observer for ModelClientOptions that feeds this object, which must outlive it.
    llm::CallObserver observer();

    /// True until a call is observed.
    bool empty() const;

    /// Adds the four families to an exposition, series in a stable order.
    void append_to(Exposition& out) const;

    /// The metrics alone in the Prometheus text exposition format (version 0.0.4).
    std::string exposition() const;

    /// Writes the exposition to a file atomically (a temporary file renamed into place),
    /// as the node exporter's textfile collector expects. Fails with ErrorCode::io.
    core::Result<bool> write_file(const std::filesystem::path& path) const;

    /// Sends the exposition to a Pushgateway: PUT {url}/metrics/job/{job}, replacing what
    /// the job pushed before. Fails with ErrorCode::internal on a network error or a
    /// status other than 2xx.
    core::Result<bool>
    push(const llm::HttpClient& http, std::string_view gateway_url, std::string_view job) const;

private:
    struct Histogram
    {
        std::array<std::uint64_t, k_latency_buckets.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
    };

    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, std::string>, std::uint64_t> m_requests;
    std::map<std::string, Histogram> m_latency;
    std::map<std::pair<std::string, std::string>, std::int64_t> m_tokens;
    std::map<std::string, double> m_cost;
};

} // namespace aiops::metrics
