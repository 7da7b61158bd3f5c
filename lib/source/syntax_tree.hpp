#pragma once

#include "core/error.hpp"
#include "source/language.hpp"
#include "source/tree_walk.h"

#include <tree_sitter/api.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace aiops::source {

/// A parsed file: owns the tree-sitter tree; the text it was parsed from must outlive it.
class SyntaxTree
{
public:
    SyntaxTree(TSTree* tree, Language language, std::string_view text);

    TSNode root() const { return ts_tree_root_node(m_tree.get()); }

    Language language() const { return m_language; }

    std::string_view text() const { return m_text; }

    bool has_error() const { return ts_node_has_error(root()); }

    /// The source text a node covers.
    std::string_view node_text(TSNode node) const;

    /// Which nodes a walk visits.
    enum class Visit
    {
        all,          ///< every node a tree cursor visits
        named_leaves, ///< all but anonymous nodes without children (punctuation, keywords)
    };

    /// Calls enter(node) at every node a tree cursor would visit, in document order,
    /// and leave() once the node's children are done, without a cursor's cost.
    template <typename Enter, typename Leave>
    void walk(Enter&& enter, Leave&& leave, Visit visit = Visit::all) const
    {
        struct Calls
        {
            Enter& enter;
            Leave& leave;
        } calls{enter, leave};

        const AiopsTreeVisitor visitor{
            &calls,
            [](void* context, TSNode node, uint32_t) { static_cast<Calls*>(context)->enter(node); },
            [](void* context) { static_cast<Calls*>(context)->leave(); },
            visit == Visit::named_leaves,
            nullptr,
            nullptr,
            0};
        if (!aiops_tree_walk(m_tree.get(), &visitor)) {
            throw std::bad_alloc();
        }
    }

    /// Calls enter(node, statement row) at the nodes whose symbol is set in `wanted`
    /// (at every node but anonymous leaves when it is empty), in document order. A node's
    /// statement row is the first row of the statement it is part of: `containers`
    /// marks, by symbol, the nodes whose children are statements (the root's always
    /// are). Anonymous leaves are never visited.
    template <typename Enter>
    void walk_statements(const std::vector<std::uint8_t>& wanted,
                         const std::vector<std::uint8_t>& containers,
                         Enter&& enter) const
    {
        if (!wanted.empty() && wanted.size() != containers.size()) {
            throw std::invalid_argument("walk_statements: wanted and containers differ in size");
        }
        using Call = std::remove_reference_t<Enter>;
        const AiopsTreeVisitor visitor{const_cast<void*>(static_cast<const void*>(&enter)),
                                       [](void* context, TSNode node, uint32_t statement_row) {
                                           (*static_cast<Call*>(context))(node, statement_row);
                                       },
                                       [](void*) {},
                                       true,
                                       wanted.empty() ? nullptr : wanted.data(),
                                       containers.data(),
                                       static_cast<uint32_t>(containers.size())};
        if (!aiops_tree_walk(m_tree.get(), &visitor)) {
            throw std::bad_alloc();
        }
    }

private:
    struct TreeDeleter
    {
        void operator()(TSTree* tree) const { ts_tree_delete(tree); }
    };

    std::unique_ptr<TSTree, TreeDeleter> m_tree;
    Language m_language;
    std::string_view m_text;
};

/// Reads into `out` the children a tree cursor visits under a node (through hidden
/// nodes), each with the field id the cursor reports, without a cursor's cost.
void read_children(TSNode node, std::vector<AiopsChild>& out);

/// Whether for_each_child reports the field each child stands in.
enum class ChildFields
{
    read,
    skipped, ///< every field is 0, which costs less
};

/// Calls visit(child, field id) for each child a tree cursor visits under a node, as
/// read_children reads them; a few are read into a buffer on the stack.
template <typename Visit>
void for_each_child(TSNode node, Visit&& visit, ChildFields fields = ChildFields::read)
{
    constexpr uint32_t k_local = 16;
    std::array<AiopsChild, k_local> local; // NOLINT: filled before it is read
    const uint32_t count =
        aiops_node_children(node, local.data(), k_local, fields == ChildFields::read);
    if (count == UINT32_MAX) {
        throw std::bad_alloc();
    }
    if (count <= k_local) {
        for (uint32_t i = 0; i < count; ++i) {
            visit(local[i].node, local[i].field);
        }
        return;
    }
    std::vector<AiopsChild> all;
    read_children(node, all);
    for (const AiopsChild& child : all) {
        visit(child.node, fields == ChildFields::read ? child.field : TSFieldId{0});
    }
}

/// For C and C++: a copy of text in which the lines of `#ifdef __cplusplus` blocks that
/// hold only `extern "C" {` or its closing `}` are blanked (byte offsets are kept).
/// The grammar cannot pair braces across preprocessor blocks, and headers use this
/// idiom everywhere.
std::string blank_extern_c_guards(std::string_view text);

/// Parses UTF-8 text with the language's grammar, reusing one parser per thread. Fails
/// with ErrorCode::interrupted when an interrupt is requested during the parse.
/// With a time limit (0: none), a parse that takes longer fails with ErrorCode::input
/// ("parsing took longer than N ms").
core::Result<SyntaxTree> parse(Language language,
                               std::string_view text,
                               std::chrono::milliseconds time_limit = std::chrono::milliseconds(0));

/// One place where the parser could not follow the grammar.
struct SyntaxProblem
{
    enum class Kind
    {
        error,   ///< text the grammar does not allow here (an ERROR node)
        missing, ///< a token the parser had to assume (a MISSING node)
    };

    Kind kind = Kind::error;
    std::size_t start_byte = 0;
    std::size_t end_byte = 0;
    std::string message; ///< "unexpected 'else'", "missing ')'", ...
};

/// Every outermost ERROR node and every MISSING node, in source order. At most `limit`
/// are described; `total` receives how many there are in all.
std::vector<SyntaxProblem>
find_syntax_problems(const SyntaxTree& tree, std::size_t limit, std::size_t& total);

} // namespace aiops::source
