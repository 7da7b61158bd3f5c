#include "rules/ancestry.hpp"

namespace aiops::rules {

namespace {

bool encloses(TSNode outer, TSNode inner)
{
    return ts_node_start_byte(outer) <= ts_node_start_byte(inner)
           && ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

} // namespace

const std::vector<TSNode>& Ancestry::path_to(TSNode target)
{
    if (!m_path.empty() && ts_node_eq(m_path.back(), target)) {
        return m_path;
    }
    if (m_path.empty() || m_path.front().tree != target.tree || !seek(target)) {
        restart(target);
        if (!seek(target)) {
            m_path.clear();
        }
    }
    return m_path;
}

void Ancestry::forget()
{
    if (m_open) {
        ts_tree_cursor_delete(&m_cursor);
    }
    m_open = false;
    m_path.clear();
}

void Ancestry::restart(TSNode target)
{
    const TSNode root = ts_tree_root_node(target.tree);
    if (m_open) {
        ts_tree_cursor_reset(&m_cursor, root);
    } else {
        m_cursor = ts_tree_cursor_new(root);
        m_open = true;
    }
    m_path.assign(1, root);
}

// Moves the cursor forward in document order until it stands on the target; false
// when it passes the target or the end of the tree.
bool Ancestry::seek(TSNode target)
{
    bool left = false; // the cursor came up from the children of the path's last node
    while (true) {
        const TSNode at = m_path.back();
        if (!left) {
            if (ts_node_eq(at, target)) {
                return true;
            }
            if (encloses(at, target) && ts_tree_cursor_goto_first_child(&m_cursor)) {
                m_path.push_back(ts_tree_cursor_current_node(&m_cursor));
                continue;
            }
            if (ts_node_start_byte(at) > ts_node_start_byte(target)) {
                return false;
            }
        }
        if (ts_tree_cursor_goto_next_sibling(&m_cursor)) {
            m_path.back() = ts_tree_cursor_current_node(&m_cursor);
            left = false;
            continue;
        }
        if (!ts_tree_cursor_goto_parent(&m_cursor)) {
            return false;
        }
        m_path.pop_back();
        left = true;
    }
}

} // namespace aiops::rules
