#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "llm/curl_library.hpp"
#include "llm/http_client.hpp"
#include "llm/model_client.hpp"
#include "llm/retry.hpp"
#include "llm_test_support.hpp"
#include "mock_server.hpp"
#include "printers.hpp"
#include "tls_server.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <thread>

namespace llm = aiops::llm;
namespace test = aiops::test;

namespace {

// Sets an environment variable for one scope and restores it after.
class ScopedEnv
{
public:
    ScopedEnv(const char* name, const char* value) : m_name(name)
    {
        if (const char* old = std::getenv(name)) {
            m_old = old;
        }
        if (value == nullptr) {
            ::unsetenv(name);
        } else {
            ::setenv(name, value, 1);
        }
    }

    ~ScopedEnv()
    {
        if (m_old) {
            ::setenv(m_name.c_str(), m_old->c_str(), 1);
        } else {
            ::unsetenv(m_name.c_str());
        }
    }

    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    std::string m_name;
    std::optional<std::string> m_old;
};

} // namespace

TEST_SUITE("llm")
{
    TEST_CASE("llm::HttpClient")
    {
        test::MockModelServer server;
        llm::HttpClient client;

        SUBCASE("a POST with headers, and the reply's headers lowercased")
        {
            server.script({test::error_reply(201, "created", {{"X-Custom-Thing", "v1"}})});
            llm::HttpRequest request;
            request.url = server.url() + "/echo";
            request.headers = {{"Content-Type", "application/json"}, {"X-Trace", "t-1"}};
            request.body = R"({"a":1})";
            auto response = client.send(request);
            REQUIRE(response.ok());
            CHECK(response->status == 201);
            CHECK(response->body == "created");
            CHECK(response->header("x-custom-thing") == std::optional<std::string>("v1"));
            const auto received = server.requests();
            REQUIRE(received.size() == 1);
            CHECK(received[0].method == "POST");
            CHECK(received[0].body == R"({"a":1})");
            CHECK(received[0].headers.at("x-trace") == "t-1");
            CHECK(received[0].headers.count("expect") == 0);
        }

        SUBCASE("calls reuse pooled connections")
        {
            server.script({test::error_reply(200, "ok")});
            for (int i = 0; i < 4; ++i) {
                REQUIRE(client.send({"GET", server.url() + "/x", {}, ""}).ok());
            }
            CHECK(client.connections_opened() == 1);
            // A fresh client has a pool of its own.
            llm::HttpClient other;
            REQUIRE(other.send({"GET", server.url() + "/x", {}, ""}).ok());
            CHECK(other.connections_opened() == 1);
            CHECK(server.requests().size() == 5);
        }

        SUBCASE("PUT and GET")
        {
            server.script({test::error_reply(200, "put"), test::error_reply(200, "got")});
            llm::HttpRequest put{"PUT", server.url() + "/x", {}, "body"};
            CHECK(client.send(put)->body == "put");
            llm::HttpRequest get{"GET", server.url() + "/x", {}, ""};
            CHECK(client.send(get)->body == "got");
            CHECK(server.requests()[0].method == "PUT");
            CHECK(server.requests()[1].method == "GET");
        }

        SUBCASE("a request's own total timeout replaces the client's")
        {
            llm::HttpClient patient;
            auto slow = test::error_reply(200, "late");
            slow.delay = std::chrono::milliseconds(400);
            server.script({slow});
            llm::HttpRequest request{"GET", server.url() + "/slow", {}, ""};
            request.total_timeout = std::chrono::milliseconds(100);
            auto response = patient.send(request);
            REQUIRE_FALSE(response.ok());
            CHECK(response.failure().kind == llm::FailureKind::timeout);
        }

        SUBCASE("an interrupt stops a transfer that waits for its reply")
        {
            llm::HttpClient patient;
            auto hung = test::error_reply(200, "late");
            hung.delay = std::chrono::milliseconds(4000);
            server.script({hung});
            std::thread interrupter([] {
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                aiops::core::request_interrupt();
            });
            const auto started = std::chrono::steady_clock::now();
            auto response = patient.send({"GET", server.url() + "/hung", {}, ""});
            const auto took = std::chrono::steady_clock::now() - started;
            interrupter.join();
            aiops::core::clear_interrupt();
            REQUIRE_FALSE(response.ok());
            CHECK(response.failure().kind == llm::FailureKind::interrupted);
            CHECK(took < std::chrono::milliseconds(2000));
        }

        SUBCASE("the connect timeout and the total timeout are separate")
        {
            llm::HttpOptions options;
            options.total_timeout = std::chrono::milliseconds(100);
            llm::HttpClient quick(options);
            auto slow = test::error_reply(200, "late");
            slow.delay = std::chrono::milliseconds(400);
            server.script({slow});
            auto response = quick.send({"GET", server.url() + "/slow", {}, ""});
            REQUIRE_FALSE(response.ok());
            CHECK(response.failure().kind == llm::FailureKind::timeout);
            CHECK(response.failure().message.find("127.0.0.1") != std::string::npos);
        }

        SUBCASE("an interrupt stops a call that is waiting for its reply")
        {
            auto slow = test::error_reply(200, "late");
            slow.delay = std::chrono::milliseconds(5'000);
            server.script({slow});
            std::thread interrupter([] {
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                aiops::core::request_interrupt();
            });
            const auto started = std::chrono::steady_clock::now();
            auto response = client.send({"GET", server.url() + "/slow", {}, ""});
            const auto waited = std::chrono::steady_clock::now() - started;
            interrupter.join();
            aiops::core::clear_interrupt();
            REQUIRE_FALSE(response.ok());
            CHECK(response.failure().kind == llm::FailureKind::interrupted);
            CHECK(response.failure().message
                  == "GET 127.0.0.1:" + std::to_string(server.port()) + ": interrupted");
            CHECK(response.failure().to_error().code() == aiops::core::ErrorCode::interrupted);
            CHECK(waited < std::chrono::milliseconds(2'000));
        }

        SUBCASE("many threads share one client")
        {
            server.script({test::error_reply(200, "ok")});
            std::atomic<int> good{0};
            std::vector<std::thread> threads;
            for (int t = 0; t < 4; ++t) {
                threads.emplace_back([&] {
                    for (int i = 0; i < 10; ++i) {
                        auto response = client.send({"GET", server.url() + "/x", {}, ""});
                        if (response.ok() && response->body == "ok") {
                            ++good;
                        }
                    }
                });
            }
            for (auto& thread : threads) {
                thread.join();
            }
            CHECK(good == 40);
        }

        SUBCASE("the proxy comes from the environment")
        {
            test::MockModelServer proxy;
            proxy.script({test::error_reply(200, "via proxy")});
            const ScopedEnv http_proxy("http_proxy", proxy.url().c_str());
            const ScopedEnv no_proxy("no_proxy", nullptr);
            const ScopedEnv upper_no_proxy("NO_PROXY", nullptr);
            llm::HttpClient proxied;
            // The .test name never resolves: only the loopback proxy is reached.
            auto response = proxied.send({"GET", "http://model.test/v1/models", {}, ""});
            REQUIRE(response.ok());
            CHECK(response->body == "via proxy");
            REQUIRE(proxy.requests().size() == 1);
            CHECK(proxy.requests()[0].target.find("model.test") != std::string::npos);
        }

        SUBCASE("NO_PROXY keeps loopback off the proxy")
        {
            const int dead = test::free_loopback_port();
            const std::string dead_proxy = "http://127.0.0.1:" + std::to_string(dead);
            const ScopedEnv http_proxy("http_proxy", dead_proxy.c_str());
            const ScopedEnv no_proxy("NO_PROXY", "127.0.0.1");
            server.script({test::error_reply(200, "direct")});
            llm::HttpClient direct;
            auto response = direct.send({"GET", server.url() + "/x", {}, ""});
            REQUIRE(response.ok());
            CHECK(response->body == "direct");
        }

        SUBCASE("a stream sink gets the body of a 2xx reply; an error body is kept")
        {
            auto piecewise = test::error_reply(200, "");
            piecewise.pieces = {"ab", "cd", "ef"};
            server.script({piecewise, test::error_reply(500, "broken")});
            std::string streamed;
            auto response =
                client.send({"GET", server.url() + "/s", {}, ""}, [&](std::string_view bytes) {
                    streamed.append(bytes);
                    return true;
                });
            REQUIRE(response.ok());
            CHECK(streamed == "abcdef");
            CHECK(response->body.empty());
            streamed.clear();
            auto failed =
                client.send({"GET", server.url() + "/s", {}, ""}, [&](std::string_view bytes) {
                    streamed.append(bytes);
                    return true;
                });
            REQUIRE(failed.ok());
            CHECK(failed->status == 500);
            CHECK(failed->body == "broken");
            CHECK(streamed.empty());
        }

        SUBCASE("https:// to a server without TLS says the scheme is wrong")
        {
            auto response = client.send(
                {"GET", "https://127.0.0.1:" + std::to_string(server.port()) + "/", {}, ""});
            REQUIRE_FALSE(response.ok());
            CHECK(response.failure().kind == llm::FailureKind::tls);
            CHECK_FALSE(llm::RetryPolicy::is_retryable(response.failure()));
            CHECK(response.failure().message.starts_with("the server at '127.0.0.1:"
                                                         + std::to_string(server.port())
                                                         + "' does not speak TLS ("));
            CHECK(response.failure().message.ends_with(
                "): is the base URL's scheme right? (http:// for a server without TLS)"));
        }

        SUBCASE("a user and password in the address stay out of the message")
        {
            auto response = client.send(
                {"GET",
                 "https://user:sk-FAKE-pw@127.0.0.1:" + std::to_string(server.port()) + "/",
                 {},
                 ""});
            REQUIRE_FALSE(response.ok());
            CHECK(response.failure().message.starts_with("the server at '127.0.0.1:"));
            CHECK(response.failure().message.find("sk-FAKE") == std::string::npos);
        }

        SUBCASE("turning verification off says so loudly")
        {
            std::string logged;
            {
                test::StderrCapture capture;
                llm::HttpOptions options;
                options.insecure_skip_tls_verification = true;
                llm::HttpClient insecure(options);
                logged = capture.text();
            }
            CHECK(logged.find("aiops: warning: TLS certificate verification is OFF")
                  != std::string::npos);
        }
    }

    TEST_CASE("llm::HttpClient over TLS")
    {
        const test::TestCertificates certificates = test::make_test_certificates("tls");
        test::TlsTestServer server(
            certificates.server_cert, certificates.server_key, R"({"ok":true})");
        const llm::HttpRequest request{"GET", server.url() + "/v1/models", {}, ""};

        SUBCASE("the CA bundle option makes a private CA's certificate trusted")
        {
            llm::HttpOptions options;
            options.ca_bundle = certificates.ca;
            llm::HttpClient client(options);
            auto response = client.send(request);
            REQUIRE(response.ok());
            CHECK(response->status == 200);
            CHECK(response->body == R"({"ok":true})");
            CHECK(server.requests() == 1);
        }

        SUBCASE("a certificate from a CA the client does not trust fails clearly")
        {
            llm::HttpOptions options;
            options.ca_bundle = certificates.unrelated_ca;
            llm::HttpClient client(options);
            auto response = client.send(request);
            REQUIRE_FALSE(response.ok());
            const llm::Failure& failure = response.failure();
            CHECK(failure.kind == llm::FailureKind::tls);
            CHECK_FALSE(llm::RetryPolicy::is_retryable(failure));
            const std::string host = server.url().substr(std::string("https://").size());
            CHECK(failure.message.starts_with("the TLS certificate of '" + host
                                              + "' could not be verified against the CA bundle '"
                                              + certificates.unrelated_ca + "' ("));
            CHECK(failure.message.ends_with(
                "): if the server's certificate comes from a private CA, give that CA's "
                "certificate as a PEM file with --ca-bundle FILE"));
            CHECK(server.requests() == 0);
        }

        SUBCASE("a certificate for another host name fails, naming the mismatch")
        {
            test::TlsTestServer elsewhere(
                certificates.elsewhere_cert, certificates.elsewhere_key, R"({"ok":true})");
            llm::HttpOptions options;
            options.ca_bundle = certificates.ca;
            llm::HttpClient client(options);
            auto response = client.send({"GET", elsewhere.url() + "/", {}, ""});
            REQUIRE_FALSE(response.ok());
            CHECK(response.failure().kind == llm::FailureKind::tls);
            CHECK(response.failure().message.find("is not for that host name")
                  != std::string::npos);
            CHECK(response.failure().message.find("'127.0.0.1'") != std::string::npos);
            CHECK(response.failure().message.ends_with(
                ": use a base URL with a name the certificate lists"));
            CHECK(elsewhere.requests() == 0);
        }

        SUBCASE("a CA bundle that cannot be read is a configuration failure")
        {
            llm::HttpOptions options;
            options.ca_bundle = "no-such-bundle.pem";
            llm::HttpClient client(options);
            auto response = client.send(request);
            REQUIRE_FALSE(response.ok());
            CHECK(response.failure().kind == llm::FailureKind::configuration);
            CHECK(response.failure().message.starts_with(
                "cannot read the CA bundle 'no-such-bundle.pem' ("));
            CHECK(server.requests() == 0);
        }

        SUBCASE("the insecure setting skips verification and says so")
        {
            std::string logged;
            {
                test::StderrCapture capture;
                llm::HttpOptions options;
                options.ca_bundle = certificates.unrelated_ca;
                options.insecure_skip_tls_verification = true;
                llm::HttpClient client(options);
                auto response = client.send(request);
                REQUIRE(response.ok());
                CHECK(response->status == 200);
                logged = capture.text();
            }
            CHECK(logged.find("aiops: warning: TLS certificate verification is OFF")
                  != std::string::npos);
            CHECK(server.requests() == 1);
        }
    }

    TEST_CASE("llm::ModelClient over TLS")
    {
        const test::TestCertificates certificates = test::make_test_certificates("tls");
        test::TlsTestServer server(
            certificates.server_cert, certificates.server_key, test::openai_reply("over TLS").body);
        test::MockModelServer unused;
        test::RecordedSleeps sleeps;
        auto options = test::mock_options(unused, llm::ProviderKind::openai, sleeps);
        options.provider.base_url = server.url() + "/v1";
        options.retry.max_attempts = 3;

        SUBCASE("a call through a trusted private CA")
        {
            options.http.ca_bundle = certificates.ca;
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o-mini"));
            REQUIRE(done.ok());
            CHECK(done->reply.text == "over TLS");
            CHECK(done->attempts == 1);
        }

        SUBCASE("a verification failure is reported at once, not retried")
        {
            options.http.ca_bundle = certificates.unrelated_ca;
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o-mini"));
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::tls);
            CHECK(done.failure().message.find("--ca-bundle FILE") != std::string::npos);
            CHECK(sleeps.waits->empty());
            CHECK(server.requests() == 0);
        }
    }

    TEST_CASE("llm::load_curl_library")
    {
        SUBCASE("the library the binary was built for has every entry point")
        {
            const llm::CurlLibrary library = llm::load_curl_library(llm::curl_library_file);
            CHECK((library.easy_init != nullptr));
            CHECK((library.slist_free_all != nullptr));
            CHECK(std::string(library.easy_strerror(CURLE_OPERATION_TIMEDOUT))
                  == "Timeout was reached");
        }
        SUBCASE("a missing library names itself and the package to install")
        {
            try {
                (void)llm::load_curl_library("libcurl-not-installed.so.4");
                FAIL("a missing library was loaded");
            } catch (const aiops::core::Error& error) {
                CHECK(error.code() == aiops::core::ErrorCode::internal);
                const std::string message = error.message();
                CHECK(message.find("'libcurl-not-installed.so.4'") != std::string::npos);
                CHECK(message.find("cannot open shared object file") != std::string::npos);
                CHECK(message.find("install the Debian package 'libcurl4'") != std::string::npos);
            }
        }
        SUBCASE("a library without libcurl's functions is refused by name")
        {
            try {
                (void)llm::load_curl_library("libz.so.1");
                FAIL("a library without libcurl's functions was taken for libcurl");
            } catch (const aiops::core::Error& error) {
                CHECK(error.message()
                      == "the libcurl loaded from 'libz.so.1' has no function 'curl_global_init': "
                         "install the Debian package 'libcurl4' (7.85 or later)");
            }
        }
    }

    TEST_CASE("llm::url_encode")
    {
        CHECK(llm::url_encode("a-b_c.d~e") == "a-b_c.d~e");
        CHECK(llm::url_encode("job name/1") == "job%20name%2F1");
    }
}
