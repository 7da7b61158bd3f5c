#include "printers.hpp"
#include "scan/python_names.hpp"
#include "source/syntax_tree.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

namespace scan = aiops::scan;
namespace source = aiops::source;

namespace {

void collect_callees(TSNode node, std::vector<TSNode>& out)
{
    if (std::strcmp(ts_node_type(node), "call") == 0) {
        out.push_back(ts_node_child_by_field_name(node, "function", 8));
    }
    for (uint32_t i = 0; i < ts_node_child_count(node); ++i) {
        collect_callees(ts_node_child(node, i), out);
    }
}

// The qualified name of each call's callee, in source order; "-" for none.
std::vector<std::string> callee_names(const std::string& code)
{
    auto tree = source::parse(source::Language::python, code);
    REQUIRE(tree.ok());
    const scan::PythonNames names(*tree);
    std::vector<TSNode> callees;
    collect_callees(tree->root(), callees);
    std::vector<std::string> out;
    for (const TSNode callee : callees) {
        out.push_back(names.qualified_name(callee).value_or("-"));
    }
    return out;
}

using Names = std::vector<std::string>;

} // namespace

TEST_SUITE("scan")
{
    TEST_CASE("scan::PythonNames: chains nested thousands deep")
    {
        // The right side of "x = ...", the file's only statement.
        const auto value_of = [](const source::SyntaxTree& tree) {
            const TSNode statement = ts_node_named_child(tree.root(), 0);
            return ts_node_child_by_field_name(ts_node_named_child(statement, 0), "right", 5);
        };
        // The tree reads the text it was parsed from: each text outlives its tree.
        std::string chain = "x = os";
        for (int i = 0; i < 20000; ++i) {
            chain += ".b";
        }
        chain += "\n";
        auto deep = source::parse(source::Language::python, chain);
        REQUIRE(deep.ok());
        // No module path is that long: the chain names nothing, and resolving it does not
        // recurse once a level.
        CHECK_FALSE(scan::PythonNames(*deep).qualified_name(value_of(*deep)).has_value());

        const std::string wrapped =
            "x = " + std::string(3000, '(') + "os.path.join" + std::string(3000, ')') + "\n";
        auto parenthesised = source::parse(source::Language::python, wrapped);
        REQUIRE(parenthesised.ok());
        CHECK(scan::PythonNames(*parenthesised).qualified_name(value_of(*parenthesised))
              == "os.path.join");
    }

    TEST_CASE("scan::PythonNames: scopes")
    {
        SUBCASE("a def inside a function shadows the import there, not elsewhere")
        {
            const std::string code = "from subprocess import Popen\n"
                                     "def helper():\n"
                                     "    def Popen(cmd, shell=False):\n"
                                     "        return cmd\n"
                                     "    return Popen('x', shell=True)\n"
                                     "def real(cmd):\n"
                                     "    return Popen(cmd, shell=True)\n";
            CHECK(callee_names(code) == Names{"-", "subprocess.Popen"});
        }

        SUBCASE("a nested def shadows a builtin; an assignment shadows a module")
        {
            const std::string code = "import subprocess\n"
                                     "def go(cmd):\n"
                                     "    def eval(x):\n"
                                     "        return x\n"
                                     "    return eval(cmd)\n"
                                     "def go2(cmd):\n"
                                     "    return eval(cmd)\n"
                                     "def go3(cmd):\n"
                                     "    subprocess.call(cmd, shell=True)\n"
                                     "    subprocess = FakeRunner()\n";
            // In go3 the name is local throughout, the call before the assignment included.
            CHECK(callee_names(code) == Names{"-", "eval", "-", "FakeRunner"});
        }

        SUBCASE("parameters, loop targets, with and except names are local")
        {
            const std::string code = "import os, pickle, yaml, json\n"
                                     "def a(os):\n"
                                     "    os.system(c)\n"
                                     "def b(xs):\n"
                                     "    for pickle, n in xs:\n"
                                     "        pickle.loads(n)\n"
                                     "def c():\n"
                                     "    with open(p) as yaml:\n"
                                     "        yaml.load(s)\n"
                                     "def d():\n"
                                     "    try:\n"
                                     "        pass\n"
                                     "    except E as json:\n"
                                     "        json.loads(s)\n";
            CHECK(callee_names(code) == Names{"-", "-", "open", "-", "-"});
        }

        SUBCASE("a global declaration keeps the module's name")
        {
            const std::string code = "import subprocess\n"
                                     "def a(cmd):\n"
                                     "    global subprocess\n"
                                     "    subprocess = reload(subprocess)\n"
                                     "    subprocess.run(cmd)\n";
            CHECK(callee_names(code) == Names{"reload", "subprocess.run"});
        }

        SUBCASE("a class body's names count in the body, not in its methods")
        {
            const std::string code = "from subprocess import run\n"
                                     "class Job:\n"
                                     "    def run(self, cmd):\n"
                                     "        return cmd\n"
                                     "    result = run(x)\n"
                                     "    def go(self, cmd):\n"
                                     "        return run(cmd)\n";
            CHECK(callee_names(code) == Names{"-", "subprocess.run"});
        }

        SUBCASE("a parenthesised callee names what it holds")
        {
            CHECK(callee_names("import subprocess as sp\n(sp.run)(c, shell=True)\n")
                  == Names{"subprocess.run"});
        }
    }

    TEST_CASE("scan::PythonNames::literal_truth: implicitly joined strings")
    {
        auto tree = source::parse(source::Language::python, "a = '' \"\"\nb = '' 'x'\n");
        REQUIRE(tree.ok());
        const scan::PythonNames names(*tree);
        const TSNode root = tree->root();
        const auto value_of = [&](uint32_t statement) {
            const TSNode assignment = ts_node_named_child(ts_node_named_child(root, statement), 0);
            return names.literal_truth(ts_node_child_by_field_name(assignment, "right", 5));
        };
        CHECK(value_of(0) == std::optional<bool>(false));
        CHECK(value_of(1) == std::optional<bool>(true));
    }
}
