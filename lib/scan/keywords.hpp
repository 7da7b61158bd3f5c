#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace re2 {
class RE2;
}

namespace aiops::scan {

/// The least and the greatest string of at most max_length bytes that a match of the
/// regex can start with (RE2::PossibleMatchRange), or nothing when RE2 cannot tell. They
/// are found on a copy of the regex: the DFA that finds them would otherwise stay in the
/// regex as long as it lives, though matching never uses it.
std::optional<std::pair<std::string, std::string>> match_range(const re2::RE2& regex,
                                                               int max_length);

/// The bytes every match of the regex starts with (at most max_length): the common start
/// of the least and the greatest string of match_range.
std::string match_prefix(const re2::RE2& regex, int max_length);

/// The common start of a match_range's least and greatest string.
std::string match_prefix(const std::pair<std::string, std::string>& range);

/// One place a keyword occurs: its id and the offset of its last byte.
struct KeywordHit
{
    int id;
    std::size_t last;
};

/// Strings found in one pass: a keyword automaton over ASCII-folded bytes whose
/// alphabet is only the bytes keywords use (all other bytes share one class).
class KeywordAutomaton
{
public:
    /// Adds a keyword (already lowercase) reported as `id`.
    void add(std::string_view keyword, int id);

    /// Builds the transition table; call once after the last add.
    void build();

    /// Whether no keyword was added.
    bool empty() const { return m_trie.size() <= 1; }

    /// Calls hit(id, offset of the keyword's last byte) for every occurrence.
    template <typename Hit> void find(std::string_view text, Hit&& hit) const
    {
        if (m_trie.size() <= 1) {
            return;
        }
        const std::uint32_t* rows = m_row.data();
        std::uint32_t row = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (step(rows, row, text[i])) {
                for (const Output& output : outputs(row)) {
                    hit(output.id, i);
                }
            }
        }
    }

    /// Every occurrence, in text order (by last byte; at one byte, as find reports
    /// them). A long text is searched in two halves at once: each step of the search
    /// waits for the table entry the last one read, so two independent searches take
    /// little more time than one.
    std::vector<KeywordHit> hits(std::string_view text) const;

private:
    /// A keyword a state reports, and its length.
    struct Output
    {
        int id;
        std::uint32_t length;
    };

    // Moves `row` on over one byte of text; whether the state it reaches reports keywords.
    // `rows` is m_row's data, which holds each transition as the target's row offset
    // times two, plus one when the target reports keywords: one load a byte, no
    // multiplication. (The caller keeps it, as what a hit callback writes might alias it.)
    bool step(const std::uint32_t* rows, std::uint32_t& row, char byte) const
    {
        const std::uint32_t next = rows[row + m_class[static_cast<unsigned char>(byte)]];
        row = next >> 1;
        return (next & 1) != 0;
    }

    /// The keywords the state at `row` reports.
    const std::vector<Output>& outputs(std::uint32_t row) const
    {
        return m_outputs[row / m_classes];
    }

    std::vector<std::vector<std::pair<unsigned char, int>>> m_trie{1};
    std::vector<std::vector<Output>> m_outputs{1};
    std::size_t m_longest = 0; ///< the length of the longest keyword
    std::array<std::uint8_t, 256> m_class{};
    std::size_t m_classes = 1;
    /// The transitions of each state, by byte class, as row offsets (see find).
    std::vector<std::uint32_t> m_row;
};

/// A keyword automaton whose table is built at its first search, by the thread that
/// searches first. A search that its callers always make with an automaton of their own
/// (the scan's, which holds the words of both engines) never costs the table.
class LazyKeywordAutomaton
{
public:
    /// Adds a keyword (already lowercase) reported as `id`; only before the first search.
    void add(std::string_view keyword, int id) { m_automaton.add(keyword, id); }

    /// Whether no keyword was added.
    bool empty() const { return m_automaton.empty(); }

    /// The automaton, its table built.
    const KeywordAutomaton& built() const
    {
        std::call_once(m_built, [this] { m_automaton.build(); });
        return m_automaton;
    }

private:
    mutable KeywordAutomaton m_automaton;
    mutable std::once_flag m_built;
};

} // namespace aiops::scan
