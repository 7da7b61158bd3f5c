#pragma once

#include "llm/failure.hpp"
#include "llm/model.hpp"
#include "llm/provider.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

// hiredis's connection, declared here so the header does not pull hiredis in.
struct redisContext;

namespace aiops::llm {

/// The canonical text of a call: JSON with sorted keys and no spaces over the provider,
/// base URL, model, messages, every parameter that is set and the trial index; numbers
/// that hold a whole value are written as integers (1.0 as 1). Two requests that ask the
/// same thing give the same text whatever order they were built in. It holds no key.
std::string canonical_request(const ProviderConfig& provider, const Request& request, int trial);

/// The cache key of a call: the SHA-256 of its canonical request, 64 hex digits.
std::string cache_key(const ProviderConfig& provider, const Request& request, int trial);

/// One line naming a call for error messages: provider, model, message count, trial and
/// the start of the last message.
std::string describe_request(const ProviderConfig& provider, const Request& request, int trial);

/// A stored reply and what its call measured, so that a replay is judged as the call
/// was: a latency or cost check gives the verdict it gave live.
struct CacheEntry
{
    CacheEntry() = default;

    CacheEntry(Reply stored) : reply(std::move(stored)) {}

    Reply reply;
    /// The whole call that got the reply, retries and waits included; nullopt in entries
    /// written before it was recorded.
    std::optional<double> latency_ms;
    /// What the call cost at the prices of the day; nullopt when it was not priced.
    std::optional<double> cost_usd;
};

/// Where replies are kept between runs. Only successful replies are stored.
class ResponseCache
{
public:
    virtual ~ResponseCache() = default;

    /// The stored entry, nullopt on a miss; fails with kind cache when the backend does.
    virtual Outcome<std::optional<CacheEntry>> get(const std::string& key) = 0;

    /// Stores an entry with its canonical request (kept for review beside it).
    virtual Outcome<bool>
    put(const std::string& key, const std::string& canonical_request, const CacheEntry& entry) = 0;

    /// The spec it was opened from ("dir:.aiops/cache").
    virtual std::string describe() const = 0;
};

struct CacheOptions
{
    /// How long Redis keeps an entry; zero keeps it until Redis evicts it.
    std::chrono::milliseconds redis_ttl{std::chrono::hours(24 * 30)};
    std::chrono::milliseconds redis_timeout{2'000}; ///< connect and command timeout
};

/// Opens a cache from its spec: "off", "dir:PATH" (no path: .aiops/cache), or
/// "redis://HOST:PORT/DB". Fails with configuration on a bad spec; a Redis server that
/// cannot be reached fails at the first get or put, not here.
Outcome<std::unique_ptr<ResponseCache>> open_cache(std::string_view spec,
                                                   const CacheOptions& options = {});

/// A cache of one pretty-printed JSON file a key in a folder. Each file is written to a
/// temporary file in the folder and renamed into place, so processes sharing the folder
/// never read a partial entry.
class DirectoryCache : public ResponseCache
{
public:
    explicit DirectoryCache(std::string folder) : m_folder(std::move(folder)) {}

    Outcome<std::optional<CacheEntry>> get(const std::string& key) override;
    Outcome<bool> put(const std::string& key,
                      const std::string& canonical_request,
                      const CacheEntry& entry) override;

    std::string describe() const override { return "dir:" + m_folder; }

    /// The file that holds a key.
    std::string path_of(const std::string& key) const;

private:
    std::string m_folder;
};

/// A cache in Redis, for runners that share one; entries expire after a TTL. Keys are
/// "aiops:llm:<key>". Connections are pooled and safe to use from many threads.
class RedisCache : public ResponseCache
{
public:
    RedisCache(std::string host, int port, int database, CacheOptions options);
    ~RedisCache() override;

    Outcome<std::optional<CacheEntry>> get(const std::string& key) override;
    Outcome<bool> put(const std::string& key,
                      const std::string& canonical_request,
                      const CacheEntry& entry) override;
    std::string describe() const override;

private:
    struct Pool;
    /// An idle pooled connection, or a new one.
    Outcome<redisContext*> take_connection();

    std::string m_host;
    int m_port;
    int m_database;
    CacheOptions m_options;
    std::unique_ptr<Pool> m_pool;
};

/// The JSON document a cache stores for an entry: the reply, and the call's latency and
/// cost under "recorded".
std::string cache_entry_json(const std::string& key,
                             const std::string& canonical_request,
                             const CacheEntry& entry,
                             bool pretty);

/// The entry inside a stored document, or nullopt when the document is not one.
std::optional<CacheEntry> cache_entry_from_json(std::string_view text);

} // namespace aiops::llm
