#pragma once

// A scripted model server on 127.0.0.1 for the llm tests, and the real servers (Redis,
// the Pushgateway) the cache and metrics tests start on free loopback ports.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aiops::test {

/// One scripted reply.
struct MockReply
{
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::milliseconds delay{0}; ///< before the reply starts
    /// When set, the body is sent in these pieces (chunked), each after piece_delay.
    std::vector<std::string> pieces;
    std::chrono::milliseconds piece_delay{0};
    bool cut_off = false; ///< close the connection before the body is complete
};

/// A request the server received, header names lowercased.
struct ReceivedRequest
{
    std::string method;
    std::string target; ///< the path, or the absolute URL a proxy is asked for
    std::string query;  ///< the raw parameters as "k=v&..." in the order received
    std::map<std::string, std::string> headers;
    std::string body;
    std::chrono::steady_clock::time_point arrived; ///< when the whole request was read
};

/// An HTTP server on 127.0.0.1 and a free port, answering every request with the next
/// scripted reply (the last one again when the script runs out). Started by the
/// constructor, stopped by the destructor. It also sets NO_PROXY for loopback, so a
/// proxy in the environment is never used for it.
class MockModelServer
{
public:
    MockModelServer();
    ~MockModelServer();
    MockModelServer(const MockModelServer&) = delete;
    MockModelServer& operator=(const MockModelServer&) = delete;

    void script(std::vector<MockReply> replies);

    /// "http://127.0.0.1:PORT".
    std::string url() const;

    int port() const { return m_port; }

    std::vector<ReceivedRequest> requests() const;

    /// The most requests the server was handling at once: counted from when a request has
    /// been read to when its reply's delay is over.
    std::size_t peak_in_flight() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    int m_port = 0;
};

/// A 200 Chat Completions reply.
MockReply openai_reply(const std::string& text,
                       const std::string& finish_reason = "stop",
                       int prompt_tokens = 10,
                       int completion_tokens = 5,
                       int cached_tokens = 0);

/// A 200 Messages API reply.
MockReply anthropic_reply(const std::string& text,
                          const std::string& stop_reason = "end_turn",
                          int input_tokens = 10,
                          int output_tokens = 5,
                          int cache_read_tokens = 0);

/// An error reply with a JSON body.
MockReply error_reply(int status,
                      const std::string& body,
                      std::vector<std::pair<std::string, std::string>> headers = {});

/// A port on 127.0.0.1 that was free a moment ago.
int free_loopback_port();

/// A server binary run for a test, killed by its pid when this object goes.
class ServerProcess
{
public:
    /// Starts `program` with `arguments` (output to a log file in the scratch folder) and
    /// waits until it accepts connections on 127.0.0.1:port. Throws std::runtime_error
    /// when the program is missing (naming the Debian package) or does not come up.
    ServerProcess(const std::string& program,
                  const std::string& debian_package,
                  const std::vector<std::string>& arguments,
                  int port);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return m_port; }

private:
    int m_pid = -1;
    int m_port = 0;
};

/// A redis-server with no persistence on a free loopback port.
std::unique_ptr<ServerProcess> start_redis();

/// A prometheus-pushgateway keeping metrics in memory only, on a free loopback port.
std::unique_ptr<ServerProcess> start_pushgateway();

/// The full path of a program found on PATH, /usr/bin or /usr/sbin, or nullopt.
std::optional<std::string> find_program(const std::string& name);

} // namespace aiops::test
