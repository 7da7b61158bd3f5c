#include "report/writers.hpp"

#include <doctest/doctest.h>

namespace report = aiops::report;

TEST_SUITE("report")
{
    TEST_CASE("report::percent_encode_path")
    {
        SUBCASE("unreserved characters and '/' are kept")
        {
            CHECK(report::percent_encode_path("src/My-File_v2.0~bak.py")
                  == "src/My-File_v2.0~bak.py");
        }

        SUBCASE("spaces, '%' and ':' are encoded")
        {
            CHECK(report::percent_encode_path("my dir/a b.py") == "my%20dir/a%20b.py");
            CHECK(report::percent_encode_path("100%.py") == "100%25.py");
            CHECK(report::percent_encode_path("c:/x.py") == "c%3A/x.py");
        }

        SUBCASE("each byte of a non-ASCII character is encoded in uppercase hex")
        {
            CHECK(report::percent_encode_path("caf\xC3\xA9.py") == "caf%C3%A9.py");
            CHECK(report::percent_encode_path("\xE2\x82\xAC") == "%E2%82%AC");
        }

        SUBCASE("other reserved characters are encoded")
        {
            CHECK(report::percent_encode_path("a#b?c&d+e") == "a%23b%3Fc%26d%2Be");
        }
    }

    TEST_CASE("report::escape_workflow_command")
    {
        SUBCASE("a message escapes '%', CR and LF only")
        {
            CHECK(report::escape_workflow_command("50% done\r\nnext: a,b", /*property=*/false)
                  == "50%25 done%0D%0Anext: a,b");
        }

        SUBCASE("a property value also escapes ':' and ','")
        {
            CHECK(report::escape_workflow_command("50% done\r\nnext: a,b", /*property=*/true)
                  == "50%25 done%0D%0Anext%3A a%2Cb");
        }

        SUBCASE("plain text is unchanged")
        {
            CHECK(report::escape_workflow_command("src/app.py", /*property=*/true) == "src/app.py");
            CHECK(report::escape_workflow_command("", /*property=*/false) == "");
        }
    }
}
