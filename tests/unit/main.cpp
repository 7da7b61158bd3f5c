// The unit test runner: each test case runs in a scratch folder of its own, which is
// removed when the case passes and kept (and named on stderr) when it fails.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace {

namespace fs = std::filesystem;

fs::path g_scratch_root;
fs::path g_original_folder;

struct ScratchFolderListener : doctest::IReporter
{
    explicit ScratchFolderListener(const doctest::ContextOptions& /*options*/) {}

    void test_case_start(const doctest::TestCaseData& data) override
    {
        std::string name = data.m_name;
        for (char& c : name) {
            if (!std::isalnum(static_cast<unsigned char>(c))) {
                c = '_';
            }
        }
        m_folder = g_scratch_root / name;
        std::error_code ec;
        fs::remove_all(m_folder, ec);
        fs::create_directories(m_folder);
        fs::current_path(m_folder);
    }

    void test_case_end(const doctest::CurrentTestCaseStats& stats) override
    {
        fs::current_path(g_original_folder);
        if (stats.testCaseSuccess) {
            std::error_code ec;
            fs::remove_all(m_folder, ec);
        } else {
            std::fprintf(stderr, "scratch folder kept: %s\n", m_folder.c_str());
        }
    }

    void report_query(const doctest::QueryData&) override {}

    void test_run_start() override {}

    void test_run_end(const doctest::TestRunStats&) override {}

    void test_case_reenter(const doctest::TestCaseData&) override {}

    void test_case_exception(const doctest::TestCaseException&) override {}

    void subcase_start(const doctest::SubcaseSignature&) override {}

    void subcase_end() override {}

    void log_assert(const doctest::AssertData&) override {}

    void log_message(const doctest::MessageData&) override {}

    void test_case_skipped(const doctest::TestCaseData&) override {}

    fs::path m_folder;
};

} // namespace

REGISTER_LISTENER("scratch-folder", 1, ScratchFolderListener);

int main(int argc, char** argv)
{
    g_original_folder = fs::current_path();
    std::string pattern = (fs::temp_directory_path() / "aiops-unit-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        std::perror("mkdtemp");
        return 2;
    }
    g_scratch_root = pattern;
    doctest::Context context(argc, argv);
    const int status = context.run();
    std::error_code ec;
    if (status == 0) {
        fs::remove_all(g_scratch_root, ec);
    }
    return status;
}
