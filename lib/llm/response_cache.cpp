#include "llm/response_cache.hpp"

#include "core/atomic_file.hpp"
#include "core/sha256.hpp"
#include "core/strings.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace aiops::llm {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A whole number is stored as an integer, so 1 and 1.0 give the same text.
json normalised_number(double value)
{
    if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < 9.0e15) {
        return static_cast<std::int64_t>(value);
    }
    return value;
}

// Fields that are zero or empty are left out, so entries written before those fields
// existed keep their text.
json reply_to_json(const Reply& reply)
{
    json usage = {{"input_tokens", reply.usage.input_tokens},
                  {"output_tokens", reply.usage.output_tokens},
                  {"cached_input_tokens", reply.usage.cached_input_tokens}};
    if (reply.usage.cache_write_input_tokens != 0) {
        usage["cache_write_input_tokens"] = reply.usage.cache_write_input_tokens;
        usage["cache_write_1h_input_tokens"] = reply.usage.cache_write_1h_input_tokens;
    }
    json out = {{"text", reply.text},
                {"finish_reason", to_string(reply.finish_reason)},
                {"raw_finish_reason", reply.raw_finish_reason},
                {"usage", usage},
                {"request_id", reply.request_id},
                {"model", reply.model}};
    if (!reply.tool_calls.empty()) {
        json calls = json::array();
        for (const auto& call : reply.tool_calls) {
            calls.push_back({{"id", call.id}, {"name", call.name}, {"arguments", call.arguments}});
        }
        out["tool_calls"] = std::move(calls);
    }
    return out;
}

Outcome<bool> write_atomically(const fs::path& path, std::string_view text)
{
    if (auto written = core::write_file_atomically(path, text); !written) {
        return make_failure(FailureKind::cache,
                            "cannot write the cache file: " + written.error().message());
    }
    return true;
}

std::optional<std::string> read_whole_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

std::string canonical_request(const ProviderConfig& provider, const Request& request, int trial)
{
    json messages = json::array();
    for (const auto& message : request.messages) {
        messages.push_back({{"role", to_string(message.role)}, {"content", message.content}});
    }
    json document = {{"provider", to_string(provider.kind)},
                     // Cache files are committed: a password in the address stays out.
                     {"base_url", core::redact_userinfo(provider.base_url)},
                     {"model", request.model},
                     {"messages", messages},
                     {"trial", trial}};
    if (provider.api_version) {
        document["api_version"] = *provider.api_version;
    }
    if (request.temperature) {
        document["temperature"] = normalised_number(*request.temperature);
    }
    if (request.top_p) {
        document["top_p"] = normalised_number(*request.top_p);
    }
    if (request.max_tokens) {
        document["max_tokens"] = *request.max_tokens;
    }
    if (!request.stop.empty()) {
        document["stop"] = request.stop;
    }
    if (request.seed) {
        document["seed"] = *request.seed;
    }
    if (request.json_mode) {
        document["json_mode"] = true;
    }
    // nlohmann::json keeps object keys in a std::map, so dump() writes them sorted.
    return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string cache_key(const ProviderConfig& provider, const Request& request, int trial)
{
    return core::sha256_hex(canonical_request(provider, request, trial));
}

std::string describe_request(const ProviderConfig& provider, const Request& request, int trial)
{
    std::string start = request.messages.empty() ? "" : request.messages.back().content;
    for (char& c : start) {
        if (c == '\n' || c == '\r' || c == '\t') {
            c = ' ';
        }
    }
    if (start.size() > 60) {
        start = start.substr(0, 60) + "...";
    }
    return fmt::format("{}:{}, {} message(s), trial {}, last message '{}'",
                       to_string(provider.kind),
                       request.model,
                       request.messages.size(),
                       trial,
                       start);
}

std::string cache_entry_json(const std::string& key,
                             const std::string& canonical_request,
                             const CacheEntry& entry,
                             bool pretty)
{
    json request = json::parse(canonical_request, nullptr, false);
    json document = {{"aiops_cache_entry", 1},
                     {"key", key},
                     {"request", request.is_discarded() ? json(canonical_request) : request},
                     {"reply", reply_to_json(entry.reply)}};
    json recorded = json::object();
    if (entry.latency_ms) {
        recorded["latency_ms"] = *entry.latency_ms;
    }
    if (entry.cost_usd) {
        recorded["cost_usd"] = *entry.cost_usd;
    }
    if (!recorded.empty()) {
        document["recorded"] = std::move(recorded);
    }
    return document.dump(pretty ? 2 : -1, ' ', false, json::error_handler_t::replace)
           + (pretty ? "\n" : "");
}

namespace {

std::optional<double> recorded_number(const json& document, const char* name)
{
    const auto recorded = document.find("recorded");
    if (recorded == document.end() || !recorded->is_object()) {
        return std::nullopt;
    }
    const auto value = recorded->find(name);
    if (value == recorded->end() || !value->is_number()) {
        return std::nullopt;
    }
    return value->get<double>();
}

} // namespace

std::optional<CacheEntry> cache_entry_from_json(std::string_view text)
{
    const json document = json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object() || !document.contains("reply")
        || !document["reply"].is_object()) {
        return std::nullopt;
    }
    const json& stored = document["reply"];
    try {
        CacheEntry entry;
        entry.latency_ms = recorded_number(document, "latency_ms");
        entry.cost_usd = recorded_number(document, "cost_usd");
        Reply& reply = entry.reply;
        reply.text = stored.at("text").get<std::string>();
        reply.finish_reason = parse_finish_reason(stored.at("finish_reason").get<std::string>());
        reply.raw_finish_reason = stored.value("raw_finish_reason", "");
        const json& usage = stored.at("usage");
        reply.usage.input_tokens = usage.value("input_tokens", std::int64_t{0});
        reply.usage.output_tokens = usage.value("output_tokens", std::int64_t{0});
        reply.usage.cached_input_tokens = usage.value("cached_input_tokens", std::int64_t{0});
        reply.usage.cache_write_input_tokens =
            usage.value("cache_write_input_tokens", std::int64_t{0});
        reply.usage.cache_write_1h_input_tokens =
            usage.value("cache_write_1h_input_tokens", std::int64_t{0});
        for (const json& call : stored.value("tool_calls", json::array())) {
            reply.tool_calls.push_back({call.at("id").get<std::string>(),
                                        call.at("name").get<std::string>(),
                                        call.at("arguments").get<std::string>()});
        }
        reply.request_id = stored.value("request_id", "");
        reply.model = stored.value("model", "");
        return entry;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

std::string DirectoryCache::path_of(const std::string& key) const
{
    return (fs::path(m_folder) / (key + ".json")).string();
}

Outcome<std::optional<CacheEntry>> DirectoryCache::get(const std::string& key)
{
    const auto text = read_whole_file(path_of(key));
    if (!text) {
        return std::optional<CacheEntry>();
    }
    auto entry = cache_entry_from_json(*text);
    if (!entry) {
        return make_failure(
            FailureKind::cache,
            fmt::format("the cache file '{}' is not an aiops cache entry", path_of(key)));
    }
    return entry;
}

Outcome<bool> DirectoryCache::put(const std::string& key,
                                  const std::string& canonical_request,
                                  const CacheEntry& entry)
{
    return write_atomically(path_of(key), cache_entry_json(key, canonical_request, entry, true));
}

namespace {

class DisabledCache : public ResponseCache
{
public:
    Outcome<std::optional<CacheEntry>> get(const std::string& /*key*/) override
    {
        return std::optional<CacheEntry>();
    }

    Outcome<bool> put(const std::string&, const std::string&, const CacheEntry&) override
    {
        return true;
    }

    std::string describe() const override { return "off"; }
};

std::optional<int> parse_int(std::string_view text)
{
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0) {
        return std::nullopt;
    }
    return value;
}

Outcome<std::unique_ptr<ResponseCache>> open_redis(std::string_view spec,
                                                   const CacheOptions& options)
{
    const auto bad = [&](std::string_view what) {
        return make_failure(FailureKind::configuration,
                            fmt::format("bad cache spec '{}': {} (expected redis://HOST:PORT/DB)",
                                        core::redact_userinfo(spec),
                                        what));
    };
    std::string_view rest = spec.substr(std::string_view("redis://").size());
    int database = 0;
    if (const std::size_t slash = rest.find('/'); slash != std::string_view::npos) {
        const std::string_view db_text = rest.substr(slash + 1);
        if (!db_text.empty()) {
            const auto db = parse_int(db_text);
            if (!db) {
                return bad("the database is not a number");
            }
            database = *db;
        }
        rest = rest.substr(0, slash);
    }
    if (rest.find('@') != std::string_view::npos) {
        return bad("passwords in the URL are not supported");
    }
    std::string host(rest);
    int port = 6379;
    if (const std::size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
        const auto parsed = parse_int(rest.substr(colon + 1));
        if (!parsed || *parsed == 0 || *parsed > 65535) {
            return bad("the port is not a number from 1 to 65535");
        }
        port = *parsed;
        host = std::string(rest.substr(0, colon));
    }
    if (host.empty()) {
        return bad("no host");
    }
    return std::unique_ptr<ResponseCache>(
        std::make_unique<RedisCache>(std::move(host), port, database, options));
}

} // namespace

Outcome<std::unique_ptr<ResponseCache>> open_cache(std::string_view spec,
                                                   const CacheOptions& options)
{
    if (spec == "off") {
        return std::unique_ptr<ResponseCache>(std::make_unique<DisabledCache>());
    }
    if (spec == "dir" || spec == "dir:") {
        return std::unique_ptr<ResponseCache>(std::make_unique<DirectoryCache>(".aiops/cache"));
    }
    if (spec.starts_with("dir:")) {
        return std::unique_ptr<ResponseCache>(
            std::make_unique<DirectoryCache>(std::string(spec.substr(4))));
    }
    if (spec.starts_with("redis://")) {
        return open_redis(spec, options);
    }
    return make_failure(
        FailureKind::configuration,
        fmt::format("unknown cache spec '{}': expected 'off', 'dir:PATH' or 'redis://HOST:PORT/DB'",
                    core::redact_userinfo(spec)));
}

} // namespace aiops::llm
