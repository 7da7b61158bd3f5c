#include "llm/model_client.hpp"

#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "core/sha256.hpp"
#include "core/strings.hpp"
#include "llm/wire.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <random>

namespace aiops::llm {

namespace {

using Clock = std::chrono::steady_clock;

double default_random()
{
    thread_local std::mt19937_64 generator(std::random_device{}());
    return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

std::optional<std::string> read_api_key(const std::string& variable)
{
    if (variable.empty()) {
        return std::string();
    }
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr || *value == '\0') {
        return std::nullopt;
    }
    return std::string(value);
}

// Whether a text can be the name of an environment variable. A text that cannot is
// likely the key itself, pasted where its variable's name belongs, and is never shown.
bool is_variable_name(std::string_view name)
{
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

Failure missing_key(const ProviderConfig& provider)
{
    const std::string_view kind = to_string(provider.kind);
    const std::string& variable = provider.api_key_env;
    if (!is_variable_name(variable)) {
        return make_failure(FailureKind::configuration,
                            fmt::format("the name given for the variable holding the {} API key "
                                        "is not a variable name (is it the key itself? give the "
                                        "name of the variable that holds it)",
                                        kind));
    }
    const char* value = std::getenv(variable.c_str());
    const std::string_view state = value == nullptr ? "is not set" : "is empty";
    return make_failure(
        FailureKind::configuration,
        fmt::format("the environment variable '{}' that holds the {} API key {}: "
                    "set it, or name another variable with --api-key-env ('' for a server that "
                    "needs no key)",
                    variable,
                    kind,
                    state));
}

// A control character in a key would end the header it is sent in and start another; a
// line break at its end, as secret stores often leave, would end the headers altogether.
bool has_control_character(std::string_view text)
{
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7F;
    });
}

Failure past_deadline(std::chrono::milliseconds timeout, std::string_view what)
{
    Failure failure = make_failure(
        FailureKind::deadline,
        fmt::format("no reply within the call's timeout of {} ms{}", timeout.count(), what));
    failure.should_retry = false;
    return failure;
}

double to_milliseconds(std::chrono::duration<double> duration)
{
    return std::chrono::duration<double, std::milli>(duration).count();
}

// A 404 without the provider's error object is most often a base URL that misses a part
// (/v1 for OpenAI-compatible servers) or has one too many; a 404 with one is the provider
// speaking (an unknown model).
void add_address_hint(Failure& failure,
                      const ProviderConfig& provider,
                      const std::string& url,
                      const HttpResponse& response)
{
    if (response.status != 404) {
        return;
    }
    const auto document = nlohmann::json::parse(response.body, nullptr, false);
    if (!document.is_discarded() && wire::find_error_object(document)) {
        return;
    }
    const std::string_view expected = provider.kind == ProviderKind::openai
                                          ? "OpenAI-compatible servers usually end it in /v1"
                                          : "for anthropic it is the host, without /v1";
    failure.message += fmt::format("; nothing answers at '{}': check the base URL '{}' ({})",
                                   core::redact_userinfo(url),
                                   core::redact_userinfo(provider.base_url),
                                   expected);
}

// An error event inside a 200 reply or a stream whose code says the server is busy is
// as worth retrying as the status that code stands for.
bool busy_error_in_body(const Failure& failure)
{
    if (failure.kind != FailureKind::provider_error || failure.http_status >= 400) {
        return false;
    }
    for (const std::string_view code : {"overloaded_error",
                                        "rate_limit_error",
                                        "api_error",
                                        "server_error",
                                        "rate_limit_exceeded"}) {
        if (failure.provider_code == code) {
            return true;
        }
    }
    return false;
}

} // namespace

ModelClient::ModelClient(ModelClientOptions options)
    : m_options(std::move(options)), m_http(m_options.http),
      m_limiter(m_options.limiter ? m_options.limiter
                                  : std::make_shared<RateLimiter>(
                                      m_options.limits, RateLimiter::Clock(), m_options.sleeper)),
      m_api_key(read_api_key(m_options.provider.api_key_env))
{
    if (!m_options.sleeper) {
        m_options.sleeper = real_sleeper();
    }
    if (!m_options.random) {
        m_options.random = &default_random;
    }
    while (m_options.provider.base_url.ends_with('/')) {
        m_options.provider.base_url.pop_back();
    }
    m_provider = make_provider(m_options.provider);
}

ModelClient::~ModelClient() = default;

Outcome<Completion> ModelClient::complete(const Request& request, const CallOptions& call)
{
    const auto started = Clock::now();
    const std::string canonical = canonical_request(m_options.provider, request, call.trial);
    const std::string key = core::sha256_hex(canonical);
    CallRecord record;
    record.provider = std::string(to_string(m_options.provider.kind));
    record.model = request.model;
    const auto report = [&](std::string status) {
        record.status = std::move(status);
        record.latency_seconds = std::chrono::duration<double>(Clock::now() - started).count();
        if (m_options.observer) {
            m_options.observer(record);
        }
    };

    if (auto cached = from_cache(key, request)) {
        if (*cached) {
            (*cached)->latency = Clock::now() - started;
            report("cache_hit");
        } else {
            report(std::string(to_string(cached->failure().kind)));
        }
        return std::move(*cached);
    }
    if (m_options.offline) {
        report("offline_miss");
        return make_failure(FailureKind::offline_miss,
                            fmt::format("offline, and the cache ({}) has no reply for key {}: "
                                        "{}, at {} (the key covers the base URL too)",
                                        m_options.cache ? m_options.cache->describe() : "off",
                                        key,
                                        describe_request(m_options.provider, request, call.trial),
                                        m_options.provider.base_url));
    }
    Deadline deadline;
    if (call.timeout) {
        deadline = CallLimit{started + *call.timeout, *call.timeout};
    }
    auto completion = call_provider(request, call, deadline, key);
    if (!completion) {
        completion.failure().message = redact(completion.failure().message, m_api_key.value_or(""));
        report(std::string(to_string(completion.failure().kind)));
        return completion;
    }
    record.reached_provider = true;
    record.usage = completion->reply.usage;
    record.cost_usd = completion->cost_usd;
    completion->latency = Clock::now() - started;
    completion->recorded_latency_ms = to_milliseconds(completion->latency);
    if (completion->cost_known) {
        completion->recorded_cost_usd = completion->cost_usd;
    }
    store(key, canonical, *completion);
    report("ok");
    if (m_options.budget) {
        if (auto spent = m_options.budget->record(completion->cost_usd); !spent) {
            Failure failure = std::move(spent.failure());
            failure.reply = std::move(completion->reply);
            failure.cost_usd = completion->cost_usd;
            return failure;
        }
    }
    return completion;
}

Outcome<bool> ModelClient::check_api_key() const
{
    if (m_api_key && has_control_character(*m_api_key)) {
        return make_failure(FailureKind::configuration,
                            fmt::format("the environment variable '{}' that holds the {} API key "
                                        "has a control character in it (a line break at its "
                                        "end?): remove it; the key was not sent",
                                        m_options.provider.api_key_env,
                                        to_string(m_options.provider.kind)));
    }
    return true;
}

std::optional<Outcome<Completion>> ModelClient::from_cache(const std::string& key,
                                                           const Request& request)
{
    if (!m_options.cache) {
        return std::nullopt;
    }
    auto cached = m_options.cache->get(key);
    if (!cached) {
        // Online, a broken cache costs money but not the run; offline it is the run.
        if (m_options.offline) {
            return cached.failure();
        }
        core::log::warn("{}; calling the model", cached.failure().message);
        return std::nullopt;
    }
    if (!*cached) {
        return std::nullopt;
    }
    CacheEntry& entry = **cached;
    Completion completion;
    completion.reply = std::move(entry.reply);
    completion.cache_key = key;
    completion.cache_hit = true;
    completion.recorded_latency_ms = entry.latency_ms;
    completion.recorded_cost_usd = entry.cost_usd;
    if (!completion.recorded_cost_usd) {
        const auto price = m_options.prices.find(to_string(m_options.provider.kind), request.model);
        if (price) {
            completion.recorded_cost_usd = cost_usd(*price, completion.reply.usage);
        }
    }
    core::log::debug("cache hit {} for {}", key, request.model);
    return completion;
}

void ModelClient::store(const std::string& key,
                        const std::string& canonical,
                        const Completion& completion)
{
    if (!m_options.cache) {
        return;
    }
    CacheEntry entry(completion.reply);
    entry.latency_ms = completion.recorded_latency_ms;
    entry.cost_usd = completion.recorded_cost_usd;
    if (auto stored = m_options.cache->put(key, canonical, entry); !stored) {
        core::log::warn("{}", stored.failure().message);
    }
}

Outcome<Completion> ModelClient::call_provider(const Request& request,
                                               const CallOptions& call,
                                               const Deadline& deadline,
                                               const std::string& key)
{
    if (!m_api_key) {
        return missing_key(m_options.provider);
    }
    if (auto key_checked = check_api_key(); !key_checked) {
        return key_checked.failure();
    }
    const auto price = m_options.prices.find(to_string(m_options.provider.kind), request.model);
    if (m_options.budget) {
        if (auto admitted = m_options.budget->admit(); !admitted) {
            return admitted.failure();
        }
        if (m_options.budget->max_cost_usd() && !price) {
            return make_failure(FailureKind::configuration,
                                fmt::format("no price for '{}:{}': a budget needs one",
                                            to_string(m_options.provider.kind),
                                            request.model));
        }
    }

    Completion completion;
    auto reply = call_with_retries(request, call.stream, deadline, completion.attempts);
    if (!reply) {
        return reply.failure();
    }
    completion.reply = std::move(reply).value();
    completion.cache_key = key;
    if (price) {
        completion.cost_usd = cost_usd(*price, completion.reply.usage);
        completion.cost_known = true;
    }
    return completion;
}

Outcome<Reply> ModelClient::call_with_retries(const Request& request,
                                              bool stream,
                                              const Deadline& deadline,
                                              int& attempts)
{
    const int max_attempts = std::max(1, m_options.retry.max_attempts);
    for (attempts = 1;; ++attempts) {
        std::optional<std::chrono::milliseconds> left;
        if (deadline) {
            left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline->deadline
                                                                         - Clock::now());
            if (left->count() <= 0) {
                return past_deadline(deadline->timeout, "");
            }
        }
        // The attempt gets what is left of the call's time when that is the shorter.
        const bool bounded = left && *left < m_options.http.total_timeout;
        auto reply = attempt(request, stream, bounded ? left : std::nullopt);
        if (reply) {
            return reply;
        }
        const Failure& failure = reply.failure();
        if (failure.kind == FailureKind::timeout && bounded) {
            return past_deadline(deadline->timeout, "");
        }
        const bool retryable = RetryPolicy::is_retryable(failure) || busy_error_in_body(failure);
        if (!retryable || attempts >= max_attempts || core::interrupted()) {
            if (attempts > 1) {
                reply.failure().message += fmt::format(" (gave up after {} attempts)", attempts);
            }
            return reply;
        }
        const auto wait = m_options.retry.delay(failure, attempts, m_options.random());
        if (deadline && Clock::now() + wait >= deadline->deadline) {
            return past_deadline(deadline->timeout,
                                 fmt::format(": it would pass while waiting to retry after {}",
                                             RetryPolicy::reason(failure)));
        }
        core::log::info("{}:{}: retrying after {} (attempt {} of {}), waiting {} ms",
                        to_string(m_options.provider.kind),
                        request.model,
                        RetryPolicy::reason(failure),
                        attempts,
                        max_attempts,
                        wait.count());
        m_options.sleeper(wait);
        if (core::interrupted()) {
            return make_failure(FailureKind::interrupted,
                                fmt::format("interrupted while waiting to retry after {}",
                                            RetryPolicy::reason(failure)));
        }
    }
}

Outcome<Reply> ModelClient::attempt(const Request& request,
                                    bool stream,
                                    std::optional<std::chrono::milliseconds> timeout)
{
    HttpRequest http = m_provider->build_request(request, stream, m_api_key.value_or(""));
    http.total_timeout = timeout;
    const auto permit = m_limiter->acquire();
    const std::string name(to_string(m_options.provider.kind));
    if (!stream) {
        auto response = m_http.send(http);
        if (!response) {
            return response.failure();
        }
        if (response->status < 200 || response->status >= 300) {
            Failure failure = failure_from_response(*response, name);
            add_address_hint(failure, m_options.provider, http.url, *response);
            return failure;
        }
        auto reply = m_provider->parse_reply(*response);
        // A web page where the API's JSON belongs is most often a base URL that names a web
        // interface or a login page instead of the API.
        if (!reply && reply.failure().kind == FailureKind::malformed_reply
            && wire::looks_like_html(*response)) {
            reply.failure().message +=
                fmt::format("; is the base URL '{}' the API's address, and not a web page's?",
                            core::redact_userinfo(m_options.provider.base_url));
        }
        return reply;
    }

    auto decoder = m_provider->stream_decoder();
    bool stopped = false;
    SseParser parser([&](const SseEvent& event) {
        if (stopped) {
            return false;
        }
        stopped = !decoder->on_event(event);
        return !stopped;
    });
    auto response = m_http.send(http, [&](std::string_view bytes) {
        parser.feed(bytes);
        return true;
    });
    if (!response) {
        // An error event that came before the connection broke says more than the break.
        auto decoded = decoder->finish(HttpResponse());
        if (!decoded && decoded.failure().kind == FailureKind::provider_error) {
            return decoded.failure();
        }
        return response.failure();
    }
    if (response->status < 200 || response->status >= 300) {
        Failure failure = failure_from_response(*response, name);
        add_address_hint(failure, m_options.provider, http.url, *response);
        return failure;
    }
    return decoder->finish(*response);
}

} // namespace aiops::llm
