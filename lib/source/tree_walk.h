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
    /// Called in document order before the node's children, with the node's
    /// statement row (see `containers`; 0 without them).
    void (*enter)(void* context, TSNode node, uint32_t statement_row);
    /// Called after the node's children (right after enter for a leaf).
    void (*leave)(void* context);
    /// Leaves out anonymous nodes without children (punctuation, keywords).
    bool skip_anonymous_leaves;
    /// When not NULL, by (public) symbol, `symbol_count` of them: enter and leave are
    /// called only at nodes whose symbol is set here; the walk still goes through all.
    const uint8_t* wanted;
    /// When not NULL, by symbol: the nodes whose children are statements (a module, a
    /// block). A node's statement row is then the first row of the statement it
    /// belongs to: its own row when its parent is such a node or it is the root, else
    /// its parent's statement row.
    const uint8_t* containers;
    uint32_t symbol_count;
} AiopsTreeVisitor;

/// Visits every node a TSTreeCursor would visit, in the same order, by reading the
/// tree's subtrees directly. A cursor rebuilds its place among the siblings at every
/// move, which costs more than the visit itself; this keeps it on an explicit stack,
/// so deep trees do not grow the call stack. Returns false when memory ran out.
bool aiops_tree_walk(const TSTree* tree, const AiopsTreeVisitor* visitor);

/// A child of a node and the field it stands in (0 for none).
typedef struct AiopsChild
{
    TSNode node;
    TSFieldId field;
} AiopsChild;

/// The children a TSTreeCursor visits under `node` (its visible children, through
/// hidden ones), in order, with the field ids the cursor reports for them, read from
/// the subtrees directly: a cursor costs more a child than the reading. Writes at most
/// `capacity` of them to `out` and returns how many there are, so a caller whose
/// buffer was too small calls again with a larger one. Returns UINT32_MAX when memory
/// ran out. Without `with_fields`, every field is left 0, which costs less.
uint32_t aiops_node_children(TSNode node, AiopsChild* out, uint32_t capacity, bool with_fields);

#ifdef __cplusplus
}
#endif

#endif
