#include "llm_test_support.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace aiops::test {

llm::ModelClientOptions
mock_options(const MockModelServer& server, llm::ProviderKind kind, const RecordedSleeps& sleeps)
{
    ::setenv(k_fake_key_variable, k_fake_key, 1);
    llm::ModelClientOptions options;
    options.provider.kind = kind;
    options.provider.base_url =
        kind == llm::ProviderKind::openai ? server.url() + "/v1" : server.url();
    options.provider.api_key_env = k_fake_key_variable;
    options.http.connect_timeout = std::chrono::milliseconds(2'000);
    options.http.total_timeout = std::chrono::milliseconds(5'000);
    options.sleeper = sleeps.sleeper();
    options.random = [] { return 0.5; };
    return options;
}

llm::Request simple_request(const std::string& model, const std::string& text)
{
    llm::Request request;
    request.model = model;
    request.messages = {{llm::Role::system, "You are terse."}, {llm::Role::user, text}};
    return request;
}

StderrCapture::StderrCapture() : m_path("stderr-capture.txt")
{
    std::fflush(stderr);
    m_saved = ::dup(STDERR_FILENO);
    const int fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
}

StderrCapture::~StderrCapture()
{
    std::fflush(stderr);
    ::dup2(m_saved, STDERR_FILENO);
    ::close(m_saved);
}

std::string StderrCapture::text() const
{
    std::fflush(stderr);
    std::ifstream in(m_path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string read_tree(const std::string& folder)
{
    std::string all;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
        if (entry.is_regular_file()) {
            std::ifstream in(entry.path(), std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            all += text.str();
        }
    }
    return all;
}

} // namespace aiops::test
