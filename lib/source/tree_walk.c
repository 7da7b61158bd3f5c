// A walk over tree-sitter's own subtree structures. It follows the rules of the
// runtime's tree cursor (tree_cursor.c) for which nodes are visible and where they
// start, so it depends on the pinned runtime version's internal headers.
#include "tree_walk.h"

#include "language.h"
#include "length.h"
#include "subtree.h"
#include "tree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// Where a walk stands among the children of one subtree.
typedef struct
{
    Subtree parent;
    const TSSymbol* alias_sequence;
    Length position; ///< where the next child starts
    uint32_t child_index;
    uint32_t structural_child_index;
} Children;

// One child, as the cursor sees it.
typedef struct
{
    const Subtree* subtree;
    Length position;
    TSSymbol alias;
    uint32_t structural_index; ///< among the parent's children that are not extras
    bool visible;
    bool extra;
} Child;

static inline Children children_of(const TSTree* tree, Subtree parent, Length position)
{
    return (Children){
        .parent = parent,
        .alias_sequence = ts_language_alias_sequence(tree->language, parent.ptr->production_id),
        .position = position,
    };
}

// The next child (there must be one), and the place moved past it, following the
// runtime's cursor: an alias makes a hidden child visible, and extras have no
// structural index.
static inline Child next_child(Children* at)
{
    const Subtree* children = ts_subtree_children(at->parent);
    const Subtree* subtree = &children[at->child_index];
    Child child = {
        .subtree = subtree,
        .position = at->position,
        .structural_index = at->structural_child_index,
        .visible = ts_subtree_visible(*subtree),
        .extra = ts_subtree_extra(*subtree),
    };
    if (!child.extra) {
        if (at->alias_sequence != NULL) {
            child.alias = at->alias_sequence[at->structural_child_index];
            child.visible |= child.alias != 0;
        }
        ++at->structural_child_index;
    }
    // The next child starts after this one and its own padding.
    at->position = length_add(at->position, ts_subtree_size(*subtree));
    if (++at->child_index < at->parent.ptr->child_count) {
        at->position = length_add(at->position, ts_subtree_padding(children[at->child_index]));
    }
    return child;
}

typedef struct
{
    Children children;
    bool visible; ///< whether leaving the parent is reported
    /// Of the nearest visible node at or above the parent: whether its children are
    /// statements, and its statement row.
    bool container;
    uint32_t statement_row;
} Frame;

typedef struct
{
    Frame* frames;
    uint32_t size;
    uint32_t capacity;
} FrameStack;

static inline bool push_frame(FrameStack* stack,
                              const TSTree* tree,
                              const Subtree* parent,
                              Length position,
                              bool visible,
                              bool container,
                              uint32_t statement_row)
{
    if (stack->size == stack->capacity) {
        const uint32_t capacity = stack->capacity == 0 ? 64 : stack->capacity * 2;
        Frame* grown = realloc(stack->frames, capacity * sizeof(Frame));
        if (grown == NULL) {
            return false;
        }
        stack->frames = grown;
        stack->capacity = capacity;
    }
    stack->frames[stack->size++] = (Frame){
        .children = children_of(tree, *parent, position),
        .visible = visible,
        .container = container,
        .statement_row = statement_row,
    };
    return true;
}

// The symbol a node shows (its alias, or its own), as ts_node_symbol gives it: the
// public one, looked up in place rather than by a call for every node.
static TSSymbol public_symbol(const TSTree* tree, const Subtree* subtree, TSSymbol alias)
{
    const TSSymbol symbol = alias != 0 ? alias : ts_subtree_symbol(*subtree);
    return symbol == ts_builtin_sym_error ? symbol : tree->language->public_symbol_map[symbol];
}

// A flag of the visitor's by symbol: set when there is no table at all.
static bool flag_of(const uint8_t* flags, const AiopsTreeVisitor* visitor, TSSymbol symbol)
{
    return flags == NULL || (symbol < visitor->symbol_count && flags[symbol]);
}

bool aiops_tree_walk(const TSTree* tree, const AiopsTreeVisitor* visitor)
{
    const Subtree* root = &tree->root;
    const Length root_position = ts_subtree_padding(*root);
    const bool root_wanted = flag_of(visitor->wanted, visitor, public_symbol(tree, root, 0));
    if (root_wanted) {
        visitor->enter(visitor->context,
                       ts_node_new(tree, root, root_position, 0),
                       visitor->containers != NULL ? root_position.extent.row : 0);
    }
    FrameStack stack = {NULL, 0, 0};
    if (ts_subtree_child_count(*root) == 0) {
        if (root_wanted) {
            visitor->leave(visitor->context);
        }
        return true;
    }
    // The root's children start statements of their own, whatever the root is.
    if (!push_frame(
            &stack, tree, root, root_position, root_wanted, true, root_position.extent.row)) {
        return false;
    }
    bool ok = true;
    while (stack.size > 0) {
        Frame* frame = &stack.frames[stack.size - 1];
        if (frame->children.child_index == frame->children.parent.ptr->child_count) {
            const bool visible = frame->visible;
            --stack.size;
            if (visible) {
                visitor->leave(visitor->context);
            }
            continue;
        }
        const Child next = next_child(&frame->children);
        const Subtree* child = next.subtree;
        const Length position = next.position;
        const TSSymbol alias = next.alias;
        const bool visible = next.visible;
        const bool leaf = ts_subtree_child_count(*child) == 0;
        if (visible && leaf && visitor->skip_anonymous_leaves
            && !(alias != 0 ? ts_language_symbol_metadata(tree->language, alias).named
                            : ts_subtree_named(*child))) {
            continue;
        }
        const bool container = frame->container;
        const uint32_t parent_row = frame->statement_row;
        if (visible) {
            uint32_t statement_row = 0;
            bool child_container = false;
            TSSymbol symbol = 0;
            if (visitor->wanted != NULL || visitor->containers != NULL) {
                symbol = public_symbol(tree, child, alias);
            }
            if (visitor->containers != NULL) {
                statement_row = container ? position.extent.row : parent_row;
                child_container = flag_of(visitor->containers, visitor, symbol);
            }
            const bool wanted = flag_of(visitor->wanted, visitor, symbol);
            if (wanted) {
                visitor->enter(
                    visitor->context, ts_node_new(tree, child, position, alias), statement_row);
            }
            if (leaf) {
                if (wanted) {
                    visitor->leave(visitor->context);
                }
            } else if (!push_frame(
                           &stack, tree, child, position, wanted, child_container, statement_row)) {
                ok = false;
                break;
            }
        } else if (ts_subtree_visible_child_count(*child) > 0
                   && !push_frame(&stack, tree, child, position, false, container, parent_row)) {
            ok = false;
            break;
        }
    }
    free(stack.frames);
    return ok;
}

// A node whose children are being read: the node itself (the first) or a hidden node
// under it, and where its own entry stands in its parent.
typedef struct
{
    Children children;
    uint32_t own_structural_index; ///< of this hidden node among its parent's children
    bool own_extra;
} ChildFrame;

// The field a child stands in, as ts_tree_cursor_current_field_id finds it: in the
// field map of its parent, and while no field names it there, in that of the hidden
// nodes' parents above it, up to the node whose children are read.
static TSFieldId field_of_child(const TSLanguage* language,
                                const ChildFrame* frames,
                                uint32_t top,
                                uint32_t structural_index,
                                bool extra)
{
    for (uint32_t level = top;; --level) {
        if (extra) {
            return 0;
        }
        const TSFieldMapEntry* map = NULL;
        const TSFieldMapEntry* map_end = NULL;
        ts_language_field_map(
            language, frames[level].children.parent.ptr->production_id, &map, &map_end);
        for (; map < map_end; ++map) {
            if (!map->inherited && map->child_index == structural_index) {
                return map->field_id;
            }
        }
        if (level == 0) {
            return 0;
        }
        structural_index = frames[level].own_structural_index;
        extra = frames[level].own_extra;
    }
}

uint32_t aiops_node_children(TSNode node, AiopsChild* out, uint32_t capacity, bool with_fields)
{
    const Subtree* subtree = (const Subtree*)node.id;
    if (subtree == NULL || ts_subtree_child_count(*subtree) == 0) {
        return 0;
    }
    const TSTree* tree = node.tree;

    enum
    {
        k_local_frames = 32
    };

    ChildFrame local[k_local_frames];
    ChildFrame* frames = local;
    uint32_t frame_capacity = k_local_frames;
    const Length start = {ts_node_start_byte(node), ts_node_start_point(node)};
    frames[0] = (ChildFrame){.children = children_of(tree, *subtree, start)};
    uint32_t size = 1;
    uint32_t count = 0;
    while (size > 0) {
        ChildFrame* frame = &frames[size - 1];
        if (frame->children.child_index == frame->children.parent.ptr->child_count) {
            --size;
            continue;
        }
        const Child next = next_child(&frame->children);
        if (next.visible) {
            if (count < capacity) {
                out[count].node = ts_node_new(tree, next.subtree, next.position, next.alias);
                out[count].field =
                    with_fields ? field_of_child(
                        tree->language, frames, size - 1, next.structural_index, next.extra)
                                : 0;
            }
            ++count;
            continue;
        }
        if (ts_subtree_visible_child_count(*next.subtree) == 0) {
            continue;
        }
        if (size == frame_capacity) {
            const uint32_t grown_capacity = frame_capacity * 2;
            ChildFrame* grown = frames == local
                                    ? malloc(grown_capacity * sizeof(ChildFrame))
                                    : realloc(frames, grown_capacity * sizeof(ChildFrame));
            if (grown == NULL) {
                if (frames != local) {
                    free(frames);
                }
                return UINT32_MAX;
            }
            if (frames == local) {
                memcpy(grown, local, sizeof local);
            }
            frames = grown;
            frame_capacity = grown_capacity;
        }
        frames[size++] = (ChildFrame){
            .children = children_of(tree, *next.subtree, next.position),
            .own_structural_index = next.structural_index,
            .own_extra = next.extra,
        };
    }
    if (frames != local) {
        free(frames);
    }
    return count;
}
