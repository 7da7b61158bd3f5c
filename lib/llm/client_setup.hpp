#pragma once

#include "core/error.hpp"
#include "llm/model.hpp"
#include "llm/model_client.hpp"
#include "llm/provider.hpp"
#include "llm/response_cache.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace aiops::llm {

/// What the --cache, --offline, --base-url and --api-key-env flags of the commands
/// that call models set.
struct ConnectionSettings
{
    /// "off", "dir:PATH" or "redis://HOST:PORT/DB".
    std::string cache = "dir:.aiops/cache";
    bool offline = false;                   ///< replies only from the cache
    std::optional<std::string> base_url;    ///< overrides the provider's default
    std::optional<std::string> api_key_env; ///< overrides the provider's default variable
    std::optional<std::string> ca_bundle;   ///< a PEM file of CAs instead of the system's
};

/// The cache the settings name; null for "off". Fails with ErrorCode::usage for a bad
/// spec, or for --offline with the cache off.
core::Result<std::shared_ptr<ResponseCache>>
open_settings_cache(const ConnectionSettings& settings);

/// Fails with ErrorCode::usage when the settings' base URL is not an http:// or https://
/// address with a host, so a typo stops a run before it calls anything.
core::Result<bool> check_base_url(const ConnectionSettings& settings);

/// A client's options for a provider with the settings' overrides, the cache and a
/// limiter shared with the run's other clients.
ModelClientOptions client_options(ProviderKind kind,
                                  const ConnectionSettings& settings,
                                  std::shared_ptr<ResponseCache> cache,
                                  std::shared_ptr<RateLimiter> limiter);

/// A model named "provider:model" split into its parts; a name without a provider keeps
/// `provider` as given.
std::pair<std::string, std::string> split_model_name(std::string provider, std::string model);

/// The role a message's name gives ("system", "user", "assistant"), or nullopt.
std::optional<Role> parse_role(std::string_view name);

} // namespace aiops::llm
