#include "core/strings.hpp"
#include "printers.hpp"
#include "rules/rule.hpp"
#include "scan/engine.hpp"
#include "scan/scan.hpp"
#include "source/syntax_tree.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace rules = aiops::rules;
namespace scan = aiops::scan;
namespace source = aiops::source;

namespace {

// A one-rule set over Python with the given query.
rules::RuleSet rule_with_query(const std::string& query)
{
    std::string text = "id: test.rule\n"
                       "message: found\n"
                       "severity: low\n"
                       "confidence: high\n"
                       "languages: [python]\n"
                       "help: A rule of the engine's tests.\n"
                       "query: |\n";
    for (const auto& line : aiops::core::split(query, '\n')) {
        text += "  " + std::string(line) + "\n";
    }
    rules::RuleSet set;
    const auto loaded = rules::load_rules({"test.yaml", text}, set);
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? std::string() : loaded.error().message()));
    return set;
}

// A one-rule set over Python with a code pattern and its `where` conditions (YAML).
rules::RuleSet rule_with_pattern(const std::string& pattern, const std::string& where)
{
    const std::string text = "id: test.rule\n"
                             "message: found\n"
                             "severity: low\n"
                             "confidence: high\n"
                             "languages: [python]\n"
                             "help: A rule of the engine's tests.\n"
                             "pattern: "
                             + pattern + "\nwhere:\n" + where;
    rules::RuleSet set;
    const auto loaded = rules::load_rules({"test.yaml", text}, set);
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? std::string() : loaded.error().message()));
    return set;
}

// The lines (1-based) where the rule matches the code.
std::vector<std::size_t> matched_lines(const rules::RuleSet& set, const std::string& code)
{
    const scan::RuleEngine engine(set);
    auto tree = source::parse(source::Language::python, code);
    REQUIRE(tree.ok());
    std::vector<std::size_t> lines;
    for (const auto& match : engine.run(*tree).matches) {
        std::size_t line = 1;
        for (std::size_t i = 0; i < match.start_byte; ++i) {
            line += code[i] == '\n' ? 1 : 0;
        }
        lines.push_back(line);
    }
    return lines;
}

using Lines = std::vector<std::size_t>;

} // namespace

// The engine rules nodes out by text before it matches their structure; these cases
// hold matches that a careless text check would lose.
TEST_SUITE("scan")
{
    TEST_CASE("scan::RuleEngine: text checks keep every match")
    {
        SUBCASE("a '^' that negates a class is not an anchor")
        {
            const auto set = rule_with_query("(string (string_content) @s) @hit\n"
                                             "(#match? @s \"^[^/]tmp$\")");
            CHECK(matched_lines(set, "a = 'xtmp'\nb = '/tmp'\nc = 'ytmpz'\n") == Lines{1});
        }

        SUBCASE("an escaped '$' is a character; word boundaries are assertions")
        {
            const auto set = rule_with_query("(string (string_content) @s) @hit\n"
                                             "(#match? @s \"\\\\bcost\\\\$$\")");
            CHECK(matched_lines(set, "a = 'cost$'\nb = 'unit cost$'\nc = 'costs$'\n")
                  == Lines{1, 2});
        }

        SUBCASE("alternatives that share only their first byte")
        {
            const auto set = rule_with_query("(string (string_content) @s) @hit\n"
                                             "(#match? @s \"^(?:/tmp|/var/tmp)(?:/|$)\")");
            CHECK(matched_lines(set, "a = '/var/tmp/x'\nb = '/usr/tmp'\nc = '/tmp'\n")
                  == Lines{1, 3});
        }

        SUBCASE("a case-insensitive pattern")
        {
            const auto set = rule_with_query("(assignment left: (identifier) @n) @hit\n"
                                             "(#match? @n \"(?i)^db_password$\")");
            CHECK(matched_lines(set, "DB_PASSWORD = 1\ndb_password_hint = 2\nDb_Password = 3\n")
                  == Lines{1, 3});
        }

        SUBCASE("a qualified-name pattern sees through an alias")
        {
            const auto set =
                rule_with_query("(call function: (_) @fn) @hit\n"
                                "(#qname-match? @fn \"^pysnmp\\\\..*\\\\.CommunityData$\")");
            const std::string code = "from pysnmp.hlapi import CommunityData as CD\n"
                                     "CD('public')\n"
                                     "def CommunityData(x):\n"
                                     "    return x\n"
                                     "CommunityData('local')\n";
            CHECK(matched_lines(set, code) == Lines{2});
        }

        SUBCASE("a word counts only with its case and inside the node")
        {
            const auto set = rule_with_query("(call function: (identifier) @f) @hit\n"
                                             "(#eq? @f \"Run\")");
            CHECK(matched_lines(set, "x = 'Run'\nrun()\nRUN()\nRun()\n") == Lines{4});
        }

        SUBCASE("a word that occurs several times in one node")
        {
            const auto set = rule_with_query("(call function: (identifier) @f) @hit\n"
                                             "(#any-of? @f \"go\" \"stop\")");
            CHECK(matched_lines(set, "f(go)\ngo(go)\nh(stop, stop)\n") == Lines{2});
        }

        SUBCASE("what a pattern found in one node is not carried to the next")
        {
            const auto set = rule_with_query("(assignment left: (identifier) @n) @hit\n"
                                             "(#match? @n \"^(?:secret|token)$\")");
            CHECK(matched_lines(set, "other = 1\nsecret = 2\nplain = 3\ntoken = 4\n")
                  == Lines{2, 4});
        }

        SUBCASE("a byte outside ASCII is seen wherever it is in the file")
        {
            const auto set = rule_with_query("(identifier) @hit\n"
                                             "(#match? @hit \"[^\\x00-\\x7f]\")");
            CHECK(matched_lines(set, "a = 1\nb = z\u00e9\n") == Lines{2});
            CHECK(matched_lines(set, "z\u00e9 = 1\nb = 2\n") == Lines{1});
            CHECK(matched_lines(set, "a = 1\nb = 2\n").empty());
        }

        SUBCASE("a predicate inside one pattern narrows that pattern only")
        {
            const auto set =
                rule_with_query("((string) @s (#match? @s \"(?i)select\\\\s.*from\"))\n"
                                "((call function: (identifier) @f) @c\n"
                                " (#eq? @f \"run\"))");
            CHECK(matched_lines(set,
                                "a = 'SeLeCt x FROM t'\nb = 'select'\nrun()\nc = 'from select'\n")
                  == Lines{1, 3});
        }

        SUBCASE("the strings a pattern needs: each of one alternative, in its order")
        {
            const auto set = rule_with_query("(string) @s\n"
                                             "(#match? @s \"(?i)(?:alpha.*beta|gamma)\")");
            CHECK(matched_lines(set,
                                "a = 'alpha'\nb = 'ALPHA, BETA'\nc = 'beta alpha'\n"
                                "d = 'Gamma'\ne = 'alpha gamm'\n")
                  == Lines{2, 4});
        }

        SUBCASE("a regex on a metavariable of a code pattern")
        {
            const auto set = rule_with_pattern("$DB.$METHOD($Q)",
                                               "  METHOD: {regex: \"^(execute|executemany)$\"}\n");
            CHECK(matched_lines(set,
                                "db.execute(q)\ndb.executescript(q)\ndb.fetch(q)\n"
                                "db.executemany(q)\nexecute = db.run(q)\n")
                  == Lines{1, 4});
        }

        SUBCASE("a regex on a metavariable bound only by 'inside' reads outside the node")
        {
            const auto set =
                rule_with_pattern("run($X)\ninside: |\n  def $F($...P):\n      $...B\n",
                                  "  F: {regex: \"^handler$\"}\n");
            CHECK(matched_lines(set, "def handler(a):\n    run(a)\ndef other(a):\n    run(a)\n")
                  == Lines{2});
        }

        SUBCASE("a callee indexed by name is found however it is written")
        {
            const auto set = rule_with_query("(call function: (_) @f) @hit\n"
                                             "(#qname-any-of? @f \"subprocess.Popen\")");
            const std::string code = "import subprocess as sp\n"
                                     "from subprocess import Popen as P\n"
                                     "sp.Popen(a)\n"
                                     "P(a)\n"
                                     "sp . Popen(a)\n"
                                     "(sp.Popen)(a)\n"
                                     "(sp.\n"
                                     "  Popen)(a)\n"
                                     "other.Popen(a)\n"
                                     "sp.Popenx(a)\n"
                                     "sp.Popen.wait(a)\n";
            CHECK(matched_lines(set, code) == Lines{3, 4, 5, 6, 7});
        }

        SUBCASE("a dotted callee is found through what its first name is bound to")
        {
            const auto set = rule_with_query("(call function: (_) @f) @hit\n"
                                             "(#qname-any-of? @f \"os.path.join\")");
            const std::string code = "import os\n"
                                     "from os import path\n"
                                     "import os.path as osp\n"
                                     "os.path.join(a)\n"
                                     "path.join(a)\n"
                                     "osp.join(a)\n"
                                     "d.join(a)\n"
                                     "os.path.joinx(a)\n"
                                     "def f(os):\n"
                                     "    os.path.join(a)\n";
            CHECK(matched_lines(set, code) == Lines{4, 5, 6});
        }

        SUBCASE("a name pattern of alternatives needs the pieces of one of them")
        {
            const auto set =
                rule_with_query("(call function: (_) @f) @hit\n"
                                "(#qname-match? @f \"^(transformers\\\\..*\\\\.from_pretrained|"
                                "datasets(\\\\.[a-z_]+)*\\\\.load_dataset)$\")");
            CHECK(matched_lines(set,
                                "from transformers import AutoModel as M\n"
                                "M.from_pretrained('x')\n")
                  == Lines{2});
            CHECK(matched_lines(set, "import datasets as d\nd.load_dataset('x')\n") == Lines{2});
            CHECK(matched_lines(set, "import datasets as d\nd.from_pretrained('x')\n").empty());
            CHECK(matched_lines(set, "M.from_pretrained('x')\n").empty());
        }

        SUBCASE("assertions whose removal would make a regex stricter")
        {
            // A repeat on an assertion, a quoted literal, a negated Unicode class: taken
            // as plain text, each would rule out the nodes that match.
            CHECK(matched_lines(rule_with_query(R"q(((identifier) @x (#match? @x "foo\\b{2}")))q"),
                                "foo = 1\n")
                  == Lines{1});
            CHECK(matched_lines(rule_with_query(R"q(((string) @s (#match? @s "\\Q2^10\\E")))q"),
                                "x = \"2^10\"\n")
                  == Lines{1});
            CHECK(matched_lines(rule_with_query(R"q(((string) @s (#match? @s "\\Qa\\bc\\E")))q"),
                                "x = r\"a\\bc\"\n")
                  == Lines{1});
            CHECK(matched_lines(
                      rule_with_query(R"q(((identifier) @x (#match? @x "\\p{^Greek}secret")))q"),
                      "my_secret = 1\n")
                  == Lines{1});
            CHECK(matched_lines(rule_with_pattern("print($X)", "  X: {regex: '\\Qcost$5\\E'}\n"),
                                "print(\"cost$5\")\n")
                  == Lines{1});
            CHECK(matched_lines(rule_with_pattern("run($X)", "  X: {regex: 'end${2}'}\n"),
                                "run(the_end)\n")
                  == Lines{1});
        }

        SUBCASE("case folds outside ASCII too")
        {
            // U+212A KELVIN SIGN folds to 'k', which the pattern's literal holds.
            const auto set = rule_with_query("(assignment left: (identifier) @n) @hit\n"
                                             "(#match? @n \"(?i)^key_size$\")");
            CHECK(matched_lines(set, "key_sizes = 1\n\u212aey_size = 2\nKEY_SIZE = 3\n")
                  == Lines{2, 3});
        }
    }
}

TEST_SUITE("scan")
{
    TEST_CASE("scan::RuleEngine::run: words found by the caller")
    {
        const auto set = rule_with_query("(call function: (identifier) @f) @hit\n"
                                         "(#eq? @f \"Run\")");
        const scan::RuleEngine engine(set);
        REQUIRE(engine.words(source::Language::python) == std::vector<std::string>{"Run"});
        const std::string code = "run()\nRun()\nx = 'Run'\n";
        auto tree = source::parse(source::Language::python, code);
        REQUIRE(tree.ok());

        SUBCASE("the places of the caller's hits are used, under the ids it gave")
        {
            scan::KeywordAutomaton search;
            search.add("zzz", 0); // a keyword of someone else
            search.add("run", 1);
            search.build();
            const auto hits = search.hits(code);
            const auto matches = engine.run(*tree, &hits, /*first_word=*/1).matches;
            REQUIRE(matches.size() == 1);
            CHECK(matches[0].start_byte == 6);
        }

        SUBCASE("a word without hits is not in the file")
        {
            const std::vector<scan::KeywordHit> none;
            CHECK(engine.run(*tree, &none, /*first_word=*/1).matches.empty());
        }
    }
}

TEST_CASE(
    "scan::RuleEngine: a file must hold the literal a qualified-name pattern needs, and only that")
{
    const auto rule = [](const std::string& regex) {
        return rule_with_query("(call function: (_) @f) @hit\n(#qname-match? @f \"" + regex
                               + "\")");
    };
    // The literal is looked for outside dots: the name joins the file's pieces.
    const auto dotted = rule("^(pkg\\\\.sub\\\\.)?Thing$");
    CHECK(matched_lines(dotted, "from pkg.sub import Thing as T\nT()\n") == Lines{2});
    CHECK(matched_lines(dotted, "import pkg.sub as p\np.Thing()\n") == Lines{2});
    CHECK(matched_lines(dotted, "import pkg.sub as p\np.Other()\n").empty());
    // Optional and repeated parts, classes and groups are not required text.
    CHECK(matched_lines(rule("^mod\\\\.Cla?ss+[0-9]*(X)?$"), "import mod\nmod.Clsss7()\n")
          == Lines{2});
    // A top-level alternation or a flag leaves nothing certain.
    CHECK(matched_lines(rule("^Foo$|^Bar$"), "Bar()\n") == Lines{1});
    CHECK(matched_lines(rule("(?i)^bar$"), "BAR()\n") == Lines{1});
}

TEST_CASE("scan::load_rule_set: the built-in rules loaded side by side are those loaded in turn")
{
    // Loading in turn into one set also refuses an id that two built-in files share.
    aiops::rules::RuleSet in_turn;
    for (const auto& source : aiops::rules::builtin_rule_sources()) {
        REQUIRE(aiops::rules::load_rules(source, in_turn).ok());
    }
    const auto side_by_side =
        scan::load_rule_set(/*builtin=*/true, std::vector<scan::RulePath>{}, /*jobs=*/3);
    REQUIRE(side_by_side.ok());
    REQUIRE(side_by_side->rules.size() == in_turn.rules.size());
    CHECK(in_turn.rules.size() > 200);
    for (std::size_t i = 0; i < in_turn.rules.size(); ++i) {
        CHECK(side_by_side->rules[i]->id == in_turn.rules[i]->id);
    }
}

TEST_CASE("scan::RuleEngine: built on several threads, it finds what it finds built on one")
{
    // Read ahead: half the built-in files as YAML documents, the others read while loading.
    const auto& sources = aiops::rules::builtin_rule_sources();
    std::vector<std::shared_ptr<const aiops::rules::RuleDocument>> read_ahead(sources.size());
    for (std::size_t i = 0; i < sources.size(); i += 2) {
        auto document = aiops::rules::read_rule_document(sources[i]);
        REQUIRE(document.ok());
        read_ahead[i] = *document;
    }
    const auto set = scan::load_rule_set(
        /*builtin=*/true, std::vector<scan::RulePath>{}, /*jobs=*/2, {}, read_ahead);
    REQUIRE(set.ok());
    const auto plain = scan::load_rule_set(/*builtin=*/true, std::vector<scan::RulePath>{}, 1);
    REQUIRE(plain.ok());
    REQUIRE(set->rules.size() == plain->rules.size());
    const std::string code = "import subprocess as sp, pickle, yaml\n"
                             "from hashlib import md5\n"
                             "sp.Popen(cmd, shell=True)\n"
                             "pickle.loads(data)\n"
                             "yaml.load(text)\n"
                             "md5(b'x')\n"
                             "assert user.is_admin\n"
                             "eval(input())\n";
    const auto tree = aiops::source::parse(aiops::source::Language::python, code);
    REQUIRE(tree.ok());
    const auto found = [&](const aiops::rules::RuleSet& rules, unsigned jobs) {
        std::vector<std::tuple<std::string, uint32_t, uint32_t>> out;
        for (const auto& match : scan::RuleEngine(rules, jobs).run(*tree).matches) {
            out.emplace_back(match.rule->id, match.start_byte, match.end_byte);
        }
        return out;
    };
    const auto in_turn = found(*plain, 1);
    CHECK(in_turn.size() >= 6);
    CHECK(found(*set, 4) == in_turn);
    CHECK(found(*plain, 3) == in_turn);
}
