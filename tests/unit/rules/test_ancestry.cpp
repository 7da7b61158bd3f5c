#include "rules/ancestry.hpp"
#include "source/syntax_tree.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

namespace rules = aiops::rules;
namespace source = aiops::source;

namespace {

// The path ts_node_parent gives, root first.
std::vector<TSNode> parents_of(TSNode node)
{
    std::vector<TSNode> path{node};
    for (TSNode up = ts_node_parent(node); !ts_node_is_null(up); up = ts_node_parent(up)) {
        path.push_back(up);
    }
    std::reverse(path.begin(), path.end());
    return path;
}

bool same_path(const std::vector<TSNode>& a, const std::vector<TSNode>& b)
{
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!ts_node_eq(a[i], b[i])) {
            return false;
        }
    }
    return true;
}

} // namespace

TEST_SUITE("rules")
{
    TEST_CASE("rules::Ancestry::path_to")
    {
        const std::string code = "function f(a) {\n  if (a) { g(a + 1); }\n  return [a, b];\n}\n"
                                 "const x = h(1);\n";
        auto tree = source::parse(source::Language::javascript, code);
        REQUIRE(tree.ok());
        std::vector<TSNode> visited;
        tree->walk([&](TSNode node) { visited.push_back(node); }, [] {});
        REQUIRE(visited.size() > 20);

        SUBCASE("every node in document order has the path ts_node_parent gives")
        {
            rules::Ancestry ancestry;
            for (const TSNode node : visited) {
                CHECK(same_path(ancestry.path_to(node), parents_of(node)));
            }
        }

        SUBCASE("a node before the last one asked about, and the same node twice")
        {
            rules::Ancestry ancestry;
            const TSNode late = visited[visited.size() - 2];
            const TSNode early = visited[5];
            CHECK(same_path(ancestry.path_to(late), parents_of(late)));
            CHECK(same_path(ancestry.path_to(early), parents_of(early)));
            CHECK(same_path(ancestry.path_to(early), parents_of(early)));
            CHECK(same_path(ancestry.path_to(tree->root()), parents_of(tree->root())));
        }
    }
}
