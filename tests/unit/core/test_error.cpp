#include "core/error.hpp"

#include <doctest/doctest.h>

#include <string>

namespace core = aiops::core;

using core::ErrorCode;
using core::ExitCode;

TEST_SUITE("core")
{
    TEST_CASE("core::Result")
    {
        SUBCASE("a result made from a value holds it")
        {
            core::Result<int> result = 42;
            CHECK(result.ok());
            CHECK(static_cast<bool>(result));
            CHECK(result.value() == 42);
            CHECK(*result == 42);
        }

        SUBCASE("a result made from an error holds the error")
        {
            core::Result<int> result = core::Error(ErrorCode::io, "'a.py': permission denied");
            CHECK_FALSE(result.ok());
            CHECK_FALSE(static_cast<bool>(result));
            CHECK(result.error().code() == ErrorCode::io);
            CHECK(result.error().message() == "'a.py': permission denied");
        }

        SUBCASE("the arrow reaches the value's members")
        {
            core::Result<std::string> result = std::string("abc");
            CHECK(result->size() == 3);
        }

        SUBCASE("take() gives the value")
        {
            core::Result<std::string> result = std::string("abc");
            CHECK(std::move(result).take() == "abc");
        }

        SUBCASE("take() throws the error")
        {
            core::Result<std::string> result = core::Error(ErrorCode::usage, "unknown check 'x'");
            CHECK_THROWS_AS(std::move(result).take(), core::Error);

            core::Result<std::string> again = core::Error(ErrorCode::usage, "unknown check 'x'");
            try {
                (void)std::move(again).take();
                FAIL("take() did not throw");
            } catch (const core::Error& error) {
                CHECK(error.code() == ErrorCode::usage);
                CHECK(error.message() == "unknown check 'x'");
            }
        }
    }

    TEST_CASE("core::Error")
    {
        const core::Error error(ErrorCode::internal, "openssl: cannot initialise SHA-256");
        CHECK(error.code() == ErrorCode::internal);
        CHECK(std::string(error.what()) == "openssl: cannot initialise SHA-256");
    }

    TEST_CASE("core::exit_code_for")
    {
        CHECK(core::exit_code_for(ErrorCode::usage) == ExitCode::usage);
        CHECK(core::exit_code_for(ErrorCode::input) == ExitCode::usage);
        CHECK(core::exit_code_for(ErrorCode::io) == ExitCode::failure);
        CHECK(core::exit_code_for(ErrorCode::internal) == ExitCode::failure);
        CHECK(core::exit_code_for(ErrorCode::interrupted) == ExitCode::interrupted);

        SUBCASE("the exit codes have the documented numbers")
        {
            CHECK(static_cast<int>(ExitCode::success) == 0);
            CHECK(static_cast<int>(ExitCode::gate_failed) == 1);
            CHECK(static_cast<int>(ExitCode::usage) == 2);
            CHECK(static_cast<int>(ExitCode::failure) == 3);
            CHECK(static_cast<int>(ExitCode::interrupted) == 130);
        }
    }
}
