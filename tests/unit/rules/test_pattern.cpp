#include "core/interrupt.hpp"
#include "printers.hpp"
#include "rules/rule.hpp"
#include "scan/engine.hpp"
#include "source/syntax_tree.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace rules = aiops::rules;
namespace scan = aiops::scan;
namespace source = aiops::source;

namespace {

// A one-rule set: the rule's header, then `body` (its pattern operators, as YAML).
rules::RuleSet pattern_rule(const std::string& language, const std::string& body)
{
    const std::string text = "id: test.rule\n"
                             "message: found\n"
                             "severity: low\n"
                             "languages: ["
                             + language
                             + "]\n"
                               "help: A rule of the pattern tests.\n"
                             + body;
    rules::RuleSet set;
    const auto loaded = rules::load_rules({"test.yaml", text}, set);
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? std::string() : loaded.error().message()));
    return set;
}

struct Found
{
    std::vector<std::size_t> lines; ///< 1-based, one per match
    std::vector<std::string> messages;
};

Found run(const rules::RuleSet& set, source::Language language, const std::string& code)
{
    const scan::RuleEngine engine(set);
    auto tree = source::parse(language, code);
    REQUIRE(tree.ok());
    Found found;
    for (const auto& match : engine.run(*tree).matches) {
        std::size_t line = 1;
        for (std::size_t i = 0; i < match.start_byte; ++i) {
            line += code[i] == '\n' ? 1 : 0;
        }
        found.lines.push_back(line);
        found.messages.push_back(match.message);
    }
    return found;
}

std::vector<std::size_t> python_lines(const std::string& body, const std::string& code)
{
    return run(pattern_rule("python", body), source::Language::python, code).lines;
}

std::vector<std::size_t> js_lines(const std::string& body, const std::string& code)
{
    return run(pattern_rule("javascript", body), source::Language::javascript, code).lines;
}

std::vector<std::size_t> go_lines(const std::string& body, const std::string& code)
{
    return run(pattern_rule("go", body), source::Language::go, code).lines;
}

std::vector<std::size_t> java_lines(const std::string& body, const std::string& code)
{
    return run(pattern_rule("java", body), source::Language::java, code).lines;
}

using Lines = std::vector<std::size_t>;

} // namespace

TEST_SUITE("rules")
{
    TEST_CASE("rules::match_code: metavariables")
    {
        SUBCASE("$X matches one node and names it in the message")
        {
            rules::RuleSet named;
            const std::string text = "id: test.rule\nmessage: 'ran {{CMD}}'\nseverity: low\n"
                                     "languages: [python]\nhelp: h\npattern: os.system($CMD)\n";
            REQUIRE(rules::load_rules({"test.yaml", text}, named).ok());
            const auto found = run(named,
                                   source::Language::python,
                                   "import os\nos.system(cmd)\nos.system(a, b)\nos.popen(cmd)\n");
            CHECK(found.lines == Lines{2});
            CHECK(found.messages == std::vector<std::string>{"ran cmd"});
        }

        SUBCASE("$_ matches any one node")
        {
            CHECK(python_lines("pattern: f($_, 1)\n", "f(a, 1)\nf(a, 2)\nf(1)\nf(g(x), 1)\n")
                  == Lines{1, 4});
        }

        SUBCASE("a repeated metavariable needs equal text")
        {
            CHECK(python_lines("pattern: $A == $A\n", "x == x\nx == y\nf(a) == f(a)\n")
                  == Lines{1, 3});
        }

        SUBCASE("a repeated metavariable compares tokens, not layout")
        {
            CHECK(python_lines("pattern: $A == $A\n",
                               "{f : None} == {f: None}\nf(a,b) == f(a, b)\n'a b' == 'ab'\n")
                  == Lines{1, 2});
            CHECK(js_lines("pattern: f($...A) === f($...A)\n",
                           "f(a,b) === f(a, b);\nf(a) === f(b);\n")
                  == Lines{1});
        }

        SUBCASE("a repeated metavariable leaves out comments, quotes and grouping parentheses")
        {
            CHECK(js_lines("pattern: $A == $A\n",
                           "a /* c */ .b == a.b;\n'x' == \"x\";\n(a) == a;\n'x' == 'y';\n"
                           "\"a'b\" == 'a\"b';\n`x` == 'x';\n")
                  == Lines{1, 2, 3});
            CHECK(python_lines("pattern: $A == $A\n",
                               "'x' == \"x\"\nf'x' == 'x'\n'''x''' == 'x'\nb'x' == b\"x\"\n"
                               "(a, b) == a, b\n")
                  == Lines{1, 3, 4});
        }

        SUBCASE("$...X in arguments matches any run, empty included")
        {
            CHECK(python_lines("pattern: run($...ARGS, shell=True)\n",
                               "run(shell=True)\nrun(a, b, shell=True)\nrun(a, shell=False)\n"
                               "run(a)\n")
                  == Lines{1, 2});
            CHECK(js_lines("pattern: f($...A, last)\n", "f(last);\nf(1, 2, last);\nf(last, 1);\n")
                  == Lines{1, 2});
        }

        SUBCASE("$...X in statements")
        {
            CHECK(python_lines("pattern: |\n"
                               "  try:\n"
                               "      $...BODY\n"
                               "  except $_:\n"
                               "      pass\n",
                               "try:\n    a()\n    b()\nexcept E:\n    pass\n"
                               "try:\n    a()\nexcept E:\n    log()\n")
                  == Lines{1});
        }

        SUBCASE("a keyword the pattern says, such as async, must be in the code")
        {
            const std::string code = "async function a() { new Promise(r); }\n"
                                     "function b() {\n  new Promise(r);\n}\n";
            CHECK(js_lines("pattern: new Promise($F)\n"
                           "inside: 'async function $N($...P) { $...B }'\n",
                           code)
                  == Lines{1});
            CHECK(js_lines("pattern: new Promise($F)\n"
                           "inside: 'function $N($...P) { $...B }'\n",
                           code)
                  == Lines{1, 3});
            CHECK(python_lines("pattern: |\n  async def $F():\n      $...B\n",
                               "def f():\n    pass\nasync def g():\n    pass\n")
                  == Lines{3});
        }

        SUBCASE("a string that is only a metavariable matches any plain string")
        {
            CHECK(python_lines("pattern: open(\"$PATH\")\n",
                               "open('a.txt')\nopen(\"b\")\nopen(name)\nopen(f'{d}/c')\n")
                  == Lines{1, 2});
            CHECK(js_lines("pattern: require('$M')\n", "require('fs');\nrequire(name);\n")
                  == Lines{1});
        }

        SUBCASE("an expression matches wherever it stands")
        {
            CHECK(js_lines("pattern: eval($X)\n", "eval(a);\nconst b = eval(c);\nf(eval(d));\n")
                  == Lines{1, 2, 3});
        }

        SUBCASE("operators are compared; quotes and layout are not")
        {
            CHECK(python_lines("pattern: $A + 1\n", "x + 1\nx - 1\n(x +\n 1)\n") == Lines{1, 3});
            CHECK(js_lines("pattern: f('a')\n", "f(\"a\");\nf('b');\n") == Lines{1});
        }
    }

    TEST_CASE("rules::match_code: operators")
    {
        SUBCASE("pattern-not leaves out what it matches, with the bindings of the match")
        {
            CHECK(python_lines("pattern: open($F, $M)\n"
                               "pattern-not: open($F, 'r')\n",
                               "open(p, 'w')\nopen(p, 'r')\n")
                  == Lines{1});
        }

        SUBCASE("inside and not-inside look at the ancestors")
        {
            const std::string code = "def handler():\n    eval(x)\neval(y)\n";
            CHECK(python_lines("pattern: eval($X)\ninside: |\n  def $F():\n      $...B\n", code)
                  == Lines{2});
            CHECK(python_lines("pattern: eval($X)\nnot-inside: |\n  def $F():\n      $...B\n", code)
                  == Lines{3});
        }

        SUBCASE("inside binds its metavariables for where and the message")
        {
            const auto found = run(pattern_rule("javascript",
                                                "pattern: eval($X)\n"
                                                "inside: function $F($...P) { $...B }\n"
                                                "where:\n  F: {regex: '^handle'}\n"),
                                   source::Language::javascript,
                                   "function handleReq(a) {\n  eval(a);\n}\n"
                                   "function other(b) {\n  eval(b);\n}\n");
            CHECK(found.lines == Lines{2});
            rules::RuleSet named;
            REQUIRE(rules::load_rules({"test.yaml",
                                       "id: test.rule\nmessage: 'eval in {{F}}'\nseverity: low\n"
                                       "languages: [javascript]\nhelp: h\npattern: eval($X)\n"
                                       "inside: function $F($...P) { $...B }\n"},
                                      named)
                        .ok());
            CHECK(run(named,
                      source::Language::javascript,
                      "function outer() {\n  function inner(b) {\n    eval(b);\n  }\n}\n")
                      .messages
                  == std::vector<std::string>{"eval in inner"});
        }

        SUBCASE("an inside binding that a where rejects lets a farther ancestor match")
        {
            CHECK(js_lines("pattern: eval($X)\n"
                           "inside: function $F($...P) { $...B }\n"
                           "where:\n  F: {regex: '^outer'}\n",
                           "function outer() {\n  function inner(b) {\n    eval(b);\n  }\n}\n"
                           "function other() {\n  eval(c);\n}\n")
                  == Lines{3});
        }

        SUBCASE("inside and not-inside stay fast in deep nesting")
        {
            // Each of the thousands of matches has thousands of ancestors: a walk up from
            // every match, each parent found from the root, would take minutes.
            std::string code = "x = ";
            constexpr int k_depth = 3000;
            for (int i = 0; i < k_depth; ++i) {
                code += "f(\n";
            }
            code += "1" + std::string(k_depth, ')') + ";\n";
            CHECK(js_lines("pattern: f(f($X))\ninside: x = $Y\n", code).size() == k_depth - 1);
            CHECK(js_lines("pattern: f(f($X))\nnot-inside: x = $Y\n", code).empty());
            CHECK(js_lines("pattern: f(f($X))\ninside: x = $Y\nnot-inside: g($Z)\n", code).size()
                  == k_depth - 1);
        }

        SUBCASE("an interrupt stops matching without reporting")
        {
            aiops::core::request_interrupt();
            const auto found = js_lines("pattern: eval($X)\n", "eval(a);\n");
            aiops::core::clear_interrupt();
            CHECK(found.empty());
            CHECK(js_lines("pattern: eval($X)\n", "eval(a);\n") == Lines{1});
        }

        SUBCASE("any: one of the patterns; all: every one")
        {
            CHECK(js_lines("any:\n  - eval($X)\n  - setTimeout($X, $_)\n",
                           "eval(a);\nsetTimeout(b, 1);\nsetInterval(c, 1);\n")
                  == Lines{1, 2});
            CHECK(js_lines("all:\n  - f($X, $_)\n  - f($_, 2)\n", "f(1, 2);\nf(1, 3);\n")
                  == Lines{1});
        }

        SUBCASE("an item of any or all narrows its own pattern")
        {
            CHECK(js_lines("any:\n"
                           "  - pattern: eval($X)\n"
                           "    pattern-not: eval('1')\n"
                           "  - pattern: setTimeout($X, $_)\n"
                           "    not-inside: 'function $F() { $...B }'\n",
                           "eval(a);\neval('1');\nsetTimeout(b, 1);\n"
                           "function g() { setTimeout(c, 1); eval('1'); }\n")
                  == Lines{1, 3});
        }

        SUBCASE("where: regex, not-regex and kind")
        {
            const std::string code =
                "exec_sql('SELECT ' + q)\nexec_sql(query)\nexec_sql('SELECT 1')\n";
            CHECK(
                python_lines("pattern: exec_sql($Q)\nwhere:\n  Q: {kind: binary_operator}\n", code)
                == Lines{1});
            CHECK(python_lines("pattern: exec_sql($Q)\nwhere:\n  $Q: {regex: SELECT}\n", code)
                  == Lines{1, 3});
            CHECK(
                python_lines("pattern: exec_sql($Q)\nwhere:\n  Q: {not-regex: '^.SELECT'}\n", code)
                == Lines{2});
        }

        SUBCASE("a kind of TypeScript in a rule that also reads JavaScript")
        {
            const auto set = pattern_rule("javascript, typescript",
                                          "pattern: exec($C)\nwhere:\n"
                                          "  C: {kind: [identifier, as_expression]}\n");
            const std::string code = "exec(cmd as string);\nexec(cmd);\nexec('ls');\n";
            CHECK(run(set, source::Language::typescript, code).lines == Lines{1, 2});
            CHECK(run(set, source::Language::javascript, "exec(cmd);\nexec('ls');\n").lines
                  == Lines{1});
        }

        SUBCASE("an item of any that only TypeScript parses applies to TypeScript")
        {
            const auto set =
                pattern_rule("javascript, typescript", "any:\n  - f($X)\n  - g($X as $T)\n");
            CHECK(run(set, source::Language::typescript, "f(a);\ng(b as string);\n").lines
                  == Lines{1, 2});
            CHECK(run(set, source::Language::javascript, "f(a);\ng(b);\n").lines == Lines{1});
        }

        SUBCASE("where constant: a literal, or a name the file defines as one")
        {
            const std::string body = "pattern: run($C)\nwhere:\n  C: {constant: false}\n";
            CHECK(js_lines(body,
                           "const LIST = 'ls -la';\nlet other = 'x';\nconst T = `a ${b}`;\n"
                           "run(LIST);\nrun(other);\nrun(T);\nrun('a' + 'b');\nrun(['a', 1]);\n"
                           "run(`ls`);\nrun(`ls ${d}`);\nrun(cmd);\n")
                  == Lines{5, 6, 10, 11});
            CHECK(go_lines(body,
                           "package main\nconst gitPath = \"/usr/bin/git\"\nvar tool = \"x\"\n"
                           "func f() {\n\trun(gitPath)\n\trun(tool)\n\trun(\"ls\")\n}\n")
                  == Lines{6});
            CHECK(java_lines(body,
                             "class A {\n  static final String GIT = \"/usr/bin/git\";\n"
                             "  String tool = \"x\";\n  void f() {\n    run(GIT);\n    run(tool);\n"
                             "    run(new String[] {\"ls\", \"-la\"});\n"
                             "    run(new String[] {\"sh\", \"-c\", cmd});\n  }\n}\n")
                  == Lines{6, 8});
            CHECK(python_lines(body,
                               "CMD = 'ls'\nOTHER = 'a'\nOTHER = input()\nrun(CMD)\n"
                               "run(OTHER)\nrun(f'{x}')\nrun(('a', 'b'))\n")
                  == Lines{5, 6});
            CHECK(js_lines("pattern: run($C)\nwhere:\n  C: {constant: true}\n",
                           "run('a');\nrun(x);\n")
                  == Lines{1});
        }

        SUBCASE("where qname: the name a metavariable resolves to through the imports")
        {
            CHECK(python_lines(
                      "pattern: $FN($X)\nwhere:\n  FN: {qname: [os.system, subprocess.run]}\n",
                      "import os\nimport subprocess as sp\nos.system(a)\nsp.run(b)\n"
                      "run(c)\nos.popen(d)\n")
                  == Lines{3, 4});
        }

        SUBCASE("an inside binding from an assignment in the function")
        {
            const std::string body = "pattern: exec($NAME)\n"
                                     "inside: |\n"
                                     "  def $F($...P):\n"
                                     "      $...BEFORE\n"
                                     "      $NAME = $REPLY\n"
                                     "      $...AFTER\n"
                                     "where:\n  REPLY: {regex: 'choices'}\n";
            CHECK(python_lines(body,
                               "def ask(reply):\n    answer = reply.choices[0].message.content\n"
                               "    exec(answer)\n    exec(other)\n"
                               "def plain(x):\n    answer = x\n    exec(answer)\n")
                  == Lines{3});
        }

        SUBCASE("a JavaScript object literal as the whole pattern")
        {
            CHECK(js_lines(
                      "pattern: \"{role: 'system', content: $C}\"\n",
                      "const m = [{ role: 'system', content: a }, { role: 'user', content: b }];\n"
                      "if (x) { role: 'system' }\n")
                  == Lines{1});
        }

        SUBCASE("a type annotation the pattern does not write is not compared")
        {
            CHECK(python_lines("pattern: |\n  def $F($...P):\n      $...B\n",
                               "def f(x):\n    pass\ndef g(x) -> int:\n    return 1\n")
                  == Lines{1, 3});
            CHECK(python_lines("pattern: |\n  def $F($...P) -> str:\n      $...B\n",
                               "def f(x):\n    pass\ndef g(x) -> int:\n    return 1\n"
                               "def h() -> str:\n    return ''\n")
                  == Lines{5});
            const auto set = pattern_rule("typescript", "pattern: 'function $F($X) { $...B }'\n");
            CHECK(run(set,
                      source::Language::typescript,
                      "function f(a: string): void { g(a); }\nfunction h(b) { }\n")
                      .lines
                  == Lines{1, 2});
        }

        SUBCASE("focus reports the metavariable's node")
        {
            const auto found = run(pattern_rule("python", "pattern: f(a, $X)\nfocus: $X\n"),
                                   source::Language::python,
                                   "f(a,\n  b)\n");
            CHECK(found.lines == Lines{2});
        }
    }

    TEST_CASE("rules::match_code: Go and Java snippets without a statement's end")
    {
        SUBCASE("a Go expression matches wherever it stands")
        {
            const std::string code = "package main\n"
                                     "func f(host string, tool string) {\n"
                                     "\tout, _ := exec.Command(\"sh\", \"-c\", host).Output()\n"
                                     "\texec.Command(tool, \"--version\").Run()\n"
                                     "\trows, _ := db.Query(q)\n"
                                     "\tn := rand.Intn(10) + b\n"
                                     "}\n";
            CHECK(go_lines("pattern: exec.Command($P, $...A)\n", code) == Lines{3, 4});
            CHECK(go_lines("pattern: db.Query($X)\n", code) == Lines{5});
            CHECK(go_lines("pattern: rand.Intn($_)\n", code) == Lines{6});
            CHECK(go_lines("pattern: $A + b\n", code) == Lines{6});
        }

        SUBCASE("a Go statement with a block")
        {
            CHECK(go_lines("pattern: 'if err != nil { return nil }'\n",
                           "package main\nfunc f() error {\n\tif err != nil {\n\t\treturn nil\n"
                           "\t}\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn nil\n}\n")
                  == Lines{3});
        }

        SUBCASE("a Java expression needs no ';'")
        {
            const std::string code = "class A {\n"
                                     "  void f(Statement st, String id) throws Exception {\n"
                                     "    ResultSet rs = st.executeQuery(\"SELECT \" + id);\n"
                                     "    Random r = new Random();\n"
                                     "    Runtime.getRuntime().exec(cmd);\n"
                                     "  }\n"
                                     "}\n";
            CHECK(java_lines("pattern: $S.executeQuery($Q)\n", code) == Lines{3});
            CHECK(java_lines("pattern: new Random()\n", code) == Lines{4});
            CHECK(java_lines("pattern: Runtime.getRuntime().exec($C)\n", code) == Lines{5});
        }

        SUBCASE("a Java block whose statements are a $...X")
        {
            CHECK(java_lines("pattern: try { $...B } catch (Exception $E) { }\n",
                             "class A {\n  void f() {\n"
                             "    try { a(); b(); } catch (Exception e) { }\n"
                             "    try { a(); } catch (Exception e) { log(e); }\n"
                             "  }\n}\n")
                  == Lines{3});
        }
    }

    TEST_CASE("rules::match_code: qualified names")
    {
        SUBCASE("Python aliases and from-imports")
        {
            CHECK(python_lines("pattern: subprocess.call($...A, shell=True)\n",
                               "import subprocess as sp\nfrom subprocess import call\n"
                               "sp.call(c, shell=True)\ncall(c, shell=True)\n"
                               "other.call(c, shell=True)\n")
                  == Lines{3, 4});
        }

        SUBCASE("JavaScript: require, with and without destructuring")
        {
            const std::string body = "pattern: child_process.exec($CMD)\n";
            CHECK(js_lines(body, "const cp = require('child_process');\ncp.exec(c);\n")
                  == Lines{2});
            CHECK(js_lines(body,
                           "const { exec, spawn: run } = require('node:child_process');\n"
                           "exec(c);\nrun(c);\n")
                  == Lines{2});
            CHECK(js_lines(body, "const exec = require('child_process').exec;\nexec(c);\n")
                  == Lines{2});
            CHECK(js_lines("pattern: child_process.spawn($CMD)\n",
                           "const { spawn: run } = require('child_process');\nrun(c);\n")
                  == Lines{2});
        }

        SUBCASE("JavaScript: default, named (with an alias) and namespace imports")
        {
            const std::string body = "pattern: child_process.exec($CMD)\n";
            CHECK(js_lines(body, "import cp from 'child_process';\ncp.exec(c);\n") == Lines{2});
            CHECK(js_lines(body, "import * as cp from 'child_process';\ncp.exec(c);\n")
                  == Lines{2});
            CHECK(
                js_lines(body, "import { exec as run } from 'child_process';\nrun(c);\nexec(c);\n")
                == Lines{2});
        }

        SUBCASE("JavaScript: a local definition undoes an import; other objects keep their text")
        {
            const std::string body = "pattern: child_process.exec($CMD)\n";
            CHECK(js_lines(body,
                           "const { exec } = require('child_process');\n"
                           "const exec = compile(p);\nexec(c);\n")
                      .empty());
            CHECK(js_lines(body, "const cp = makeRunner();\ncp.exec(c);\n").empty());
        }

        SUBCASE("JavaScript: an inline require, a dynamic import, a later assignment, an alias")
        {
            const std::string body = "pattern: child_process.exec($CMD, $...REST)\n";
            CHECK(js_lines(body, "require('child_process').exec(c5);\n") == Lines{1});
            CHECK(js_lines("pattern: crypto.createHash('md5')\n",
                           "const h = require('crypto').createHash('md5');\n")
                  == Lines{1});
            CHECK(js_lines(body, "const cp = await import('child_process');\ncp.exec(c);\n")
                  == Lines{2});
            CHECK(js_lines(body,
                           "async function f() {\n  const cp = await import('child_process');\n"
                           "  cp.exec(c11);\n}\ncp.exec(c12);\n")
                  == Lines{3});
            CHECK(js_lines(body, "let cp;\ncp = require('child_process');\ncp.exec(c15);\n")
                  == Lines{3});
            CHECK(js_lines(body,
                           "import * as cp from 'child_process';\nconst { exec } = cp;\n"
                           "exec(x5);\n")
                  == Lines{3});
            CHECK(js_lines(body,
                           "import { exec } from 'child_process';\nconst exec2 = exec;\n"
                           "exec2(x3);\n")
                  == Lines{3});
        }

        SUBCASE("JavaScript: a parameter or local definition hides an import")
        {
            const std::string body = "pattern: child_process.exec($CMD, $...REST)\n";
            CHECK(js_lines(body,
                           "const { exec } = require('child_process');\n"
                           "function h(exec) { exec(c3); }\n"
                           "const k = (exec) => exec(c4);\n"
                           "function m() { const exec = (x) => x; exec(c5); }\n"
                           "function n({ exec }) { exec(c6); }\n"
                           "try { } catch (exec) { exec(c7); }\n"
                           "function o() { { let exec = mk(); } exec(c8); }\n"
                           "exec(c9);\n")
                  == Lines{7, 8});
            CHECK(js_lines(body,
                           "const cp = require('child_process');\n"
                           "function f(cp) { cp.exec(c8); }\n"
                           "function g() { var cp = mk(); if (x) { cp.exec(c9); } }\n"
                           "function k() { cp.exec(c10); }\n")
                  == Lines{4});
            CHECK(run(pattern_rule("typescript", body),
                      source::Language::typescript,
                      "import { exec } from 'child_process';\n"
                      "function h(exec: (c: string) => void) { exec(c3); }\nexec(c4);\n")
                      .lines
                  == Lines{3});
        }

        SUBCASE("TypeScript: import ... = require(...)")
        {
            const auto set = pattern_rule("typescript", "pattern: child_process.exec($CMD)\n");
            CHECK(run(set,
                      source::Language::typescript,
                      "import cp = require('child_process');\ncp.exec(c);\n")
                      .lines
                  == Lines{2});
        }

        SUBCASE("a rule for TypeScript reads .tsx files too")
        {
            const auto set = pattern_rule("javascript, typescript",
                                          "pattern: child_process.exec($CMD, $...REST)\n");
            REQUIRE(set.rules.size() == 1);
            CHECK(set.rules[0]->languages.back() == source::Language::tsx);
            CHECK(run(set,
                      source::Language::tsx,
                      "import { exec } from 'child_process';\nexec(c14);\n"
                      "const x = <div>{exec(c15)}</div>;\n")
                      .lines
                  == Lines{2, 3});
        }

        SUBCASE("a TypeScript rule that does not compile for tsx keeps to .ts files")
        {
            rules::RuleSet set;
            const std::string text = "id: test.rule\nmessage: m\nseverity: low\n"
                                     "languages: [typescript]\nhelp: h\nquery: |\n"
                                     "  (type_assertion) @cast\n";
            REQUIRE(rules::load_rules({"test.yaml", text}, set).ok());
            CHECK(set.rules[0]->languages == std::vector{source::Language::typescript});
        }

        SUBCASE("query rules with #qname-eq? see JavaScript imports too")
        {
            rules::RuleSet set;
            const std::string text = "id: test.rule\nmessage: m\nseverity: low\n"
                                     "languages: [javascript]\nhelp: h\nquery: |\n"
                                     "  (call_expression function: (_) @f) @call\n"
                                     "  (#qname-eq? @f \"vm.runInNewContext\")\n";
            REQUIRE(rules::load_rules({"test.yaml", text}, set).ok());
            CHECK(run(set,
                      source::Language::javascript,
                      "import { runInNewContext } from 'vm';\nrunInNewContext(code);\n")
                      .lines
                  == Lines{2});
        }

        SUBCASE(
            "a pattern that is only a name finds each form of it, the alias an import binds too")
        {
            CHECK(python_lines("pattern: os.system\n",
                               "import os\nfrom os import system as run\nf = os.system\n"
                               "g = run\nh = os.path\n")
                  == Lines{2, 3, 4});
        }

        SUBCASE("a lone metavariable with a kind is tried at nodes of that kind")
        {
            CHECK(
                python_lines("pattern: $S\nwhere:\n  S: {kind: [string, integer], regex: '^.?7'}\n",
                             "a = '7'\nb = 7\nc = x7\n")
                == Lines{1, 2});
        }

        SUBCASE("a name defined in the file is not the imported one")
        {
            CHECK(python_lines("pattern: eval($X)\n", "def eval(x):\n    pass\neval(y)\n").empty());
        }
    }
}
