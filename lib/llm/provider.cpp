#include "llm/provider.hpp"

#include "llm/wire.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>

namespace aiops::llm {

std::unique_ptr<Provider> make_openai_provider(const ProviderConfig& config);
std::unique_ptr<Provider> make_anthropic_provider(const ProviderConfig& config);

namespace {

// Long provider messages are cut so one failure stays one readable line.
constexpr std::size_t k_max_message_chars = 300;

std::string shorten(std::string text)
{
    for (char& c : text) {
        if (c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    if (text.size() > k_max_message_chars) {
        text.resize(k_max_message_chars);
        text += "...";
    }
    return text;
}

std::optional<double> parse_number(std::string_view text)
{
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// An IMF-fixdate ("Wed, 21 Oct 2015 07:28:00 GMT") as seconds from now.
std::optional<double> seconds_until_http_date(const std::string& text)
{
    std::tm parts{};
    const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &parts);
    if (end == nullptr) {
        return std::nullopt;
    }
    const std::time_t at = ::timegm(&parts);
    return std::difftime(at, std::time(nullptr));
}

void read_retry_headers(const HttpResponse& response, Failure& failure)
{
    if (const auto should = response.header("x-should-retry")) {
        if (*should == "true") {
            failure.should_retry = true;
        } else if (*should == "false") {
            failure.should_retry = false;
        }
    }
    if (const auto millis = response.header("retry-after-ms")) {
        if (const auto value = parse_number(*millis); value && *value >= 0) {
            failure.retry_after = std::chrono::milliseconds(static_cast<std::int64_t>(*value));
            return;
        }
    }
    if (const auto after = response.header("retry-after")) {
        auto seconds = parse_number(*after);
        if (!seconds) {
            seconds = seconds_until_http_date(*after);
        }
        if (seconds) {
            failure.retry_after = std::chrono::milliseconds(
                static_cast<std::int64_t>(std::max(0.0, *seconds) * 1000));
        }
    }
}

std::string lowercase_prefix(std::string_view text, std::size_t count)
{
    std::string out;
    for (const char c : text.substr(0, count)) {
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

} // namespace

std::optional<ProviderKind> parse_provider_kind(std::string_view name)
{
    if (name == "openai") {
        return ProviderKind::openai;
    }
    if (name == "anthropic") {
        return ProviderKind::anthropic;
    }
    return std::nullopt;
}

std::string_view to_string(ProviderKind kind)
{
    return kind == ProviderKind::anthropic ? "anthropic" : "openai";
}

ProviderConfig default_provider_config(ProviderKind kind)
{
    ProviderConfig config;
    config.kind = kind;
    if (kind == ProviderKind::anthropic) {
        config.base_url = "https://api.anthropic.com";
        config.api_key_env = "ANTHROPIC_API_KEY";
    } else {
        config.base_url = "https://api.openai.com/v1";
        config.api_key_env = "OPENAI_API_KEY";
    }
    return config;
}

std::unique_ptr<Provider> make_provider(const ProviderConfig& config)
{
    if (config.kind == ProviderKind::anthropic) {
        return make_anthropic_provider(config);
    }
    return make_openai_provider(config);
}

Failure failure_from_response(const HttpResponse& response, std::string_view provider_name)
{
    Failure failure;
    nlohmann::json document = nlohmann::json::parse(response.body, nullptr, false);
    if (!document.is_discarded()) {
        if (auto error = wire::find_error_object(document)) {
            failure = wire::provider_failure(*error, provider_name, response.status);
        }
    }
    if (failure.message.empty()) {
        std::string what = "no error message";
        if (wire::looks_like_html(response)) {
            what = "an HTML page instead of JSON (a proxy's or gateway's error page)";
        } else if (!response.body.empty()) {
            what = fmt::format("'{}'", shorten(response.body));
        }
        failure.message =
            fmt::format("{} answered HTTP {}: {}", provider_name, response.status, what);
    }
    failure.kind = response.status >= 400 ? FailureKind::http_status : FailureKind::provider_error;
    failure.http_status = static_cast<int>(response.status);
    read_retry_headers(response, failure);
    return failure;
}

namespace wire {

std::optional<ErrorObject> find_error_object(const nlohmann::json& document)
{
    if (!document.is_object()) {
        return std::nullopt;
    }
    const auto code_of = [](const nlohmann::json& object) {
        if (object.contains("code") && object["code"].is_string()) {
            return object["code"].get<std::string>();
        }
        if (object.contains("code") && object["code"].is_number_integer()) {
            return std::to_string(object["code"].get<std::int64_t>());
        }
        return string_at(object, "type");
    };
    if (document.contains("error")) {
        const auto& error = document["error"];
        if (error.is_string()) {
            return ErrorObject{error.get<std::string>(), ""};
        }
        if (error.is_object()) {
            return ErrorObject{string_at(error, "message"), code_of(error)};
        }
        return std::nullopt;
    }
    if (string_at(document, "object") == "error") {
        return ErrorObject{string_at(document, "message"), code_of(document)};
    }
    return std::nullopt;
}

Failure provider_failure(const ErrorObject& error, std::string_view provider_name, long status)
{
    Failure failure;
    failure.kind = FailureKind::provider_error;
    failure.http_status = static_cast<int>(status);
    failure.provider_code = error.code;
    const std::string code = error.code.empty() ? "" : fmt::format(" ({})", error.code);
    failure.message =
        status >= 400
            ? fmt::format(
                "{} answered HTTP {}{}: {}", provider_name, status, code, shorten(error.message))
            : fmt::format("{} sent an error{}: {}", provider_name, code, shorten(error.message));
    return failure;
}

std::string endpoint_url(std::string_view base_url, std::string_view path)
{
    const std::size_t fragment = base_url.find('#');
    if (fragment != std::string_view::npos) {
        base_url = base_url.substr(0, fragment);
    }
    const std::size_t query_at = std::min(base_url.find('?'), base_url.size());
    std::string_view base_path = base_url.substr(0, query_at);
    while (base_path.ends_with('/')) {
        base_path.remove_suffix(1);
    }
    return std::string(base_path) + std::string(path) + std::string(base_url.substr(query_at));
}

std::int64_t integer_at(const nlohmann::json& object, std::string_view key)
{
    if (!object.is_object()) {
        return 0;
    }
    const auto found = object.find(key);
    if (found == object.end() || !found->is_number()) {
        return 0;
    }
    return found->get<std::int64_t>();
}

std::string string_at(const nlohmann::json& object, std::string_view key)
{
    if (!object.is_object()) {
        return {};
    }
    const auto found = object.find(key);
    if (found == object.end() || !found->is_string()) {
        return {};
    }
    return found->get<std::string>();
}

bool looks_like_html(const HttpResponse& response)
{
    const auto type = response.header("content-type");
    if (type && type->find("text/html") != std::string::npos) {
        return true;
    }
    std::string_view body = response.body;
    while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) {
        body.remove_prefix(1);
    }
    const std::string start = lowercase_prefix(body, 9);
    return start.starts_with("<!doctype") || start.starts_with("<html");
}

Failure
malformed_body(const HttpResponse& response, std::string_view provider_name, std::string_view what)
{
    const std::string body = looks_like_html(response)
                                 ? "an HTML page instead of JSON"
                                 : fmt::format("{} bytes that are not the expected JSON (cut off?)",
                                               response.body.size());
    Failure failure = make_failure(
        FailureKind::malformed_reply,
        fmt::format("{} sent {} with HTTP {}: {}", provider_name, body, response.status, what));
    failure.http_status = static_cast<int>(response.status);
    return failure;
}

} // namespace wire

} // namespace aiops::llm
