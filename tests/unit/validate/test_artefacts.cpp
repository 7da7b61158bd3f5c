#include "printers.hpp"
#include "validate/artefacts_check.hpp"
#include "validate/syntax_check.hpp"
#include "validate/validate.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace core = aiops::core;
namespace source = aiops::source;
namespace validate = aiops::validate;

using source::Language;

namespace {

constexpr const char* k_fence = "artefacts.markdown-fence";
constexpr const char* k_prose = "artefacts.prose";
constexpr const char* k_elided = "artefacts.elided-code";
constexpr const char* k_placeholder = "artefacts.placeholder-body";
constexpr const char* k_truncated = "artefacts.truncated";

/// A finding as the tests compare it: rule, line and message.
struct Seen
{
    std::string rule;
    int line = 0;
    std::string message;

    bool operator==(const Seen&) const = default;
};

/// Every finding of the syntax and artefacts checks over a text, in order.
std::vector<Seen> check(const std::string& path, Language language, std::string_view text)
{
    std::vector<std::unique_ptr<validate::Check>> checks;
    checks.push_back(validate::make_syntax_check(50));
    checks.push_back(validate::make_artefacts_check());
    auto outcome = validate::check_text(checks, path, path, language, text);
    REQUIRE(outcome.ok());
    std::vector<Seen> seen;
    for (const core::Finding& finding : outcome->findings) {
        seen.push_back({finding.rule_id, finding.location.start_line, finding.message});
    }
    return seen;
}

/// The findings of one rule.
std::vector<Seen> of_rule(const std::vector<Seen>& all, std::string_view rule)
{
    std::vector<Seen> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const Seen& s) {
        return s.rule == rule;
    });
    return out;
}

/// The lines of one rule's findings.
std::vector<int> lines_of(const std::vector<Seen>& all, std::string_view rule)
{
    std::vector<int> lines;
    for (const Seen& s : of_rule(all, rule)) {
        lines.push_back(s.line);
    }
    return lines;
}

bool any_syntax(const std::vector<Seen>& all)
{
    return std::any_of(
        all.begin(), all.end(), [](const Seen& s) { return s.rule.starts_with("syntax."); });
}

} // namespace

namespace doctest {

template <> struct StringMaker<Seen>
{
    static String convert(const Seen& seen)
    {
        return (seen.rule + "@" + std::to_string(seen.line) + ": " + seen.message).c_str();
    }
};

} // namespace doctest

TEST_SUITE("validate")
{
    TEST_CASE("validate::make_artefacts_check: rules")
    {
        const auto rules = validate::make_artefacts_check()->rules();
        std::vector<std::string> ids;
        for (const auto& rule : rules) {
            ids.push_back(rule.id);
            CHECK_FALSE(rule.name.empty());
            CHECK_FALSE(rule.short_description.empty());
            CHECK_FALSE(rule.full_description.empty());
            CHECK_FALSE(rule.help_markdown.empty());
            CHECK(std::find(rule.tags.begin(), rule.tags.end(), "artefacts") != rule.tags.end());
        }
        CHECK(ids
              == std::vector<std::string>{k_fence, k_prose, k_elided, k_placeholder, k_truncated});
        CHECK(rules[3].default_severity == core::Severity::medium);
        CHECK(rules[0].default_severity == core::Severity::high);
    }

    TEST_CASE("validate::make_artefacts_check: markdown fences")
    {
        SUBCASE("Python: fences and the prose around them, and no syntax findings")
        {
            const auto found =
                check("a.py",
                      Language::python,
                      "Here is the updated file:\n"
                      "\n"
                      "```python\n"
                      "def add(a, b):\n"
                      "    return a + b\n"
                      "```\n"
                      "\n"
                      "This function adds two numbers. Let me know if you need more!\n");
            CHECK(of_rule(found, k_fence)
                  == std::vector<Seen>{
                      {k_fence, 3, "markdown code fence '```python' left in the file"},
                      {k_fence, 6, "markdown code fence '```' left in the file"}});
            CHECK(lines_of(found, k_prose) == std::vector<int>{1, 8});
            CHECK_FALSE(any_syntax(found));
        }

        SUBCASE("JavaScript: backtick fences read as template strings are still fences")
        {
            const auto found = check(
                "a.js", Language::javascript, "```js\nconst x = 1;\nexport default x;\n```\n");
            CHECK(lines_of(found, k_fence) == std::vector<int>{1, 4});
            CHECK(found.size() == 2);
        }

        SUBCASE("Go: fences read as raw strings, and the code between them is checked")
        {
            const auto found =
                check("a.go",
                      Language::go,
                      "```go\npackage main\n\nfunc Run() {\n\tpanic(\"TODO\")\n}\n```\n");
            CHECK(lines_of(found, k_fence) == std::vector<int>{1, 7});
            CHECK(lines_of(found, k_placeholder) == std::vector<int>{4});
            CHECK_FALSE(any_syntax(found));
        }

        SUBCASE("TypeScript: an info string with a path, and tilde fences")
        {
            const auto found = check("a.ts",
                                     Language::typescript,
                                     "```ts path=app/x.ts\nexport const x = 1;\n```\n"
                                     "~~~\nexport const y = 2;\n~~~\n");
            CHECK(of_rule(found, k_fence).front().message
                  == "markdown code fence '```ts path=app/x.ts' left in the file");
            CHECK(lines_of(found, k_fence) == std::vector<int>{1, 3, 4, 6});
        }

        SUBCASE("JSON and YAML replies")
        {
            CHECK(lines_of(check("a.json", Language::json, "```json\n{\"a\": 1}\n```\n"), k_fence)
                  == std::vector<int>{1, 3});
            CHECK(lines_of(check("a.yaml", Language::yaml, "```yaml\na: 1\n```\n"), k_fence)
                  == std::vector<int>{1, 3});
        }

        SUBCASE("not a fence: inside a docstring, a comment, a string, a heredoc, a block scalar")
        {
            CHECK(
                check(
                    "a.py",
                    Language::python,
                    "def f():\n    \"\"\"Example:\n\n    ```python\n    f()\n    ```\n    \"\"\"\n"
                    "    return 1\n")
                    .empty());
            CHECK(check("a.py", Language::python, "# ```python\nx = 1\n").empty());
            CHECK(check("a.js", Language::javascript, "/**\n```js\nf();\n```\n*/\nf();\n").empty());
            CHECK(check("a.js", Language::javascript, "const s = `\n~~~\nx\n~~~\n`;\n").empty());
            CHECK(check("a.go", Language::go, "package p\n\nconst s = `\n~~~\n`\n").empty());
            CHECK(check("a.sh", Language::bash, "cat <<EOF\n```bash\nls\n```\nEOF\n").empty());
            CHECK(check("a.yaml", Language::yaml, "run: |\n  ```\n  make\n  ```\n").empty());
            // The last line of a block scalar is the scalar's, also before the next key;
            // a fence back at the key's indentation is not.
            CHECK(check("a.yaml",
                        Language::yaml,
                        "a:\n  - t: |\n      ```diff\n      x\n      ```\nb: 1\n")
                      .empty());
            CHECK(lines_of(check("a.yaml", Language::yaml, "a: |\n  text\n```\n"), k_fence)
                  == std::vector<int>{3});
            CHECK(check("a.rs", Language::rust, "/// ```\n/// f();\n/// ```\nfn f() {}\n").empty());
        }

        SUBCASE("not a fence: code that starts with tildes")
        {
            CHECK(check("a.py", Language::python, "x = 1\n~~~x\n").empty());
            CHECK(check("a.c", Language::c, "int f(int x) {\n    return\n~~~x;\n}\n").empty());
        }
    }

    TEST_CASE("validate::make_artefacts_check: prose")
    {
        SUBCASE("a paragraph of several lines is one finding")
        {
            const auto found = check("a.py",
                                     Language::python,
                                     "x = compute()\n"
                                     "\n"
                                     "This version caches the result so the second call is fast.\n"
                                     "It also logs how long the computation took.\n"
                                     "\n"
                                     "Let me know if you want the cache to expire.\n");
            CHECK(of_rule(found, k_prose)
                  == std::vector<Seen>{{k_prose,
                                        3,
                                        "prose left in the file (3 lines): 'This version caches "
                                        "the result so the second call is fast.'"}});
            CHECK_FALSE(any_syntax(found));
        }

        SUBCASE("JavaScript, Go and Java: sentences before and after the code")
        {
            const auto js = check("a.js",
                                  Language::javascript,
                                  "Sure! Here's the fix:\n\nexport const f = () => 1;\n");
            CHECK(of_rule(js, k_prose)
                  == std::vector<Seen>{
                      {k_prose, 1, "prose left in the file: 'Sure! Here's the fix:'"}});
            CHECK_FALSE(any_syntax(js));
            const auto go =
                check("a.go",
                      Language::go,
                      "package main\n\nfunc main() {}\n\nThis program does nothing yet.\n");
            CHECK(lines_of(go, k_prose) == std::vector<int>{5});
            CHECK_FALSE(any_syntax(go));
            const auto java =
                check("A.java", Language::java, "Below is the class you asked for:\nclass A {}\n");
            CHECK(lines_of(java, k_prose) == std::vector<int>{1});
            CHECK_FALSE(any_syntax(java));
        }

        SUBCASE("Bash: prose that parses as a command is found at the start of the file")
        {
            const auto found = check("a.sh",
                                     Language::bash,
                                     "Here is the script you can use for the backup:\n\n"
                                     "tar czf backup.tgz data/\n");
            CHECK(lines_of(found, k_prose) == std::vector<int>{1});
        }

        SUBCASE("a markdown heading or a bold file name next to a fence")
        {
            const auto found =
                check("a.go", Language::go, "**main.go**\n\n```go\npackage main\n```\n");
            CHECK(of_rule(found, k_prose)
                  == std::vector<Seen>{{k_prose, 1, "prose left in the file: '**main.go**'"}});
            CHECK_FALSE(any_syntax(found));
        }

        SUBCASE("a line that names the file of the next fence")
        {
            const auto found = check("a.py",
                                     Language::python,
                                     "File: app/main.py\n```python\nx = 1\n```\n\n`app/util.py`:\n"
                                     "```python\ny = 2\n```\n");
            CHECK(lines_of(found, k_prose) == std::vector<int>{1, 6});
            CHECK_FALSE(any_syntax(found));
        }

        SUBCASE("a real syntax error away from the prose is still reported")
        {
            const auto found = check("a.py",
                                     Language::python,
                                     "Here is the corrected module:\n\n"
                                     "def f(x):\n    return x +\n\n"
                                     "def g():\n    return 2\n");
            CHECK(lines_of(found, k_prose) == std::vector<int>{1});
            const auto syntax = of_rule(found, "syntax.error");
            REQUIRE(syntax.size() == 1);
            CHECK(syntax[0].line == 4);
        }

        SUBCASE("a label over an example where the syntax breaks: 'Usage:', '**Usage:**'")
        {
            const auto py = check("a.py",
                                  Language::python,
                                  "def add(a, b):\n    return a + b\n\nUsage:\n\nadd(1, 2)\n");
            CHECK(py == std::vector<Seen>{{k_prose, 4, "prose left in the file: 'Usage:'"}});
            const auto inside = check(
                "a.py", Language::python, "def add(a, b):\n    Explanation:\n    return a + b\n");
            CHECK(inside
                  == std::vector<Seen>{{k_prose, 2, "prose left in the file: 'Explanation:'"}});
            // As the last line, it is prose, not a cut.
            const auto last = check("a.py",
                                    Language::python,
                                    "def is_even(n):\n    return n % 2 == 0\n\nExplanation:\n");
            CHECK(last
                  == std::vector<Seen>{{k_prose, 4, "prose left in the file: 'Explanation:'"}});
            const auto ts = check("a.ts",
                                  Language::typescript,
                                  "export const add = (a: number, b: number): number => a + b;\n\n"
                                  "**Usage:**\n\nadd(1, 2);\n");
            CHECK(ts == std::vector<Seen>{{k_prose, 3, "prose left in the file: '**Usage:**'"}});
            const auto js = check("a.js",
                                  Language::javascript,
                                  "const add = (a, b) => a + b;\n\nExample usage:\n\n"
                                  "console.log(add(1, 2));\n");
            CHECK(js
                  == std::vector<Seen>{{k_prose, 3, "prose left in the file: 'Example usage:'"}});
            // Valid code: a JavaScript label, and a Python annotation on one line.
            CHECK(
                check("a.js", Language::javascript, "Usage:\nfor (;;) { break Usage; }\n").empty());
            CHECK(check("a.py", Language::python, "Output: int\n").empty());
        }

        SUBCASE("not prose: code made of words, comments, strings, JSX text, valid scripts")
        {
            // A syntax error makes the whole region an error, but its lines are code.
            CHECK(of_rule(check("a.py",
                                Language::python,
                                "def f(x, y):\n    return x if y is not None else z\n"
                                "    import os as system\n    from a import b\n)\n"),
                          k_prose)
                      .empty());
            CHECK(of_rule(check("a.py",
                                Language::python,
                                "x = (\n    # This is the first value of the tuple we need.\n"
                                "    'This is a sentence in a string, not prose.',\n"),
                          k_prose)
                      .empty());
            CHECK(check("a.jsx",
                        Language::javascript,
                        "export const P = () => (\n  <p>\n    Welcome to the shop. Sign in to see "
                        "your orders.\n  </p>\n);\n")
                      .empty());
            CHECK(check("a.sh",
                        Language::bash,
                        "#!/bin/sh\necho This is the start of the backup.\nmake install\n")
                      .empty());
            CHECK(check("a.yaml",
                        Language::yaml,
                        "description: This is the service that runs the jobs.\n")
                      .empty());
            // A line that starts a string is code, even inside a syntax error.
            CHECK(of_rule(check("a.py",
                                Language::python,
                                "def f(:\n    \"This is the docstring of a broken function.\"\n"),
                          k_prose)
                      .empty());
        }
    }

    TEST_CASE("validate::make_artefacts_check: elided code")
    {
        SUBCASE("comments that stand for code, in every comment syntax")
        {
            const auto py = check("a.py",
                                  Language::python,
                                  "class A:\n"
                                  "    # ... existing code ...\n"
                                  "    def f(self):\n"
                                  "        return 1\n"
                                  "    # rest of the methods unchanged\n"
                                  "    # remaining methods here\n"
                                  "    # <rest of implementation>\n"
                                  "    # (same as before)\n"
                                  "    # additional routes here\n");
            CHECK(of_rule(py, k_elided).front()
                  == Seen{k_elided, 2, "code elided: comment '# ... existing code ...'"});
            CHECK(lines_of(py, k_elided) == std::vector<int>{2, 5, 6, 7, 8, 9});
            const auto js =
                check("a.js",
                      Language::javascript,
                      "class A {\n  // ...\n  f() {}\n  /* ... other methods ... */\n}\n");
            CHECK(lines_of(js, k_elided) == std::vector<int>{2, 4});
            const auto go = check("a.go",
                                  Language::go,
                                  "package p\n\nfunc f() {\n\t// ... rest of the function\n}\n");
            CHECK(lines_of(go, k_elided) == std::vector<int>{4});
            const auto java =
                check("A.java", Language::java, "class A {\n    // existing code unchanged\n}\n");
            CHECK(lines_of(java, k_elided) == std::vector<int>{2});
            const auto ruby =
                check("a.rb", Language::ruby, "class A\n  # ... rest of the class ...\nend\n");
            CHECK(lines_of(ruby, k_elided) == std::vector<int>{2});
            const auto php =
                check("a.php",
                      Language::php,
                      "<p>Hello</p>\n<!-- ... rest of the page ... -->\n<?php echo 1;\n");
            CHECK(lines_of(php, k_elided) == std::vector<int>{2});
        }

        SUBCASE(
            "a bare '...' line where code was left out breaks the syntax: the finding explains it")
        {
            const auto ts =
                check("a.ts", Language::typescript, "const config = {\n  port: 8080,\n  ...\n};\n");
            CHECK(of_rule(ts, k_elided)
                  == std::vector<Seen>{
                      {k_elided, 3, "code elided: '...' stands where code was left out"}});
            CHECK_FALSE(any_syntax(ts));
            const auto java =
                check("A.java",
                      Language::java,
                      "class A {\n    void f() {\n        g();\n        ...\n    }\n}\n");
            CHECK(lines_of(java, k_elided) == std::vector<int>{4});
            CHECK_FALSE(any_syntax(java));
            const auto py =
                check("a.py",
                      Language::python,
                      "def f():\n    x = 1\n    (same as before)\n    <rest of implementation>\n");
            CHECK(lines_of(py, k_elided) == std::vector<int>{3, 4});
            CHECK_FALSE(any_syntax(py));
            const auto go = check("a.go", Language::go, "package p\n\nfunc f() {\n\t...\n}\n");
            CHECK(lines_of(go, k_elided) == std::vector<int>{4});
            CHECK_FALSE(any_syntax(go));
        }

        SUBCASE("the phrases of accessors, unchanged code and code to write")
        {
            const auto java = check("A.java",
                                    Language::java,
                                    "class A {\n"
                                    "    // ... other getters and setters ...\n\n"
                                    "    // getters and setters omitted\n\n"
                                    "    // (unchanged)\n\n"
                                    "    // ... (unchanged) ...\n\n"
                                    "    // keep the rest as is\n\n"
                                    "    // same as above\n\n"
                                    "    // ... your code here ...\n\n"
                                    "    // ... handle errors ...\n\n"
                                    "    // ... validation logic ...\n\n"
                                    "    // ... setters ...\n"
                                    "}\n");
            CHECK(lines_of(java, k_elided) == std::vector<int>{2, 4, 6, 8, 10, 12, 14, 16, 18, 20});
            const auto py = check("a.py",
                                  Language::python,
                                  "class A:\n    def f(self):\n        pass  # same as before\n\n"
                                  "    # same as before\n");
            CHECK(of_rule(py, k_elided)
                  == std::vector<Seen>{{k_elided, 3, "code elided: comment '# same as before'"},
                                       {k_elided, 5, "code elided: comment '# same as before'"}});
        }

        SUBCASE("a bare '...' in an object literal, where a spread swallows the next line")
        {
            const auto js =
                check("a.js",
                      Language::javascript,
                      "const config = {\n  port: 8080,\n  ...\n  logLevel: \"info\",\n};\n");
            CHECK(js
                  == std::vector<Seen>{
                      {k_elided, 3, "code elided: '...' stands where code was left out"}});
            // A spread over two lines is code.
            CHECK(check("a.js", Language::javascript, "const c = {\n  ...\n    defaults,\n};\n")
                      .empty());
        }

        SUBCASE("not elided: class names that are phrase words, a comment that credits a source")
        {
            CHECK(check("a.pyi",
                        Language::python,
                        "class stmt: ...\nclass Break(stmt): ...\nclass Continue(stmt): ...\n"
                        "class Unchanged(stmt): ...\n")
                      .empty());
            CHECK(check("a.py", Language::python, "class Base: ...\nclass Continue(Base): ...\n")
                      .empty());
            CHECK(check("a.js",
                        Language::javascript,
                        "// original code\n// https://example.com/utils.js#L11-L34\nrun();\n")
                      .empty());
            // Sentences a comment block continues over several lines.
            CHECK(check("a.py",
                        Language::python,
                        "x = 1\n\n# ...or r...\n\ny = 2\n\n# ...and separate theta...\n\nz = 3\n")
                      .empty());
        }

        SUBCASE("Python's '...' among other statements")
        {
            const auto found = check("a.py",
                                     Language::python,
                                     "def f(items):\n    total = 0\n    ...\n    return total\n");
            CHECK(
                of_rule(found, k_elided)
                == std::vector<Seen>{
                    {k_elided, 3, "code elided: '...' stands among the statements of this block"}});
        }

        SUBCASE("not elided: prose with an ellipsis, ellipsis values, types, spreads, tables")
        {
            CHECK(check("a.py",
                        Language::python,
                        "import time\n\n"
                        "def retry(f):\n"
                        "    # wait... then retry\n"
                        "    time.sleep(1)\n"
                        "    # the rest of the line is ignored\n"
                        "    return f()\n\n"
                        "x = ...\n"
                        "T = tuple[int, ...]\n"
                        "# Table:\n#   a  1\n#   ...\n#   z  26\n"
                        "def g():\n    \"\"\"... rest of the code ...\"\"\"\n    return 1\n")
                      .empty());
            CHECK(check("a.js",
                        Language::javascript,
                        "function f(...args) {\n  return [...args, { ...args[0] }];\n}\n"
                        "// Loading... please wait\n")
                      .empty());
            CHECK(check("a.go", Language::go, "package p\n\nfunc f(xs ...int) {}\n").empty());
            // Comments that are notes or section titles, not markers.
            CHECK(check("a.py",
                        Language::python,
                        "def f(path, mode):\n"
                        "    # existing file\n"
                        "    open(path)\n"
                        "    # [module]\n"
                        "    # remaining parameters:\n"
                        "    # the rest of the propagation tests.\n"
                        "    # More examples below\n"
                        "    return mode\n")
                      .empty());
            CHECK(check("a.js",
                        Language::javascript,
                        "// The module body:\n//\n//     function (require, exports) ...\n"
                        "// (function(...) { }(...))\nrun();\n")
                      .empty());
            // A docstring and `...`: a stub, not code left out.
            CHECK(check("a.py",
                        Language::python,
                        "class A:\n    @staticmethod\n    def f(x):\n        \"\"\"Static.\"\"\"\n "
                        "       ...\n")
                      .empty());
            CHECK(check("a.c", Language::c, "int printf(const char *format,\n           ...);\n")
                      .empty());
        }
    }

    TEST_CASE("validate::make_artefacts_check: placeholder bodies")
    {
        SUBCASE("Python stubs")
        {
            const auto found =
                check("a.py",
                      Language::python,
                      "def parse_config(path):\n    raise NotImplementedError\n\n"
                      "def load(path):\n    raise NotImplementedError(\"TODO: load\")\n\n"
                      "def save(x):\n    # TODO: implement\n    pass\n\n"
                      "def close():\n    pass\n\n"
                      "def flush():\n    ...\n");
            CHECK(
                of_rule(found, k_placeholder)
                == std::vector<Seen>{
                    {k_placeholder,
                     1,
                     "placeholder body: 'parse_config' only raises NotImplementedError"},
                    {k_placeholder, 4, "placeholder body: 'load' only raises NotImplementedError"},
                    {k_placeholder,
                     7,
                     "placeholder body: 'save' has only the comment '# TODO: implement'"},
                    {k_placeholder, 11, "placeholder body: 'close' is only 'pass'"},
                    {k_placeholder, 14, "placeholder body: 'flush' is only '...'"}});
        }

        SUBCASE("Python: abstract methods, protocols, overloads, hooks and stub files are meant")
        {
            CHECK(check("a.py",
                        Language::python,
                        "import abc\nfrom typing import Protocol, overload\n\n"
                        "class Store(abc.ABC):\n"
                        "    @abc.abstractmethod\n    def get(self):\n        raise "
                        "NotImplementedError\n\n"
                        "class Reader(Protocol):\n    def read(self) -> bytes: ...\n\n"
                        "class BaseHandler:\n    def handle(self):\n        raise "
                        "NotImplementedError\n\n"
                        "class Handler(BaseHandler):\n    def handle(self):\n        pass\n\n"
                        "class Plugin:\n"
                        "    def run(self):\n        \"\"\"Runs the plugin.\"\"\"\n        raise "
                        "NotImplementedError\n"
                        "    def start(self):\n        \"\"\"Does nothing by default.\"\"\"\n      "
                        "  pass\n"
                        "    def stop(self):\n        # Nothing to release.\n        pass\n"
                        "    def __init__(self):\n        pass\n"
                        "    def render(self):\n        raise NotImplementedError(\"subclasses "
                        "must render\")\n\n"
                        "@overload\ndef f(x: int) -> int: ...\ndef f(x):\n    return x\n\n"
                        "def outer():\n    def callback():\n        pass\n    return callback\n\n"
                        "try:\n    from fast import speedup\nexcept ImportError:\n"
                        "    def speedup():\n        pass\n")
                      .empty());
            CHECK(check("a.pyi",
                        Language::python,
                        "def f(x: int) -> int: ...\nclass A:\n    def g(self): ...\n")
                      .empty());
            // A fallback for a platform, and a function named for what it raises.
            CHECK(check("a.py",
                        Language::python,
                        "import sys\nif sys.platform == 'win32':\n"
                        "    def chown(path):\n        raise NotImplementedError\n")
                      .empty());
            CHECK(check("a.js",
                        Language::javascript,
                        "function notImplemented() {\n  throw new Error(\"Not implemented\");\n}\n")
                      .empty());
        }

        SUBCASE("Python test code: empty fixtures are meant, an empty test is not")
        {
            const std::string_view text =
                "class Sender:\n    def send(self, data):\n        pass\n"
                "    def fileno(self):\n        raise NotImplementedError\n\n"
                "def test_send():\n    pass\n";
            CHECK(lines_of(check("tests/test_fake.py", Language::python, text), k_placeholder)
                  == std::vector<int>{7});
            CHECK(lines_of(check("src/fake.py", Language::python, text), k_placeholder)
                  == std::vector<int>{2, 4, 7});
        }

        SUBCASE("Python: a base class whose message admits the work is not done")
        {
            const auto found =
                check("a.py",
                      Language::python,
                      "class BaseStore:\n    def get(self):\n"
                      "        raise NotImplementedError(\"not implemented yet\")\n");
            CHECK(lines_of(found, k_placeholder) == std::vector<int>{2});
        }

        SUBCASE("JavaScript and TypeScript")
        {
            const auto js =
                check("a.js",
                      Language::javascript,
                      "export function total(items) {\n  throw new Error(\"not implemented\");\n}\n"
                      "export const save = () => {\n  // TODO: save to disk\n};\n"
                      "export function noop() {}\n"
                      "export function fail(x) {\n  throw new Error(`bad value ${x}`);\n}\n"
                      "class Base {\n  run() {\n    throw new Error(\"not implemented\");\n  }\n}\n"
                      "class Job extends Base {\n  run() {\n    return 1;\n  }\n}\n");
            CHECK(of_rule(js, k_placeholder)
                  == std::vector<Seen>{
                      {k_placeholder,
                       1,
                       "placeholder body: 'total' only throws: 'throw new Error(\"not "
                       "implemented\")'"},
                      {k_placeholder,
                       4,
                       "placeholder body: 'save' has only the comment '// TODO: save to disk'"}});
            const auto ts =
                check("a.ts",
                      Language::typescript,
                      "export class Api {\n  get(id: string): Promise<string> {\n"
                      "    throw new Error(\"Method not implemented.\");\n  }\n}\n"
                      "export abstract class Shape {\n  abstract area(): number;\n"
                      "  describe(): string {\n    throw new Error(\"not implemented\");\n  }\n}\n"
                      "export interface Store {\n  get(id: string): string;\n}\n"
                      "export function f(x: string): string;\nexport function f(x: any) {\n  "
                      "return x;\n}\n");
            CHECK(lines_of(ts, k_placeholder) == std::vector<int>{2});
        }

        SUBCASE("Go")
        {
            const auto found =
                check("a.go",
                      Language::go,
                      "package p\n\n"
                      "func Save() error {\n\tpanic(\"not implemented\")\n}\n\n"
                      "func Load() error {\n\t// TODO: read the file\n\treturn nil\n}\n\n"
                      "func Close() {}\n\n"
                      "func Must(err error) {\n\tpanic(\"unreachable\")\n}\n");
            CHECK(of_rule(found, k_placeholder)
                  == std::vector<Seen>{
                      {k_placeholder,
                       3,
                       "placeholder body: 'Save' only panics: 'panic(\"not implemented\")'"},
                      {k_placeholder,
                       7,
                       "placeholder body: 'Load' has only 'return nil' and the comment '// TODO: "
                       "read the file'"}});
        }

        SUBCASE("Java")
        {
            const auto found = check(
                "A.java",
                Language::java,
                "class A {\n"
                "    void send() {\n        throw new UnsupportedOperationException(\"Not "
                "implemented\");\n    }\n"
                "    Object render() {\n        // TODO Auto-generated method stub\n        return "
                "null;\n    }\n"
                "    void remove() {\n        throw new UnsupportedOperationException();\n    }\n"
                "    void onEvent() {}\n"
                "}\n"
                "abstract class B {\n    abstract void run();\n}\n"
                "interface C {\n    void run();\n}\n");
            CHECK(lines_of(found, k_placeholder) == std::vector<int>{2, 5});
        }

        SUBCASE("Rust: a panic that says the work is not done")
        {
            const auto found = check("a.rs",
                                     Language::rust,
                                     "fn a() -> i32 {\n    panic!(\"not implemented\")\n}\n\n"
                                     "fn b() -> i32 {\n    panic!(\"TODO\");\n}\n\n"
                                     "fn c(x: i32) -> i32 {\n    panic!(\"negative input\")\n}\n");
            CHECK(of_rule(found, k_placeholder)
                  == std::vector<Seen>{
                      {k_placeholder,
                       1,
                       "placeholder body: 'a' only calls 'panic!(\"not implemented\")'"},
                      {k_placeholder, 5, "placeholder body: 'b' only calls 'panic!(\"TODO\");'"}});
        }

        SUBCASE("Rust, C#, C, C++, Ruby, PHP and Bash")
        {
            CHECK(of_rule(check("a.rs",
                                Language::rust,
                                "fn a() -> u32 {\n    todo!()\n}\nfn b() {\n    "
                                "unimplemented!(\"later\");\n}\n"
                                "trait T {\n    fn c(&self);\n}\n"),
                          k_placeholder)
                  == std::vector<Seen>{
                      {k_placeholder, 1, "placeholder body: 'a' only calls 'todo!()'"},
                      {k_placeholder,
                       4,
                       "placeholder body: 'b' only calls 'unimplemented!(\"later\");'"}});
            CHECK(
                lines_of(
                    check("A.cs",
                          Language::c_sharp,
                          "class A {\n    public int F() => throw new NotImplementedException();\n"
                          "    public void G() {\n        throw new "
                          "NotImplementedException(\"soon\");\n    }\n}\n"
                          "abstract class B {\n    public abstract void H();\n}\n"),
                    k_placeholder)
                == std::vector<int>{2, 3});
            CHECK(lines_of(check("a.c",
                                 Language::c,
                                 "void f(void)\n{\n    /* TODO */\n}\nvoid g(void) {}\n"),
                           k_placeholder)
                  == std::vector<int>{1});
            CHECK(
                lines_of(check("a.cpp",
                               Language::cpp,
                               "int f() {\n    throw std::runtime_error(\"TODO\");\n}\n"
                               "int g() {\n    throw std::runtime_error(\"negative input\");\n}\n"),
                         k_placeholder)
                == std::vector<int>{1});
            CHECK(lines_of(check("a.rb",
                                 Language::ruby,
                                 "class A\n  def f\n    raise NotImplementedError\n  end\n"
                                 "  def g\n    # TODO\n  end\n  def h\n  end\nend\n"),
                           k_placeholder)
                  == std::vector<int>{2, 5});
            CHECK(
                lines_of(
                    check("a.php",
                          Language::php,
                          "<?php\nfunction f() {\n    throw new Exception('Not implemented');\n}\n"
                          "abstract class A {\n    abstract function g();\n}\n"),
                    k_placeholder)
                == std::vector<int>{2});
            CHECK(
                lines_of(
                    check("a.sh", Language::bash, "deploy() {\n  # TODO: push the image\n  :\n}\n"),
                    k_placeholder)
                == std::vector<int>{1});
        }
    }

    TEST_CASE("validate::make_artefacts_check: truncation")
    {
        SUBCASE("Python: an unclosed call, a missing body, an unterminated docstring")
        {
            const auto call = check(
                "a.py", Language::python, "import os\n\ndef f(x):\n    y = 1\n    return foo(x,\n");
            CHECK(
                call
                == std::vector<Seen>{{k_truncated,
                                      5,
                                      "file ends inside an unclosed call to 'foo' starting at line "
                                      "5 (truncated reply?)"}});
            const auto body = check("a.py", Language::python, "class A:\n    def f(self):\n");
            CHECK(body
                  == std::vector<Seen>{{k_truncated,
                                        2,
                                        "file ends before the body of function 'f' on line 2 "
                                        "(truncated reply?)"}});
            const auto doc =
                check("a.py",
                      Language::python,
                      "def f():\n    return 1\n\ndef g():\n    \"\"\"Returns two\n    and more\n");
            CHECK(doc
                  == std::vector<Seen>{{k_truncated,
                                        5,
                                        "file ends inside an unterminated triple-quoted string "
                                        "starting at line 5 (truncated reply?)"}});
        }

        SUBCASE("JavaScript, TypeScript, Go and Java: one finding at the unclosed construct")
        {
            const auto js = check("a.js",
                                  Language::javascript,
                                  "const x = 1;\n\nfunction total(items) {\n  let s = 0;\n"
                                  "  for (const i of items) {\n    s += foo(i,\n");
            CHECK(js
                  == std::vector<Seen>{{k_truncated,
                                        3,
                                        "file ends inside an unclosed function body of 'total' "
                                        "starting at line 3 (truncated reply?)"}});
            const auto ts = check(
                "a.ts",
                Language::typescript,
                "export class Store {\n  get(id: string) {\n    return this.items[id];\n  }\n\n"
                "  set(id: string, value: number) {\n    this.items[id] =\n");
            CHECK(
                ts
                == std::vector<Seen>{{k_truncated,
                                      1,
                                      "file ends inside an unclosed class body of 'Store' starting "
                                      "at line 1 (truncated reply?)"}});
            const auto go = check(
                "a.go",
                Language::go,
                "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n"
                "\t\tfmt.Println(i)\n");
            CHECK(go
                  == std::vector<Seen>{
                      {k_truncated,
                       5,
                       "file ends inside an unclosed function body of 'main' starting "
                       "at line 5 (truncated reply?)"}});
            const auto java =
                check("A.java",
                      Language::java,
                      "public class A {\n    public int f(int x) {\n        String s = \"abc\n");
            REQUIRE(java.size() == 1);
            CHECK(java[0].rule == k_truncated);
            // A method after a closed class: the method is what the cut leaves open.
            CHECK(check("B.java",
                        Language::java,
                        "class B {}\npublic int total(int x) {\n    return x +\n")
                  == std::vector<Seen>{{k_truncated,
                                        2,
                                        "file ends inside an unclosed function body of 'total' "
                                        "starting at line 2 (truncated reply?)"}});
            CHECK(check("a.c", Language::c, "static int count(const char *s) {\n    if (s) {\n")
                  == std::vector<Seen>{{k_truncated,
                                        1,
                                        "file ends inside an unclosed function body of 'count' "
                                        "starting at line 1 (truncated reply?)"}});
        }

        SUBCASE("Java: a Javadoc cut off is the unterminated comment, not the class around it")
        {
            CHECK(
                check("A.java", Language::java, "class A {\n    /** Returns the\n     * value of\n")
                == std::vector<Seen>{{k_truncated,
                                      2,
                                      "file ends inside an unterminated block comment starting "
                                      "at line 2 (truncated reply?)"}});
        }

        SUBCASE("Rust, JSON, C and C++")
        {
            CHECK(lines_of(check("a.rs", Language::rust, "fn main() {\n    let v = vec![1, 2,\n"),
                           k_truncated)
                  == std::vector<int>{1});
            CHECK(check("a.json", Language::json, "{\"a\": [1, 2,\n")
                  == std::vector<Seen>{{k_truncated,
                                        1,
                                        "file ends inside an unclosed object starting at line 1 "
                                        "(truncated reply?)"}});
            CHECK(
                check("a.c", Language::c, "int x;\n/* the rest\n * of the\n")
                == std::vector<Seen>{{k_truncated,
                                      2,
                                      "file ends inside an unterminated block comment starting at "
                                      "line 2 (truncated reply?)"}});
            CHECK(
                lines_of(check("a.cpp", Language::cpp, "namespace n {\nclass A {\n  void f() {\n"),
                         k_truncated)
                == std::vector<int>{1});
        }

        SUBCASE("a syntax error in the middle of a cut file is still reported")
        {
            const auto found = check("a.py",
                                     Language::python,
                                     "def f(x):\n    if x >\n        return 1\n    return 2\n\n\n"
                                     "def g(y):\n    return [y,\n");
            CHECK(found
                  == std::vector<Seen>{
                      {"syntax.error", 3, "unexpected 'return'"},
                      {k_truncated,
                       8,
                       "file ends inside an unclosed list starting at line 8 (truncated reply?)"}});
        }

        SUBCASE("the text of a cut docstring is its text, not prose")
        {
            const auto found =
                check("a.py",
                      Language::python,
                      "def paginate(items, size=50):\n    \"\"\"Yield pages of items.\n\n"
                      "    Each page is a list of at most size elements. The last page may be\n"
                      "    shorter than the others. An empty input yields no pages, and the\n");
            CHECK(found
                  == std::vector<Seen>{{k_truncated,
                                        2,
                                        "file ends inside an unterminated triple-quoted string "
                                        "starting at line 2 (truncated reply?)"}});
        }

        SUBCASE("not truncated: an error in the middle of a file with a clean end")
        {
            const auto found = check(
                "a.js",
                Language::javascript,
                "function f() {\n  let a = ;\n  return 1;\n}\n\nfunction g() {\n  return 2;\n}\n");
            CHECK(of_rule(found, k_truncated).empty());
            CHECK(lines_of(found, "syntax.error") == std::vector<int>{2});
            const auto py =
                check("a.py", Language::python, "def f():\n    s = \"abc\n    return 1\n\nx = 2\n");
            CHECK(of_rule(py, k_truncated).empty());
            CHECK_FALSE(of_rule(py, "syntax.error").empty());
        }
    }

    TEST_CASE("validate::make_artefacts_check: alone, without the syntax check")
    {
        std::vector<std::unique_ptr<validate::Check>> checks;
        checks.push_back(validate::make_artefacts_check());
        auto outcome = validate::check_text(
            checks, "a.py", "a.py", Language::python, "```python\nx = (\n```\n");
        REQUIRE(outcome.ok());
        REQUIRE(outcome->findings.size() == 3);
        CHECK(outcome->findings[0].rule_id == k_fence);
        CHECK(outcome->findings[1].rule_id == k_truncated);
        CHECK(outcome->findings[2].rule_id == k_fence);
    }
}
