#ifndef AIOPS_SOURCE_TREE_WALK_H
#define AIOPS_SOURCE_TREE_WALK_H

#include <tree_sitter/api.h>

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What a walk calls at each node a tree cursor would stop at (the visible nodes).
typedef struct AiopsTreeVisitor
{
    void* context;
    /// Called in document order before the node's children.
    void (*enter)(void* context, TSNode node);
    /// Called after the node's children (right after enter for a leaf).
    void (*leave)(void* context);
    /// Leaves out anonymous nodes without children (punctuation, keywords).
    bool skip_anonymous_leaves;
} AiopsTreeVisitor;

/// Visits every node a TSTreeCursor would visit, in the same order, by reading the
/// tree's subtrees directly. A cursor rebuilds its place among the siblings at every
/// move, which costs more than the visit itself; this keeps it on an explicit stack,
/// so deep trees do not grow the call stack. Returns false when memory ran out.
bool aiops_tree_walk(const TSTree* tree, const AiopsTreeVisitor* visitor);

#ifdef __cplusplus
}
#endif

#endif
