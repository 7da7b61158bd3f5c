#include "mock_server.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace aiops::test {

namespace {

std::string lowercase(std::string text)
{
    for (char& c : text) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return text;
}

void serve(const MockReply& reply, httplib::Response& response)
{
    if (reply.delay.count() > 0) {
        std::this_thread::sleep_for(reply.delay);
    }
    response.status = reply.status;
    for (const auto& [name, value] : reply.headers) {
        response.set_header(name, value);
    }
    if (!reply.pieces.empty()) {
        response.set_chunked_content_provider(
            reply.content_type, [reply](std::size_t /*offset*/, httplib::DataSink& sink) {
                for (const auto& piece : reply.pieces) {
                    if (reply.piece_delay.count() > 0) {
                        std::this_thread::sleep_for(reply.piece_delay);
                    }
                    sink.write(piece.data(), piece.size());
                }
                if (reply.cut_off) {
                    return false;
                }
                sink.done();
                return true;
            });
        return;
    }
    if (reply.cut_off) {
        // Promises more bytes than it sends, then drops the connection.
        response.set_content_provider(reply.body.size() + 100,
                                      reply.content_type,
                                      [body = reply.body](std::size_t offset,
                                                          std::size_t /*length*/,
                                                          httplib::DataSink& sink) {
                                          if (offset == 0) {
                                              sink.write(body.data(), body.size());
                                              return true;
                                          }
                                          return false;
                                      });
        return;
    }
    response.set_content(reply.body, reply.content_type.c_str());
}

} // namespace

struct MockModelServer::Impl
{
    httplib::Server server;
    std::thread thread;
    mutable std::mutex mutex;
    std::vector<MockReply> replies;
    std::size_t next = 0;
    std::vector<ReceivedRequest> received;
    std::size_t in_flight = 0;
    std::size_t peak = 0;

    MockReply take(const httplib::Request& request)
    {
        const std::lock_guard<std::mutex> lock(mutex);
        peak = std::max(peak, ++in_flight);
        ReceivedRequest copy;
        copy.method = request.method;
        copy.target = request.path;
        copy.body = request.body;
        copy.arrived = std::chrono::steady_clock::now();
        for (const auto& [name, value] : request.headers) {
            copy.headers[lowercase(name)] = value;
        }
        for (const auto& [name, value] : request.params) {
            copy.query += fmt::format("{}{}={}", copy.query.empty() ? "" : "&", name, value);
        }
        received.push_back(std::move(copy));
        if (replies.empty()) {
            return error_reply(500, R"({"error":{"message":"no scripted reply"}})");
        }
        const MockReply reply = replies[std::min(next, replies.size() - 1)];
        ++next;
        return reply;
    }
};

MockModelServer::MockModelServer() : m_impl(std::make_unique<Impl>())
{
    ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    ::setenv("no_proxy", "127.0.0.1,localhost", 1);
    const auto handler = [this](const httplib::Request& request, httplib::Response& response) {
        serve(m_impl->take(request), response);
        const std::lock_guard<std::mutex> lock(m_impl->mutex);
        --m_impl->in_flight;
    };
    // Without it the reply's header and body writes meet the client's delayed ACK and
    // every call waits about 40 ms.
    m_impl->server.set_tcp_nodelay(true);
    // Enough workers that concurrency tests measure the client, not the server.
    m_impl->server.new_task_queue = [] { return new httplib::ThreadPool(32); };
    m_impl->server.Get(".*", handler);
    m_impl->server.Post(".*", handler);
    m_impl->server.Put(".*", handler);
    m_port = m_impl->server.bind_to_any_port("127.0.0.1");
    if (m_port <= 0) {
        throw std::runtime_error("the mock model server cannot bind to 127.0.0.1");
    }
    m_impl->thread = std::thread([this] { m_impl->server.listen_after_bind(); });
    // stop() does nothing to a server that is not running yet, so wait for it.
    while (!m_impl->server.is_running()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

MockModelServer::~MockModelServer()
{
    m_impl->server.stop();
    m_impl->thread.join();
}

void MockModelServer::script(std::vector<MockReply> replies)
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    m_impl->replies = std::move(replies);
    m_impl->next = 0;
}

std::string MockModelServer::url() const
{
    return fmt::format("http://127.0.0.1:{}", m_port);
}

std::vector<ReceivedRequest> MockModelServer::requests() const
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    return m_impl->received;
}

std::size_t MockModelServer::peak_in_flight() const
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    return m_impl->peak;
}

MockReply openai_reply(const std::string& text,
                       const std::string& finish_reason,
                       int prompt_tokens,
                       int completion_tokens,
                       int cached_tokens)
{
    const nlohmann::json body = {{"id", "chatcmpl-mock1"},
                                 {"object", "chat.completion"},
                                 {"model", "gpt-4o-mini-2024-07-18"},
                                 {"choices",
                                  {{{"index", 0},
                                    {"finish_reason", finish_reason},
                                    {"message", {{"role", "assistant"}, {"content", text}}}}}},
                                 {"usage",
                                  {{"prompt_tokens", prompt_tokens},
                                   {"completion_tokens", completion_tokens},
                                   {"total_tokens", prompt_tokens + completion_tokens},
                                   {"prompt_tokens_details", {{"cached_tokens", cached_tokens}}}}}};
    MockReply reply;
    reply.body = body.dump();
    reply.headers = {{"x-request-id", "req-openai-mock"}};
    return reply;
}

MockReply anthropic_reply(const std::string& text,
                          const std::string& stop_reason,
                          int input_tokens,
                          int output_tokens,
                          int cache_read_tokens)
{
    const nlohmann::json body = {{"id", "msg_mock1"},
                                 {"type", "message"},
                                 {"role", "assistant"},
                                 {"model", "claude-sonnet-4-20250514"},
                                 {"content", {{{"type", "text"}, {"text", text}}}},
                                 {"stop_reason", stop_reason},
                                 {"stop_sequence", nullptr},
                                 {"usage",
                                  {{"input_tokens", input_tokens},
                                   {"output_tokens", output_tokens},
                                   {"cache_creation_input_tokens", 0},
                                   {"cache_read_input_tokens", cache_read_tokens}}}};
    MockReply reply;
    reply.body = body.dump();
    reply.headers = {{"request-id", "req-anthropic-mock"}};
    return reply;
}

MockReply error_reply(int status,
                      const std::string& body,
                      std::vector<std::pair<std::string, std::string>> headers)
{
    MockReply reply;
    reply.status = status;
    reply.body = body;
    reply.headers = std::move(headers);
    return reply;
}

int free_loopback_port()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t size = sizeof(address);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), size) != 0
        || ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
        throw std::runtime_error("cannot find a free port on 127.0.0.1");
    }
    const int port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

namespace {

bool accepts_connections(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool connected =
        ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    ::close(fd);
    return connected;
}

} // namespace

std::optional<std::string> find_program(const std::string& name)
{
    std::string path = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
    path += ":/usr/bin:/usr/sbin:/bin:/sbin";
    std::size_t from = 0;
    while (from <= path.size()) {
        const std::size_t end = std::min(path.find(':', from), path.size());
        const std::filesystem::path candidate =
            std::filesystem::path(path.substr(from, end - from)) / name;
        if (end > from && ::access(candidate.c_str(), X_OK) == 0) {
            return candidate.string();
        }
        from = end + 1;
    }
    return std::nullopt;
}

ServerProcess::ServerProcess(const std::string& program,
                             const std::string& debian_package,
                             const std::vector<std::string>& arguments,
                             int port)
    : m_port(port)
{
    const auto binary = find_program(program);
    if (!binary) {
        throw std::runtime_error(fmt::format(
            "'{}' not found: install the Debian package '{}' (scripts/install-deps does)",
            program,
            debian_package));
    }
    std::vector<std::string> argv_text{*binary};
    argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& argument : argv_text) {
        argv.push_back(argument.data());
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log = fmt::format("{}-{}.log", program, port);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = -1;
    const int spawned = posix_spawn(&pid, binary->c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
        throw std::runtime_error(fmt::format("cannot start '{}'", *binary));
    }
    m_pid = pid;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!accepts_connections(port)) {
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            throw std::runtime_error(fmt::format(
                "'{}' exited before it listened on port {} (see {})", program, port, log));
        }
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error(
                fmt::format("'{}' did not listen on port {} within 10 s", program, port));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

ServerProcess::~ServerProcess()
{
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
    }
}

namespace {

// A free port can be taken by someone else before the server binds it; a server that
// exits at once is started again on another port. A missing program is not retried.
std::unique_ptr<ServerProcess>
start_on_free_port(const std::string& program,
                   const std::string& debian_package,
                   const std::function<std::vector<std::string>(int)>& arguments_for)
{
    for (int attempt = 1;; ++attempt) {
        const int port = free_loopback_port();
        try {
            return std::make_unique<ServerProcess>(
                program, debian_package, arguments_for(port), port);
        } catch (const std::runtime_error&) {
            if (attempt == 3 || !find_program(program)) {
                throw;
            }
        }
    }
}

} // namespace

std::unique_ptr<ServerProcess> start_redis()
{
    return start_on_free_port("redis-server", "redis-server", [](int port) {
        return std::vector<std::string>{"--save",
                                        "",
                                        "--appendonly",
                                        "no",
                                        "--port",
                                        std::to_string(port),
                                        "--bind",
                                        "127.0.0.1"};
    });
}

std::unique_ptr<ServerProcess> start_pushgateway()
{
    return start_on_free_port("prometheus-pushgateway", "prometheus-pushgateway", [](int port) {
        return std::vector<std::string>{fmt::format("--web.listen-address=127.0.0.1:{}", port),
                                        "--persistence.file=",
                                        "--log.level=warn"};
    });
}

} // namespace aiops::test
