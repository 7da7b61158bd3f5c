#include "generate/extract.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace core = aiops::core;
namespace generate = aiops::generate;

using Strings = std::vector<std::string>;

namespace {

const Strings k_two{"app/api.py", "app/store.py"};

std::vector<generate::ExtractedFile> extracted(const std::string& reply, const Strings& outputs)
{
    auto files = generate::extract_files(reply, outputs);
    if (!files) {
        FAIL_CHECK(files.error().message());
    }
    REQUIRE(files.ok());
    return *files;
}

std::string refusal(const std::string& reply, const Strings& outputs)
{
    auto files = generate::extract_files(reply, outputs);
    REQUIRE_FALSE(files.ok());
    CHECK(files.error().code() == core::ErrorCode::input);
    return files.error().message();
}

Strings paths(const std::vector<generate::ExtractedFile>& files)
{
    Strings out;
    for (const auto& file : files) {
        out.push_back(file.path);
    }
    return out;
}

} // namespace

TEST_SUITE("generate")
{
    TEST_CASE("generate::extract_files")
    {
        SUBCASE("a path in the info string, after the language or alone, prose ignored")
        {
            const auto files = extracted("Here are the files.\n\n"
                                         "```python path=app/api.py\nimport flask\n```\n\n"
                                         "And the store:\n\n"
                                         "```app/store.py\nclass UserStore:\n    pass\n```\n"
                                         "Run it with flask run.\n",
                                         k_two);
            CHECK(paths(files) == Strings{"app/api.py", "app/store.py"});
            CHECK(files[0].content == "import flask\n");
            CHECK(files[0].line == 3);
            CHECK(files[1].content == "class UserStore:\n    pass\n");
        }

        SUBCASE("file=, filename= and quoted values in the info string")
        {
            const auto files = extracted("```python file=\"app/api.py\"\na = 1\n```\n"
                                         "```py filename=app/store.py\nb = 2\n```\n",
                                         k_two);
            CHECK(paths(files) == Strings{"app/api.py", "app/store.py"});
        }

        SUBCASE("the path on the line before: a heading, File:, bold, backticks")
        {
            for (const std::string label : {"### app/api.py",
                                            "File: app/api.py",
                                            "**app/api.py**",
                                            "`app/api.py`:",
                                            "**File:** `app/api.py`",
                                            "1. app/api.py"}) {
                CAPTURE(label);
                // No outputs declared: only the label can name the block.
                const auto files = extracted(label + "\n\n```python\nx = 1\n```\n", {});
                REQUIRE(files.size() == 1);
                CHECK(files[0].path == "app/api.py");
                CHECK(files[0].content == "x = 1\n");
            }
        }

        SUBCASE("a sentence on the line before is no path")
        {
            const auto message = refusal("Here is the code for the store:\n```python\nx = 1\n```\n"
                                         "```python\ny = 2\n```\n",
                                         k_two);
            CHECK(message.find("'app/api.py', 'app/store.py' are missing, and the blocks at "
                               "lines 2, 5 name no path")
                  != std::string::npos);
            CHECK(message.find("  lines 1-1: prose\n  lines 2-4: ```python -> no path")
                  != std::string::npos);
        }

        SUBCASE("one block for a one-file spec, whatever it is called")
        {
            const auto files =
                extracted("Sure!\n```python\nprint('hi')\n```\nEnjoy.\n", {"hello.py"});
            REQUIRE(files.size() == 1);
            CHECK(files[0].path == "hello.py");
            CHECK(files[0].content == "print('hi')\n");
        }

        SUBCASE("two blocks without a path for a one-file spec are ambiguous")
        {
            const auto message =
                refusal("```python\na = 1\n```\n```python\nb = 2\n```\n", {"hello.py"});
            CHECK(
                message.starts_with("reply: 'hello.py' is missing, and the blocks at lines 1, 4"));
        }

        SUBCASE("a README with a code sample inside: the nested fence does not end the file")
        {
            const Strings outputs{"README.md"};
            const auto files = extracted("```markdown path=README.md\n# Users\n\nStart it:\n\n"
                                         "```bash\nflask run\n```\n\nThat is all.\n```\n",
                                         outputs);
            REQUIRE(files.size() == 1);
            CHECK(files[0].content
                  == "# Users\n\nStart it:\n\n```bash\nflask run\n```\n\nThat is all.\n");
        }

        SUBCASE("a longer outer fence holds shorter fences as text")
        {
            const auto files =
                extracted("````md path=README.md\n```\ncode\n```\n````\n", {"README.md"});
            REQUIRE(files.size() == 1);
            CHECK(files[0].content == "```\ncode\n```\n");
        }

        SUBCASE("a leading './' is dropped")
        {
            const auto files = extracted("```python path=./app/api.py\na\n```\n"
                                         "File: ./app/store.py\n```python\nb\n```\n",
                                         k_two);
            CHECK(paths(files) == Strings{"app/api.py", "app/store.py"});
        }

        SUBCASE("tildes and CRLF line ends")
        {
            const auto files = extracted("~~~python path=a.py\r\nx = 1\r\n~~~\r\n", {"a.py"});
            REQUIRE(files.size() == 1);
            CHECK(files[0].content == "x = 1\n");
        }

        SUBCASE("a block without a path beside complete files is ignored")
        {
            const auto files = extracted("```python path=app/api.py\na\n```\n```bash\npip install "
                                         "flask\n```\n```python path=app/store.py\nb\n```\n",
                                         k_two);
            CHECK(paths(files) == Strings{"app/api.py", "app/store.py"});
        }

        SUBCASE("an unclosed block, a reply cut short, is an error")
        {
            const auto message = refusal("```python path=app/api.py\nimport fla", {"app/api.py"});
            CHECK(message.starts_with("reply: the block at line 1 is not closed"));
            CHECK(message.find("(not closed)") != std::string::npos);
        }

        SUBCASE("a path given twice is an error")
        {
            const auto message =
                refusal("```python path=a.py\n1\n```\n```python path=a.py\n2\n```\n", {"a.py"});
            CHECK(message.starts_with("reply: 'a.py' appears twice (again at line 4)"));
        }

        SUBCASE("no block at all is an error showing the prose")
        {
            const auto message = refusal("I cannot do that.\n", {"a.py"});
            CHECK(message
                  == "reply: it holds no fenced code block; the reply's outline:\n  lines 1-1: "
                     "prose");
        }

        SUBCASE("a declared output missing from named blocks is an error")
        {
            const auto message = refusal("```python path=app/api.py\na\n```\n", k_two);
            CHECK(message.starts_with("reply: 'app/store.py' is missing from the reply"));
        }

        SUBCASE("paths are kept as written, for the writer to refuse")
        {
            const auto files = extracted(
                "```python path=/etc/passwd\nx\n```\n```python path=../up.py\ny\n```\n", {});
            CHECK(paths(files) == Strings{"/etc/passwd", "../up.py"});
        }
    }
}
