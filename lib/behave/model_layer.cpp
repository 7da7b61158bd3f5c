#include "behave/model_layer.hpp"

#include "llm/budget.hpp"
#include "llm/client_setup.hpp"
#include "llm/model_client.hpp"
#include "llm/response_cache.hpp"
#include "prompt/prompt.hpp"
#include "prompt/registry.hpp"
#include "prompt/template.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace aiops::behave {

namespace {

using namespace std::chrono_literals;

llm::ConnectionSettings connection_of(const ModelLayerOptions& options)
{
    return llm::ConnectionSettings{
        options.cache, options.offline, options.base_url, options.api_key_env, options.ca_bundle};
}

// A late reply is the case's failure, like a command past its timeout: it fails its
// trial, not the run.
ModelReply timed_out_reply(const ModelRequest& request)
{
    ModelReply reply;
    reply.timed_out = true;
    reply.latency_ms = static_cast<double>(request.timeout.value_or(0ms).count());
    return reply;
}

ModelReply reply_of(const llm::Completion& done)
{
    ModelReply reply;
    reply.text = done.reply.text;
    reply.latency_ms = std::chrono::duration<double, std::milli>(done.latency).count();
    reply.input_tokens = done.reply.usage.input_tokens;
    reply.output_tokens = done.reply.usage.output_tokens;
    reply.cost_usd = done.cost_usd;
    reply.cost_known = done.cost_known;
    reply.cache_hit = done.cache_hit;
    if (done.cache_hit) {
        reply.recorded_latency_ms = done.recorded_latency_ms;
        reply.recorded_cost_usd = done.recorded_cost_usd;
    }
    reply.truncated = done.reply.finish_reason == llm::FinishReason::length;
    reply.filtered = done.reply.finish_reason == llm::FinishReason::content_filter;
    return reply;
}

class ModelLayerCaller final : public ModelCaller
{
public:
    ModelLayerCaller(ModelLayerOptions options,
                     std::shared_ptr<llm::ResponseCache> cache,
                     llm::PriceTable prices)
        : m_options(std::move(options)), m_cache(std::move(cache)), m_prices(std::move(prices)),
          m_limiter(std::make_shared<llm::RateLimiter>(
              llm::RateLimits{m_options.max_concurrent, m_options.requests_per_minute}))
    {}

    core::Result<ModelReply> call(const ModelRequest& request, int trial) override
    {
        auto prepared = prepare(request);
        if (!prepared) {
            return prepared.error();
        }
        auto client = client_for(prepared->first);
        if (!client) {
            return client.error();
        }
        llm::CallOptions call;
        call.trial = trial;
        call.stream = m_options.stream;
        call.timeout = request.timeout;
        auto done = (*client)->complete(prepared->second, call);
        if (!done) {
            if (done.failure().kind == llm::FailureKind::deadline) {
                return timed_out_reply(request);
            }
            return done.failure().to_error();
        }
        return reply_of(*done);
    }

    std::optional<double> worst_case_cost(const ModelRequest& request) override
    {
        auto prepared = prepare(request);
        if (!prepared) {
            return std::nullopt;
        }
        auto cost = llm::worst_case_cost_usd({prepared->first, prepared->second}, m_prices);
        return cost ? std::optional<double>(*cost) : std::nullopt;
    }

    core::Result<bool> check(const ModelRequest& request) override
    {
        auto prepared = prepare(request);
        if (!prepared) {
            return prepared.error();
        }
        // A key that would break its header is refused before any trial; a missing one
        // waits for a call that needs it, since the cache may answer every trial.
        auto client = client_for(prepared->first);
        if (!client) {
            return client.error();
        }
        if (auto key = (*client)->check_api_key(); !key) {
            return key.failure().to_error();
        }
        return true;
    }

    bool may_call_provider(const ModelRequest& request, int trial) override
    {
        if (m_options.offline) {
            return false;
        }
        if (!m_cache) {
            return true;
        }
        auto prepared = prepare(request);
        if (!prepared) {
            return true;
        }
        auto client = client_for(prepared->first);
        if (!client) {
            return true;
        }
        const std::string key =
            llm::cache_key((*client)->options().provider, prepared->second, trial);
        auto found = m_cache->get(key);
        return !found || !found->has_value();
    }

    unsigned concurrency_limit() const override
    {
        return m_options.max_concurrent > 0 ? static_cast<unsigned>(m_options.max_concurrent) : 64U;
    }

private:
    using Messages = std::vector<std::pair<std::string, std::string>>;

    // The provider and the request a case makes: its messages rendered with its
    // variables, its model split from "provider:model". A registry prompt's model
    // settings apply where the case and the suite give none.
    core::Result<std::pair<llm::ProviderKind, llm::Request>> prepare(const ModelRequest& request)
    {
        prompt::ModelDefaults defaults;
        auto messages = render_messages(request, defaults);
        if (!messages) {
            return messages.error();
        }
        const std::string wanted_model =
            request.model.empty() && defaults.model ? *defaults.model : request.model;
        const auto [provider, model] = llm::split_model_name(request.provider, wanted_model);
        const auto kind = llm::parse_provider_kind(provider.empty() ? "openai" : provider);
        if (!kind) {
            if (!request.provider.empty()) {
                return core::Error(
                    core::ErrorCode::usage,
                    fmt::format("unknown provider '{}' (openai, anthropic)", provider));
            }
            return core::Error(
                core::ErrorCode::usage,
                fmt::format("unknown provider '{}' in the model '{}' (openai, anthropic); "
                            "write a model whose name holds ':' as 'openai:{}', or set 'provider'",
                            provider,
                            wanted_model,
                            wanted_model));
        }
        if (model.empty()) {
            return core::Error(core::ErrorCode::usage,
                               "no model: set 'model' in the case or the suite's defaults, e.g. "
                               "'openai:gpt-4o-mini'");
        }
        llm::Request out;
        out.model = model;
        out.temperature = request.temperature ? request.temperature : defaults.temperature;
        if (request.max_tokens) {
            out.max_tokens = *request.max_tokens;
        } else if (defaults.max_tokens) {
            out.max_tokens = static_cast<int>(*defaults.max_tokens);
        }
        for (auto& [role, content] : *messages) {
            const auto kind_of_role = llm::parse_role(role);
            if (!kind_of_role) {
                return core::Error(core::ErrorCode::usage,
                                   fmt::format("unknown message role '{}'", role));
            }
            out.messages.push_back({*kind_of_role, std::move(content)});
        }
        return std::make_pair(*kind, std::move(out));
    }

    /// The case's messages rendered with its variables: a registry prompt's (whose model
    /// settings go to `defaults`) or the inline ones.
    core::Result<Messages> render_messages(const ModelRequest& request,
                                           prompt::ModelDefaults& defaults)
    {
        prompt::RenderValues values;
        for (const auto& [name, value] : request.variables) {
            values[name] = value;
        }
        if (!request.prompt_name.empty()) {
            auto registry = registry_for();
            if (!registry) {
                return registry.error();
            }
            const std::string reference = request.prompt_version.empty()
                                              ? request.prompt_name
                                              : request.prompt_name + "@" + request.prompt_version;
            auto rendered = prompt::render_reference(
                **registry, reference, values, "(give it in the case's vars)");
            if (!rendered) {
                return rendered.error();
            }
            defaults = rendered->source.prompt.model;
            return std::move(rendered->messages);
        }
        prompt::Prompt inline_prompt;
        inline_prompt.name = request.case_id;
        inline_prompt.file = request.case_id;
        for (const auto& [name, value] : request.variables) {
            prompt::Variable variable;
            variable.name = name;
            inline_prompt.variables.push_back(std::move(variable));
        }
        for (const auto& message : request.messages) {
            inline_prompt.messages.push_back({message.role, message.content, {}, 0, 0});
        }
        auto rendered = prompt::render_prompt(inline_prompt, values);
        if (!rendered) {
            return rendered.error();
        }
        Messages messages;
        for (auto& message : rendered->messages) {
            messages.emplace_back(std::move(message.role), std::move(message.content));
        }
        return messages;
    }

    core::Result<const prompt::Registry*> registry_for()
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_registry) {
            prompt::RegistryOptions options;
            options.root = m_options.registry;
            options.start = m_options.start;
            auto opened = prompt::Registry::open(options);
            if (!opened) {
                return opened.error();
            }
            m_registry = std::make_unique<prompt::Registry>(std::move(*opened));
        }
        return m_registry.get();
    }

    core::Result<llm::ModelClient*> client_for(llm::ProviderKind kind)
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        auto& slot = m_clients[static_cast<int>(kind)];
        if (!slot) {
            auto options = llm::client_options(kind, connection_of(m_options), m_cache, m_limiter);
            options.observer = m_options.observer;
            options.http.connect_timeout = m_options.connect_timeout;
            options.http.total_timeout = m_options.request_timeout;
            options.retry = m_options.retry;
            options.prices = m_prices;
            slot = std::make_unique<llm::ModelClient>(std::move(options));
        }
        return slot.get();
    }

    ModelLayerOptions m_options;
    std::shared_ptr<llm::ResponseCache> m_cache;
    llm::PriceTable m_prices;
    std::shared_ptr<llm::RateLimiter> m_limiter;
    std::mutex m_mutex;
    std::map<int, std::unique_ptr<llm::ModelClient>> m_clients;
    std::unique_ptr<prompt::Registry> m_registry;
};

core::Result<llm::PriceTable> prices_of(const ModelLayerOptions& options)
{
    llm::PriceTable prices = llm::PriceTable::builtin();
    if (!options.prices_file) {
        return prices;
    }
    const std::string shown = options.prices_file->string();
    std::ifstream in(*options.prices_file, std::ios::binary);
    if (!in) {
        return core::Error(core::ErrorCode::input,
                           fmt::format("cannot read the price file '{}'", shown));
    }
    std::stringstream text;
    text << in.rdbuf();
    auto overrides = llm::PriceTable::from_json(text.str());
    if (!overrides) {
        return core::Error(core::ErrorCode::input,
                           fmt::format("{}: {}", shown, overrides.failure().message));
    }
    prices.merge(*overrides);
    return prices;
}

} // namespace

core::Result<std::unique_ptr<ModelCaller>> make_model_layer_caller(const ModelLayerOptions& options)
{
    auto prices = prices_of(options);
    if (!prices) {
        return prices.error();
    }
    auto cache = llm::open_settings_cache(connection_of(options));
    if (!cache) {
        return cache.error();
    }
    return std::unique_ptr<ModelCaller>(
        std::make_unique<ModelLayerCaller>(options, std::move(*cache), std::move(*prices)));
}

} // namespace aiops::behave
