#include "llm/response_cache.hpp"

#include <fmt/format.h>

#include <hiredis/hiredis.h>

#include <mutex>
#include <vector>

namespace aiops::llm {

namespace {

constexpr std::string_view k_key_prefix = "aiops:llm:";

struct ReplyDeleter
{
    void operator()(redisReply* reply) const { freeReplyObject(reply); }
};

using RedisReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

timeval to_timeval(std::chrono::milliseconds duration)
{
    timeval out{};
    out.tv_sec = static_cast<time_t>(duration.count() / 1000);
    out.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
    return out;
}

} // namespace

// Idle connections; a connection that failed is freed instead of being put back.
struct RedisCache::Pool
{
    std::mutex mutex;
    std::vector<redisContext*> idle;

    ~Pool()
    {
        for (redisContext* context : idle) {
            redisFree(context);
        }
    }
};

RedisCache::RedisCache(std::string host, int port, int database, CacheOptions options)
    : m_host(std::move(host)), m_port(port), m_database(database), m_options(options),
      m_pool(std::make_unique<Pool>())
{}

RedisCache::~RedisCache() = default;

std::string RedisCache::describe() const
{
    return fmt::format("redis://{}:{}/{}", m_host, m_port, m_database);
}

namespace {

// Runs one command on a pooled connection; a failure frees the connection.
class Connection
{
public:
    Connection(redisContext* context, std::mutex& mutex, std::vector<redisContext*>& idle)
        : m_context(context), m_mutex(mutex), m_idle(idle)
    {}

    ~Connection()
    {
        if (m_context == nullptr) {
            return;
        }
        if (m_broken) {
            redisFree(m_context);
            return;
        }
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_idle.push_back(m_context);
    }

    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    redisContext* context() const { return m_context; }

    void mark_broken() { m_broken = true; }

private:
    redisContext* m_context;
    std::mutex& m_mutex;
    std::vector<redisContext*>& m_idle;
    bool m_broken = false;
};

} // namespace

namespace {

Failure redis_failure(const std::string& where, std::string_view what)
{
    return make_failure(FailureKind::cache, fmt::format("redis cache {}: {}", where, what));
}

Outcome<redisContext*> connect(const std::string& host,
                               int port,
                               int database,
                               const CacheOptions& options,
                               const std::string& where)
{
    const timeval timeout = to_timeval(options.redis_timeout);
    redisContext* context = redisConnectWithTimeout(host.c_str(), port, timeout);
    if (context == nullptr) {
        return redis_failure(where, "cannot allocate a connection");
    }
    if (context->err != 0) {
        Failure failure = redis_failure(where, fmt::format("cannot connect: {}", context->errstr));
        redisFree(context);
        return failure;
    }
    redisSetTimeout(context, timeout);
    if (database != 0) {
        RedisReplyPtr reply(static_cast<redisReply*>(redisCommand(context, "SELECT %d", database)));
        if (!reply || reply->type == REDIS_REPLY_ERROR) {
            Failure failure =
                redis_failure(where, fmt::format("cannot select database {}", database));
            redisFree(context);
            return failure;
        }
    }
    return context;
}

} // namespace

Outcome<redisContext*> RedisCache::take_connection()
{
    {
        const std::lock_guard<std::mutex> lock(m_pool->mutex);
        if (!m_pool->idle.empty()) {
            redisContext* context = m_pool->idle.back();
            m_pool->idle.pop_back();
            return context;
        }
    }
    return connect(m_host, m_port, m_database, m_options, describe());
}

Outcome<std::optional<CacheEntry>> RedisCache::get(const std::string& key)
{
    auto taken = take_connection();
    if (!taken) {
        return taken.failure();
    }
    redisContext* context = *taken;
    Connection connection(context, m_pool->mutex, m_pool->idle);
    const std::string name = fmt::format("{}{}", k_key_prefix, key);
    RedisReplyPtr reply(static_cast<redisReply*>(
        redisCommand(connection.context(), "GET %b", name.data(), name.size())));
    if (!reply) {
        connection.mark_broken();
        return redis_failure(describe(), fmt::format("GET failed: {}", context->errstr));
    }
    if (reply->type == REDIS_REPLY_NIL) {
        return std::optional<CacheEntry>();
    }
    if (reply->type != REDIS_REPLY_STRING) {
        return redis_failure(describe(), "GET did not return a string");
    }
    auto stored = cache_entry_from_json(std::string_view(reply->str, reply->len));
    if (!stored) {
        return redis_failure(describe(),
                             fmt::format("the entry '{}' is not an aiops cache entry", name));
    }
    return stored;
}

Outcome<bool> RedisCache::put(const std::string& key,
                              const std::string& canonical_request,
                              const CacheEntry& entry)
{
    auto taken = take_connection();
    if (!taken) {
        return taken.failure();
    }
    redisContext* context = *taken;
    Connection connection(context, m_pool->mutex, m_pool->idle);
    const std::string name = fmt::format("{}{}", k_key_prefix, key);
    const std::string value = cache_entry_json(key, canonical_request, entry, false);
    RedisReplyPtr answer;
    if (m_options.redis_ttl.count() > 0) {
        const std::string ttl = std::to_string(m_options.redis_ttl.count());
        answer.reset(static_cast<redisReply*>(redisCommand(connection.context(),
                                                           "SET %b %b PX %b",
                                                           name.data(),
                                                           name.size(),
                                                           value.data(),
                                                           value.size(),
                                                           ttl.data(),
                                                           ttl.size())));
    } else {
        answer.reset(static_cast<redisReply*>(redisCommand(connection.context(),
                                                           "SET %b %b",
                                                           name.data(),
                                                           name.size(),
                                                           value.data(),
                                                           value.size())));
    }
    if (!answer) {
        connection.mark_broken();
        return redis_failure(describe(), fmt::format("SET failed: {}", context->errstr));
    }
    if (answer->type == REDIS_REPLY_ERROR) {
        return redis_failure(describe(), fmt::format("SET failed: {}", answer->str));
    }
    return true;
}

} // namespace aiops::llm
