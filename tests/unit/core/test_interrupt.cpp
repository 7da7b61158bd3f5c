#include "core/interrupt.hpp"

#include <doctest/doctest.h>

namespace core = aiops::core;

TEST_SUITE("core")
{
    TEST_CASE("core::request_interrupt")
    {
        core::clear_interrupt();
        CHECK_FALSE(core::interrupted());

        core::request_interrupt();
        CHECK(core::interrupted());

        core::clear_interrupt();
        CHECK_FALSE(core::interrupted());
    }
}
