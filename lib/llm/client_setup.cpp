#include "llm/client_setup.hpp"

#include "core/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace aiops::llm {

core::Result<std::shared_ptr<ResponseCache>> open_settings_cache(const ConnectionSettings& settings)
{
    if (settings.cache == "off") {
        if (settings.offline) {
            return core::Error(core::ErrorCode::usage, "--offline needs a cache (--cache is off)");
        }
        return std::shared_ptr<ResponseCache>();
    }
    auto opened = open_cache(settings.cache);
    if (!opened) {
        return core::Error(core::ErrorCode::usage,
                           "--cache '" + core::redact_userinfo(settings.cache)
                               + "': " + opened.failure().message);
    }
    return std::shared_ptr<ResponseCache>(std::move(*opened));
}

core::Result<bool> check_base_url(const ConnectionSettings& settings)
{
    if (!settings.base_url) {
        return true;
    }
    const std::string& url = *settings.base_url;
    std::string_view rest = url;
    const bool http = rest.starts_with("http://") || rest.starts_with("https://");
    if (http) {
        rest.remove_prefix(rest.find("//") + 2);
    }
    const std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
    const bool blank = std::any_of(url.begin(), url.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) != 0;
    });
    if (!http || host.empty() || host.starts_with(':') || blank) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("--base-url '{}': expected an http:// or https:// address "
                                       "with a host, such as http://127.0.0.1:11434/v1",
                                       url));
    }
    return true;
}

ModelClientOptions client_options(ProviderKind kind,
                                  const ConnectionSettings& settings,
                                  std::shared_ptr<ResponseCache> cache,
                                  std::shared_ptr<RateLimiter> limiter)
{
    ModelClientOptions options;
    options.provider = default_provider_config(kind);
    if (settings.base_url) {
        options.provider.base_url = *settings.base_url;
    }
    if (settings.api_key_env) {
        options.provider.api_key_env = *settings.api_key_env;
    }
    options.http.ca_bundle = settings.ca_bundle;
    options.limiter = std::move(limiter);
    options.cache = std::move(cache);
    options.offline = settings.offline;
    return options;
}

std::pair<std::string, std::string> split_model_name(std::string provider, std::string model)
{
    if (const auto colon = model.find(':'); colon != std::string::npos && provider.empty()) {
        provider = model.substr(0, colon);
        model = model.substr(colon + 1);
    }
    return {std::move(provider), std::move(model)};
}

std::optional<Role> parse_role(std::string_view name)
{
    if (name == "system") {
        return Role::system;
    }
    if (name == "user") {
        return Role::user;
    }
    if (name == "assistant") {
        return Role::assistant;
    }
    return std::nullopt;
}

} // namespace aiops::llm
