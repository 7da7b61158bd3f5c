#pragma once

#include <tree_sitter/api.h>

#include <vector>

namespace aiops::rules {

/// The nodes that enclose the nodes matches are tried at, in one tree. Matches are
/// tried in document order, so a tree cursor that moves on from the last node asked
/// about reaches the next one in as many steps as there are nodes between them, where
/// ts_node_parent walks down from the root at every call.
class Ancestry
{
public:
    Ancestry() = default;
    Ancestry(const Ancestry&) = delete;
    Ancestry& operator=(const Ancestry&) = delete;

    ~Ancestry() { forget(); }

    /// The nodes from the root down to `target`, target last; empty when the cursor
    /// cannot reach it. The list stays valid until a call for another node.
    const std::vector<TSNode>& path_to(TSNode target);

    /// Lets go of the tree.
    void forget();

private:
    void restart(TSNode target);
    bool seek(TSNode target);

    TSTreeCursor m_cursor{};
    bool m_open = false;
    std::vector<TSNode> m_path;
};

} // namespace aiops::rules
