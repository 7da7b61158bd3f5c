#pragma once

#include "core/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace aiops::generate {

/// A file taken from a model's reply.
struct ExtractedFile
{
    std::string path;    ///< as the reply names it; not yet checked (see refuse_path)
    std::string content; ///< the block's lines, each ending in '\n'
    int line = 0;        ///< 1-based line of the block's opening fence in the reply
};

/// A fenced block of a reply, for the outline errors show.
struct ReplyBlock
{
    int first_line = 0; ///< the opening fence
    int last_line = 0;  ///< the closing fence, or the reply's last line when unclosed
    std::string fence;  ///< the opening fence line as written, trimmed
    std::string path;   ///< empty when the block names none
    bool closed = true;
    /// Why the block cannot be read for sure (a path with spaces left unquoted, bare
    /// fences in Markdown that pair up more than one way); empty when it can.
    std::string problem;
};

/// The fenced blocks of a reply, in order. A fence may be indented (inside a list
/// item); its indentation is taken off every line of the block, as CommonMark does. A
/// block closes at a fence of its own character at least as long as its opening fence
/// with nothing after it; inside a block, a fence with an info string opens a nested
/// block (a docstring showing code), so the next bare fence closes that one instead.
/// In a Markdown block (```markdown, or a path ending in .md) a bare fence may also
/// open a code sample: the fence that ends the block is the one after which the rest
/// of the reply reads cleanly, naming the most of `outputs`; when that is not one
/// fence, the block has a problem. The path of a block is taken from its info string
/// ("python path=app/x.py", "app/x.py", "file=...", path="my app/x.py" quoted when it
/// holds spaces) or else from the line just before it: a heading, "File: x.py", a bold
/// or backticked path.
std::vector<ReplyBlock> reply_blocks(std::string_view reply,
                                     const std::vector<std::string>& outputs = {});

/// An outline of a reply for error messages: one line a block (where, fence, path)
/// and a line a stretch of prose, each indented by two spaces.
std::string reply_outline(std::string_view reply, const std::vector<std::string>& outputs = {});

/// Takes the files out of a reply. `outputs` are the paths the spec declares: when it
/// declares one, a reply whose only block without a path (shell commands aside, unless
/// the output is a script) is that file. Blocks without a path are ignored when every
/// output is there (a shell command in the prose). Fails with ErrorCode::input, the
/// message ending in the reply's outline, when a block is not closed or has a problem,
/// a path appears twice, the reply holds no block, or a declared output is missing and
/// blocks without a path leave it unclear which is which.
core::Result<std::vector<ExtractedFile>> extract_files(std::string_view reply,
                                                       const std::vector<std::string>& outputs);

} // namespace aiops::generate
