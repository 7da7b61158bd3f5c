#include "llm/mock_server.hpp"
#include "llm/model_client.hpp"
#include "metrics/llm_metrics.hpp"
#include "printers.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <limits>
#include <sstream>

namespace llm = aiops::llm;
namespace metrics = aiops::metrics;
namespace test = aiops::test;

namespace {

llm::CallRecord call(const std::string& model,
                     const std::string& status,
                     double seconds,
                     std::int64_t input,
                     std::int64_t output,
                     double cost)
{
    llm::CallRecord record;
    record.provider = "openai";
    record.model = model;
    record.status = status;
    record.latency_seconds = seconds;
    record.reached_provider = status == "ok";
    record.usage = {input, output, input / 2, input / 4};
    record.cost_usd = cost;
    return record;
}

void record_sample(metrics::LlmMetrics& recorded)
{
    recorded.observe(call("gpt-4o-mini", "ok", 0.05, 100, 10, 0.25));
    recorded.observe(call("gpt-4o-mini", "ok", 1.5, 200, 20, 0.5));
    recorded.observe(call("gpt-4o-mini", "cache_hit", 0.001, 0, 0, 0));
    recorded.observe(call("gpt-4o-mini", "http_status", 12.0, 0, 0, 0));
    recorded.observe(call("odd\"model\\x\ny", "ok", 7, 1, 1, 0.125));
}

bool has_line(const std::string& text, const std::string& line)
{
    std::istringstream in(text);
    std::string each;
    while (std::getline(in, each)) {
        if (each == line) {
            return true;
        }
    }
    return false;
}

} // namespace

TEST_SUITE("metrics")
{
    TEST_CASE("metrics::LlmMetrics::exposition")
    {
        metrics::LlmMetrics recorded;
        record_sample(recorded);
        const std::string text = recorded.exposition();
        CHECK(has_line(text, "# TYPE llm_requests_total counter"));
        CHECK(has_line(text, R"(llm_requests_total{model="gpt-4o-mini",status="ok"} 2)"));
        CHECK(has_line(text, R"(llm_requests_total{model="gpt-4o-mini",status="cache_hit"} 1)"));
        CHECK(has_line(text, R"(llm_requests_total{model="gpt-4o-mini",status="http_status"} 1)"));
        CHECK(has_line(text, "# TYPE llm_latency_seconds histogram"));
        CHECK(has_line(text, R"(llm_latency_seconds_bucket{model="gpt-4o-mini",le="0.1"} 1)"));
        CHECK(has_line(text, R"(llm_latency_seconds_bucket{model="gpt-4o-mini",le="1"} 1)"));
        CHECK(has_line(text, R"(llm_latency_seconds_bucket{model="gpt-4o-mini",le="2"} 2)"));
        CHECK(has_line(text, R"(llm_latency_seconds_bucket{model="gpt-4o-mini",le="10"} 2)"));
        CHECK(has_line(text, R"(llm_latency_seconds_bucket{model="gpt-4o-mini",le="+Inf"} 2)"));
        CHECK(has_line(text, R"(llm_latency_seconds_sum{model="gpt-4o-mini"} 1.55)"));
        CHECK(has_line(text, R"(llm_latency_seconds_count{model="gpt-4o-mini"} 2)"));
        CHECK(has_line(text, R"(llm_tokens_total{model="gpt-4o-mini",kind="input"} 300)"));
        CHECK(has_line(text, R"(llm_tokens_total{model="gpt-4o-mini",kind="output"} 30)"));
        CHECK(has_line(text, R"(llm_tokens_total{model="gpt-4o-mini",kind="cached_input"} 150)"));
        CHECK(
            has_line(text, R"(llm_tokens_total{model="gpt-4o-mini",kind="cache_write_input"} 75)"));
        CHECK(has_line(text, R"(llm_cost_usd_total{model="gpt-4o-mini"} 0.75)"));
        CHECK(has_line(text, R"(llm_cost_usd_total{model="odd\"model\\x\ny"} 0.125)"));
    }

    TEST_CASE("metrics::escape_label_value")
    {
        CHECK(metrics::escape_label_value("plain") == "plain");
        CHECK(metrics::escape_label_value("a\"b\\c\nd") == R"(a\"b\\c\nd)");
    }

    TEST_CASE("metrics::Exposition")
    {
        metrics::Exposition out;
        out.family("demo_ratio", "gauge", "A share, with a \\ and a\nsecond line.");
        out.sample("demo_ratio", {{"case", "a"}}, 0.125);
        out.sample("demo_ratio", {}, 1);
        out.sample("demo_ratio", {{"x", "q\"b\\"}, {"y", ""}}, 1e-05);
        CHECK(out.text()
              == "# HELP demo_ratio A share, with a \\\\ and a\\nsecond line.\n"
                 "# TYPE demo_ratio gauge\n"
                 "demo_ratio{case=\"a\"} 0.125\n"
                 "demo_ratio 1\n"
                 R"(demo_ratio{x="q\"b\\",y=""} 1e-05)"
                 "\n");

        SUBCASE("a family opened twice is refused")
        {
            CHECK_THROWS_AS(out.family("demo_ratio", "gauge", "again"), std::logic_error);
        }
    }

    TEST_CASE("metrics::format_value")
    {
        CHECK(metrics::format_value(0.75) == "0.75");
        CHECK(metrics::format_value(3) == "3");
        CHECK(metrics::format_value(1.08e-05) == "1.08e-05");
        CHECK(metrics::format_value(std::numeric_limits<double>::infinity()) == "+Inf");
        CHECK(metrics::format_value(-std::numeric_limits<double>::infinity()) == "-Inf");
        CHECK(metrics::format_value(std::numeric_limits<double>::quiet_NaN()) == "NaN");
    }

    TEST_CASE("metrics::LlmMetrics::write_file")
    {
        metrics::LlmMetrics recorded;
        record_sample(recorded);
        REQUIRE(recorded.write_file("out/llm.prom").ok());
        std::ifstream in("out/llm.prom");
        std::stringstream text;
        text << in.rdbuf();
        CHECK(text.str() == recorded.exposition());
        CHECK(std::distance(std::filesystem::directory_iterator("out"),
                            std::filesystem::directory_iterator())
              == 1);

        const auto promtool = test::find_program("promtool");
        REQUIRE_MESSAGE(promtool.has_value(),
                        "'promtool' not found: install the Debian package 'prometheus'");
        CHECK(test::run(*promtool + " check metrics < out/llm.prom > promtool.txt 2>&1") == 0);
        // promtool fails a file that breaks the format, so the check above can fail.
        test::write_file("bad.prom", "llm_requests_total{model=\"x} 1\n");
        CHECK(test::run(*promtool + " check metrics < bad.prom > /dev/null 2>&1") != 0);
    }

    TEST_CASE("metrics::LlmMetrics::push")
    {
        const auto gateway = test::start_pushgateway();
        const std::string url = "http://127.0.0.1:" + std::to_string(gateway->port());
        llm::HttpClient http;
        metrics::LlmMetrics recorded;
        record_sample(recorded);
        REQUIRE(recorded.push(http, url + "/", "aiops behave").ok());

        auto scraped = http.send({"GET", url + "/metrics", {}, ""});
        REQUIRE(scraped.ok());
        REQUIRE(scraped->status == 200);
        const std::string& text = scraped->body;
        test::write_file("scraped.txt", text); // kept for a look when a check fails
        CHECK(has_line(
            text,
            R"(llm_requests_total{instance="",job="aiops behave",model="gpt-4o-mini",status="ok"} 2)"));
        CHECK(has_line(
            text,
            R"(llm_cost_usd_total{instance="",job="aiops behave",model="gpt-4o-mini"} 0.75)"));
        CHECK(has_line(
            text,
            R"(llm_latency_seconds_bucket{instance="",job="aiops behave",model="gpt-4o-mini",le="2"} 2)"));
        CHECK(has_line(
            text,
            R"(llm_tokens_total{instance="",job="aiops behave",kind="input",model="gpt-4o-mini"} 300)"));

        SUBCASE("grouping labels push a group of its own beside the job's")
        {
            metrics::Exposition other;
            other.family("demo_ratio", "gauge", "A share.");
            other.sample("demo_ratio", {}, 0.5);
            REQUIRE(metrics::push_exposition(
                        http, url, "aiops behave", other.text(), {{"shard", "2-of-3"}})
                        .ok());
            auto both = http.send({"GET", url + "/metrics", {}, ""});
            REQUIRE(both.ok());
            CHECK(has_line(both->body,
                           R"(demo_ratio{instance="",job="aiops behave",shard="2-of-3"} 0.5)"));
            CHECK(has_line(
                both->body,
                R"(llm_cost_usd_total{instance="",job="aiops behave",model="gpt-4o-mini"} 0.75)"));
        }
        SUBCASE("a refused push is an error")
        {
            auto refused = recorded.push(http, url + "/nowhere/at/all", "x");
            REQUIRE_FALSE(refused.ok());
            CHECK(refused.error().message().find("HTTP") != std::string::npos);
        }
    }

    TEST_CASE("metrics::LlmMetrics observes a ModelClient")
    {
        test::MockModelServer server;
        server.script({test::openai_reply("hi", "stop", 40, 8, 0)});
        metrics::LlmMetrics recorded;
        llm::ModelClientOptions options;
        options.provider.base_url = server.url() + "/v1";
        options.provider.api_key_env = "";
        options.observer = recorded.observer();
        llm::ModelClient client(options);
        llm::Request request;
        request.model = "gpt-4o-mini";
        request.messages = {{llm::Role::user, "hi"}};
        REQUIRE(client.complete(request).ok());
        const std::string text = recorded.exposition();
        CHECK(has_line(text, R"(llm_requests_total{model="gpt-4o-mini",status="ok"} 1)"));
        CHECK(has_line(text, R"(llm_tokens_total{model="gpt-4o-mini",kind="input"} 40)"));
        CHECK(has_line(text, R"(llm_latency_seconds_count{model="gpt-4o-mini"} 1)"));
        CHECK(has_line(text, R"(llm_cost_usd_total{model="gpt-4o-mini"} 1.08e-05)"));
    }
}
