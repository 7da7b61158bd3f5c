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

        SUBCASE("a README whose code sample opens with a bare fence is read whole")
        {
            const Strings outputs{"calc.py", "README.md"};
            const std::string readme = "# T\n\nRun:\n\n```\npython calc.py\n```\n";
            const auto files = extracted("```python path=calc.py\ndef add(a: int, b: int = 0) -> "
                                         "int:\n    return a + b\n```\n```markdown path=README.md\n"
                                             + readme + "```\n",
                                         outputs);
            REQUIRE(files.size() == 2);
            CHECK(files[1].path == "README.md");
            CHECK(files[1].content == readme);
        }

        SUBCASE("a README first, its bare sample indented in a list, then the code")
        {
            const Strings outputs{"calc.py", "README.md"};
            const std::string readme =
                "# T\n\nSteps:\n\n1. Install:\n\n   ```\n   pip install calc\n   ```\n\n2. Done.\n";
            const auto files = extracted("```md path=README.md\n" + readme
                                             + "```\n\nAnd the code:\n\n```python path=calc.py\n"
                                               "x = 1\n```\n",
                                         outputs);
            REQUIRE(files.size() == 2);
            CHECK(files[0].content == readme);
            CHECK(files[1].content == "x = 1\n");
        }

        SUBCASE("a README without samples, then a file named by a label and opened bare")
        {
            const Strings outputs{"calc.py", "README.md"};
            const auto files = extracted(
                "```markdown path=README.md\n# T\n```\nFile: calc.py\n```\nx = 1\n```\n", outputs);
            REQUIRE(files.size() == 2);
            CHECK(files[0].content == "# T\n");
            CHECK(files[1].path == "calc.py");
            CHECK(files[1].content == "x = 1\n");
        }

        SUBCASE("bare fences in Markdown that pair up two ways are refused, never cut short")
        {
            // Either the README ends at line 4 and a bare block follows, or the README
            // holds everything: the rest reads cleanly neither way.
            const auto message =
                refusal("```markdown path=README.md\n# T\n\n```\nsome text\n```\nmore\n```\n"
                        "tail\n```\n",
                        {"README.md"});
            CHECK(message.starts_with("reply: the block at line 1: its Markdown holds bare ``` "
                                      "fences, and which one ends it is unclear (lines 4, 8)"));
            CHECK(message.find("lines 1-4: ```markdown path=README.md -> 'README.md' (unclear)")
                  != std::string::npos);
        }

        SUBCASE("fences indented inside a list item lose the item's indentation")
        {
            const auto files = extracted("1. first\n   ```python path=app/api.py\n   def fa() -> "
                                         "int:\n       return 1\n   ```\n2. second\n"
                                         "   ```python path=app/store.py\n   def fb() -> int:\n"
                                         "       return 2\n   ```\n",
                                         k_two);
            REQUIRE(files.size() == 2);
            CHECK(files[0].content == "def fa() -> int:\n    return 1\n");
            CHECK(files[1].content == "def fb() -> int:\n    return 2\n");
        }

        SUBCASE("a quoted path may hold spaces")
        {
            const Strings outputs{"my app/a.py", "app/b.py"};
            const auto files = extracted("```python path=\"my app/a.py\"\na = 1\n```\n"
                                         "```python 'app/b.py'\nb = 2\n```\n",
                                         outputs);
            CHECK(paths(files) == Strings{"my app/a.py", "app/b.py"});
        }

        SUBCASE("an unquoted path followed by more words is refused, not cut at the space")
        {
            const auto message =
                refusal("```python path=sub dir/name.py\nx = 1\n```\n", {"sub dir/name.py"});
            CHECK(message.starts_with("reply: the block at line 1: its info string has words "
                                      "after 'path=sub': quote a path that holds spaces"));
            const auto bare = refusal("```python sub dir/name.py\nx = 1\n```\n", {});
            CHECK(bare.find("has words besides the language and the path 'dir/name.py'")
                  != std::string::npos);
            const auto unclosed = refusal("```python path=\"sub dir/x.py\nx\n```\n", {});
            CHECK(unclosed.find("a quote that is not closed") != std::string::npos);
        }

        SUBCASE("a one-file spec takes its one code block beside a shell block")
        {
            const auto files =
                extracted("Install:\n```bash\npip install nothing\n```\n```python\nx = 1\n```\n",
                          {"calc.py"});
            REQUIRE(files.size() == 1);
            CHECK(files[0].path == "calc.py");
            CHECK(files[0].content == "x = 1\n");
            // A script's one output may be a shell block; two of them stay unclear.
            const auto script =
                refusal("```bash\necho a\n```\n```python\nx = 1\n```\n", {"run.sh"});
            CHECK(script.find("'run.sh' is missing, and the blocks at lines 1, 4")
                  != std::string::npos);
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
