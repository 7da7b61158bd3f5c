#include "llm/http_client.hpp"

#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "llm/curl_library.hpp"

#include <fmt/format.h>

#include <array>
#include <atomic>
#include <cctype>
#include <mutex>

namespace aiops::llm {

namespace {

std::string lowercase(std::string_view text)
{
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string_view trim(std::string_view text)
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    return text;
}

// What one transfer collects; libcurl's callbacks write into it.
struct Transfer
{
    CURL* easy = nullptr;
    const BodySink* sink = nullptr;
    std::size_t max_body_bytes = 0;
    std::size_t received = 0;
    bool too_large = false;
    bool sink_stopped = false;
    HttpResponse response;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user)
{
    auto& transfer = *static_cast<Transfer*>(user);
    const std::string_view line(data, size * count);
    // A new status line starts a new reply (after 100 Continue or a proxy's CONNECT).
    if (line.starts_with("HTTP/")) {
        transfer.response.headers.clear();
        return size * count;
    }
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
        transfer.response.headers[lowercase(trim(line.substr(0, colon)))] =
            std::string(trim(line.substr(colon + 1)));
    }
    return size * count;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user)
{
    auto& transfer = *static_cast<Transfer*>(user);
    const std::size_t bytes = size * count;
    transfer.received += bytes;
    if (transfer.received > transfer.max_body_bytes) {
        transfer.too_large = true;
        return 0;
    }
    long status = 0;
    curl_library().easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
    if (transfer.sink != nullptr && status >= 200 && status < 300) {
        if (!(*transfer.sink)(std::string_view(data, bytes))) {
            transfer.sink_stopped = true;
            return 0;
        }
        return bytes;
    }
    transfer.response.body.append(data, bytes);
    return bytes;
}

// libcurl calls this often while data flows and about once a second while it waits, so
// an interrupt stops a transfer at once instead of after the whole reply.
int on_progress(void* /*user*/,
                curl_off_t /*download_total*/,
                curl_off_t /*downloaded*/,
                curl_off_t /*upload_total*/,
                curl_off_t /*uploaded*/)
{
    return core::interrupted() ? 1 : 0;
}

// The host and port of a URL, for messages: a user and password written into the
// address are left out.
std::string host_of(const std::string& url)
{
    const std::size_t start = url.find("://");
    const std::size_t from = start == std::string::npos ? 0 : start + 3;
    const std::size_t end = url.find_first_of("/?#", from);
    const std::string authority =
        url.substr(from, end == std::string::npos ? std::string::npos : end - from);
    const std::size_t at = authority.rfind('@');
    return at == std::string::npos ? authority : authority.substr(at + 1);
}

} // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const
{
    const auto found = headers.find(std::string(name));
    if (found == headers.end()) {
        return std::nullopt;
    }
    return found->second;
}

// The share handle's locks: one mutex per kind of shared data. The share handle is made
// at the first request, so a client that never sends one (a run answered from the
// cache) does not load libcurl.
struct HttpClient::Shared
{
    std::once_flag share_made;
    CURLSH* share = nullptr;
    std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;
    std::mutex pool_mutex;
    std::vector<CURL*> idle_handles;
    std::atomic<long> connections_opened{0};

    static void lock(CURL* /*easy*/, curl_lock_data data, curl_lock_access /*access*/, void* user)
    {
        static_cast<Shared*>(user)->locks[static_cast<std::size_t>(data)].lock();
    }

    static void unlock(CURL* /*easy*/, curl_lock_data data, void* user)
    {
        static_cast<Shared*>(user)->locks[static_cast<std::size_t>(data)].unlock();
    }

    CURLSH* share_handle()
    {
        std::call_once(share_made, [this] {
            const CurlLibrary& curl = curl_library();
            CURLSH* made = curl.share_init();
            curl.share_setopt(made, CURLSHOPT_LOCKFUNC, &Shared::lock);
            curl.share_setopt(made, CURLSHOPT_UNLOCKFUNC, &Shared::unlock);
            curl.share_setopt(made, CURLSHOPT_USERDATA, this);
            curl.share_setopt(made, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
            curl.share_setopt(made, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
            curl.share_setopt(made, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
            share = made;
        });
        return share;
    }

    CURL* take_handle()
    {
        {
            const std::lock_guard<std::mutex> guard(pool_mutex);
            if (!idle_handles.empty()) {
                CURL* easy = idle_handles.back();
                idle_handles.pop_back();
                return easy;
            }
        }
        return curl_library().easy_init();
    }

    // The reset drops every option, pointers into the finished transfer and the share
    // included; the connections stay in the share's cache.
    void give_back(CURL* easy)
    {
        curl_library().easy_reset(easy);
        const std::lock_guard<std::mutex> guard(pool_mutex);
        idle_handles.push_back(easy);
    }
};

HttpClient::HttpClient(HttpOptions options)
    : m_options(std::move(options)), m_shared(std::make_unique<Shared>())
{
    if (m_options.insecure_skip_tls_verification) {
        core::log::warn("TLS certificate verification is OFF for model requests "
                        "(insecure_skip_tls_verification): replies can be forged");
    }
}

HttpClient::~HttpClient()
{
    if (m_shared->share == nullptr) {
        return; // no request was made: libcurl may not even be loaded
    }
    const CurlLibrary& curl = curl_library();
    for (CURL* easy : m_shared->idle_handles) {
        curl.easy_cleanup(easy);
    }
    curl.share_cleanup(m_shared->share);
}

Outcome<HttpResponse> HttpClient::send(const HttpRequest& request) const
{
    return send(request, BodySink());
}

namespace {

// Sets every option of one transfer on a clean handle. Proxy options are left alone, so
// libcurl takes them (and no_proxy) from the environment.
void configure(CURL* easy,
               const HttpOptions& options,
               const HttpRequest& request,
               Transfer& transfer,
               curl_slist* headers,
               char* error_text)
{
    const CurlLibrary& curl = curl_library();
    curl.easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl.easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl.easy_setopt(easy, CURLOPT_ERRORBUFFER, error_text);
    curl.easy_setopt(
        easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
    const auto total_timeout = request.total_timeout.value_or(options.total_timeout);
    curl.easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(total_timeout.count()));
    curl.easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
    curl.easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &on_progress);
    curl.easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    curl.easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
    curl.easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
    curl.easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
    curl.easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
    const bool verify = !options.insecure_skip_tls_verification;
    curl.easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);
    curl.easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
    if (options.ca_bundle) {
        curl.easy_setopt(easy, CURLOPT_CAINFO, options.ca_bundle->c_str());
    }
    if (request.method == "GET") {
        curl.easy_setopt(easy, CURLOPT_HTTPGET, 1L);
        return;
    }
    curl.easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl.easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    curl.easy_setopt(
        easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
}

// A certificate that fails verification, or a server that speaks no TLS, fails the same
// way on every attempt, so these are never retried, and each says what to change.
std::optional<Failure> tls_failure(CURLcode code,
                                   const std::string& host,
                                   const std::string& detail,
                                   const std::optional<std::string>& ca_bundle)
{
    if (code == CURLE_SSL_CACERT_BADFILE) {
        return make_failure(
            FailureKind::configuration,
            fmt::format("cannot read the CA bundle '{}' ({}): give a readable PEM file of CA "
                        "certificates with --ca-bundle",
                        ca_bundle.value_or(""),
                        detail));
    }
    // OpenSSL reads a plain HTTP reply to its hello as a record of an unknown version.
    if (code == CURLE_SSL_CONNECT_ERROR
        && detail.find("wrong version number") != std::string::npos) {
        return make_failure(FailureKind::tls,
                            fmt::format("the server at '{}' does not speak TLS ({}): is the base "
                                        "URL's scheme right? (http:// for a server without TLS)",
                                        host,
                                        detail));
    }
    if (code != CURLE_PEER_FAILED_VERIFICATION) {
        return std::nullopt;
    }
    // OpenSSL and libcurl name a wrong host as a subject name or host name mismatch.
    if (detail.find("subject name") != std::string::npos
        || detail.find("host name") != std::string::npos) {
        return make_failure(FailureKind::tls,
                            fmt::format("the TLS certificate of '{}' is not for that host name "
                                        "({}): use a base URL with a name the certificate lists",
                                        host,
                                        detail));
    }
    const std::string trusted =
        ca_bundle ? fmt::format("the CA bundle '{}'", *ca_bundle) : "the system's CA store";
    return make_failure(
        FailureKind::tls,
        fmt::format("the TLS certificate of '{}' could not be verified against {} ({}): if the "
                    "server's certificate comes from a private CA, give that CA's certificate "
                    "as a PEM file with --ca-bundle FILE",
                    host,
                    trusted,
                    detail));
}

Failure transfer_failure(CURLcode code,
                         const Transfer& transfer,
                         const HttpRequest& request,
                         const char* error_text,
                         const HttpOptions& options)
{
    const std::size_t max_body_bytes = options.max_body_bytes;
    const std::optional<std::string>& ca_bundle = options.ca_bundle;
    if (transfer.too_large) {
        return make_failure(FailureKind::reply_too_large,
                            fmt::format("the reply from '{}' is larger than the cap of {} bytes",
                                        host_of(request.url),
                                        max_body_bytes));
    }
    if (code == CURLE_ABORTED_BY_CALLBACK && core::interrupted()) {
        return make_failure(
            FailureKind::interrupted,
            fmt::format("{} {}: interrupted", request.method, host_of(request.url)));
    }
    const std::string detail =
        error_text[0] != '\0' ? error_text : curl_library().easy_strerror(code);
    if (auto tls = tls_failure(code, host_of(request.url), detail, ca_bundle)) {
        return *tls;
    }
    if (code == CURLE_PARTIAL_FILE || code == CURLE_GOT_NOTHING || code == CURLE_RECV_ERROR) {
        Failure failure = make_failure(FailureKind::connection,
                                       fmt::format("the connection to '{}' closed before the "
                                                   "whole reply arrived ({})",
                                                   host_of(request.url),
                                                   detail));
        failure.http_status = static_cast<int>(transfer.response.status);
        return failure;
    }
    const FailureKind kind =
        code == CURLE_OPERATION_TIMEDOUT ? FailureKind::timeout : FailureKind::connection;
    Failure failure = make_failure(
        kind, fmt::format("{} {} failed: {}", request.method, host_of(request.url), detail));
    failure.http_status = static_cast<int>(transfer.response.status);
    return failure;
}

} // namespace

Outcome<HttpResponse> HttpClient::send(const HttpRequest& request, const BodySink& sink) const
{
    CURLSH* share = nullptr;
    try {
        share = m_shared->share_handle();
    } catch (const core::Error& error) {
        return make_failure(FailureKind::configuration, error.message());
    }
    const CurlLibrary& curl = curl_library();
    CURL* easy = m_shared->take_handle();
    if (easy == nullptr) {
        return make_failure(FailureKind::connection, "cannot create a libcurl handle");
    }
    Transfer transfer;
    transfer.easy = easy;
    transfer.sink = sink ? &sink : nullptr;
    transfer.max_body_bytes = m_options.max_body_bytes;
    std::array<char, CURL_ERROR_SIZE> error_text{};
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) {
        headers = curl.slist_append(headers, fmt::format("{}: {}", name, value).c_str());
    }
    // An empty Expect header stops libcurl from waiting for 100 Continue on large bodies.
    headers = curl.slist_append(headers, "Expect:");
    curl.easy_setopt(easy, CURLOPT_SHARE, share);
    configure(easy, m_options, request, transfer, headers, error_text.data());

    const auto started = std::chrono::steady_clock::now();
    const CURLcode code = curl.easy_perform(easy);
    curl.easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &transfer.response.status);
    long new_connections = 0;
    curl.easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &new_connections);
    m_shared->connections_opened += new_connections;
    m_shared->give_back(easy);
    curl.slist_free_all(headers);
    core::log::debug("{} {}: status {} in {} ms",
                     request.method,
                     host_of(request.url),
                     transfer.response.status,
                     std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count());
    if (code != CURLE_OK) {
        return transfer_failure(code, transfer, request, error_text.data(), m_options);
    }
    return std::move(transfer.response);
}

long HttpClient::connections_opened() const
{
    return m_shared->connections_opened.load();
}

std::string url_encode(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else {
            out += fmt::format("%{:02X}", byte);
        }
    }
    return out;
}

} // namespace aiops::llm
