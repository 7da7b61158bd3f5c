#pragma once

#include "llm/failure.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aiops::llm {

/// Settings of an HttpClient. Proxies come from the standard environment variables
/// (http_proxy, https_proxy, all_proxy, no_proxy), which libcurl reads itself.
struct HttpOptions
{
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds total_timeout{600'000}; ///< the whole transfer, streams included
    std::optional<std::string> ca_bundle;             ///< a PEM file; otherwise the system's
    std::size_t max_body_bytes = 64 * 1024 * 1024;    ///< replies past this fail
    /// Turns TLS certificate and host checks off. Every client made with it logs a
    /// warning; never use it outside a test against a server of your own.
    bool insecure_skip_tls_verification = false;
};

/// A request to send. Header names are sent as given.
struct HttpRequest
{
    std::string method = "POST";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    /// The whole transfer's limit for this request, instead of HttpOptions::total_timeout.
    std::optional<std::chrono::milliseconds> total_timeout{};
};

/// A reply: the status, the headers with lowercased names (the last value wins), and the
/// body (empty when it went to a stream sink).
struct HttpResponse
{
    long status = 0;
    std::map<std::string, std::string> headers;
    std::string body;

    /// A header's value by lowercased name, or nullopt.
    std::optional<std::string> header(std::string_view name) const;
};

/// Receives the body of a successful (2xx) reply as it arrives, in pieces of any size;
/// returns false to stop the transfer. Error replies are collected into the body instead.
using BodySink = std::function<bool(std::string_view)>;

/// An HTTP client over libcurl that many threads use at once. Connections, DNS results
/// and TLS sessions are shared across threads (a curl share handle with locks), and easy
/// handles are reused from a pool, so calls to one server keep their connections open.
class HttpClient
{
public:
    explicit HttpClient(HttpOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    /// Sends a request and waits for the whole reply. Fails with connection, timeout or
    /// reply_too_large; any status, 4xx and 5xx included, is a reply. An interrupt (see
    /// core::interrupted) stops the transfer within about a second: interrupted.
    Outcome<HttpResponse> send(const HttpRequest& request) const;

    /// Sends a request; a 2xx body goes to the sink piece by piece. Fails as send does,
    /// and with connection when the sink stopped the transfer.
    Outcome<HttpResponse> send(const HttpRequest& request, const BodySink& sink) const;

    const HttpOptions& options() const { return m_options; }

    /// How many new connections the client has opened so far; calls that reused a pooled
    /// connection add none.
    long connections_opened() const;

private:
    struct Shared;
    HttpOptions m_options;
    std::unique_ptr<Shared> m_shared;
};

/// Percent-encodes a string for one path segment or query value (RFC 3986 unreserved
/// characters stay).
std::string url_encode(std::string_view text);

} // namespace aiops::llm
