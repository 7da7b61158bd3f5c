#include "core/interrupt.hpp"
#include "prompt/command.hpp"
#include "source/source_file.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;
namespace prompt = aiops::prompt;
namespace test = aiops::test;

namespace {

std::string read_text(const fs::path& path)
{
    return aiops::source::read_file(path).take();
}

} // namespace

TEST_SUITE("prompt")
{
    TEST_CASE("prompt::run_prompt_command")
    {
        test::write_file("prompts/greet.prompt.yaml",
                         "name: greet\nmessages:\n  - role: user\n    template: Hi\n");

        SUBCASE("an interrupt stops every subcommand, and lock leaves the lock as it was")
        {
            prompt::PromptCommandOptions lock;
            lock.action = prompt::PromptAction::lock;
            std::ostringstream ignored;
            REQUIRE(prompt::run_prompt_command(lock, ignored).ok());
            const std::string locked = read_text("prompts.lock");
            test::write_file("prompts/greet.prompt.yaml",
                             "name: greet\nmessages:\n  - role: user\n    template: Hello\n");
            for (const auto action : {prompt::PromptAction::list,
                                      prompt::PromptAction::lock,
                                      prompt::PromptAction::verify,
                                      prompt::PromptAction::lint}) {
                prompt::PromptCommandOptions options;
                options.action = action;
                std::ostringstream out;
                aiops::core::request_interrupt();
                const auto result = prompt::run_prompt_command(options, out);
                aiops::core::clear_interrupt();
                REQUIRE_FALSE(result.ok());
                CHECK(result.error().code() == aiops::core::ErrorCode::interrupted);
                CHECK(out.str().empty());
            }
            CHECK(read_text("prompts.lock") == locked);
        }
    }
}
