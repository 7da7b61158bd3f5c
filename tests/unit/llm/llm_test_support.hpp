#pragma once

// What the llm tests share: client options aimed at a mock server, a sleeper that only
// records, and a capture of stderr for checking log lines.

#include "llm/model_client.hpp"
#include "mock_server.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace aiops::test {

/// The fake key every llm test sends; no output may ever contain it.
inline constexpr const char* k_fake_key = "sk-FAKE-test-key-0000";
inline constexpr const char* k_fake_key_variable = "AIOPS_TEST_FAKE_API_KEY";

/// The waits a client asked for, instead of sleeping.
struct RecordedSleeps
{
    std::shared_ptr<std::vector<std::chrono::milliseconds>> waits =
        std::make_shared<std::vector<std::chrono::milliseconds>>();

    llm::Sleeper sleeper() const
    {
        return [waits = waits](std::chrono::milliseconds wait) { waits->push_back(wait); };
    }
};

/// Options for a client of `kind` talking to the mock server: the fake key in its
/// variable, no real sleeping, a fixed jitter of 0.5, short timeouts.
llm::ModelClientOptions
mock_options(const MockModelServer& server, llm::ProviderKind kind, const RecordedSleeps& sleeps);

/// A one-message request.
llm::Request simple_request(const std::string& model, const std::string& text = "Say hi.");

/// Sends what the process writes to stderr into a file while it lives.
class StderrCapture
{
public:
    StderrCapture();
    ~StderrCapture();
    StderrCapture(const StderrCapture&) = delete;
    StderrCapture& operator=(const StderrCapture&) = delete;

    /// Everything written so far.
    std::string text() const;

private:
    int m_saved = -1;
    std::string m_path;
};

/// Every file under a folder, concatenated.
std::string read_tree(const std::string& folder);

} // namespace aiops::test
