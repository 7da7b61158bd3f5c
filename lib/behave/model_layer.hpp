#pragma once

#include "behave/model_caller.hpp"
#include "core/error.hpp"
#include "llm/model_client.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace aiops::behave {

/// How prompt cases reach models.
struct ModelLayerOptions
{
    /// "off", "dir:PATH" or "redis://HOST:PORT/DB"; the key holds the trial index.
    std::string cache = "dir:.aiops/cache";
    bool offline = false;                   ///< replies only from the cache
    std::optional<std::string> base_url;    ///< overrides the provider's default
    std::optional<std::string> api_key_env; ///< overrides the provider's default variable
    std::optional<std::string> ca_bundle;   ///< a PEM file of CAs instead of the system's
    /// The folder holding prompts/ for registry references; found from the suite's folder
    /// up to the repository root when unset.
    std::optional<std::filesystem::path> registry;
    std::filesystem::path start = ".";
    int max_concurrent = 8;      ///< calls in flight at once, per provider; 0: no cap
    int requests_per_minute = 0; ///< per provider; 0: no limit
    std::chrono::milliseconds connect_timeout{10'000};
    /// Each HTTP attempt's limit; a case's `timeout` bounds the whole call instead when it
    /// is the shorter.
    std::chrono::milliseconds request_timeout{600'000};
    llm::RetryPolicy retry; ///< attempts, base delay and cap of the backoff
    /// A file in the format of lib/llm/prices.json whose entries add to or replace the
    /// built-in prices.
    std::optional<std::filesystem::path> prices_file;
    bool stream = false; ///< read replies as server-sent events
    /// Sees every call, cache hits and failures included (e.g. metrics::LlmMetrics).
    llm::CallObserver observer;
};

/// The model layer (lib/llm) as behave's ModelCaller: renders a case's messages (a
/// registry prompt, or inline messages as mustache templates over the case's
/// variables), calls the provider through the cache, retries and limits, and reports
/// latency, tokens and cost. A model may be named "provider:model". Fails with
/// ErrorCode::usage for a bad cache spec, and with ErrorCode::input for a price file that
/// cannot be read or is not a price table.
core::Result<std::unique_ptr<ModelCaller>>
make_model_layer_caller(const ModelLayerOptions& options);

} // namespace aiops::behave
