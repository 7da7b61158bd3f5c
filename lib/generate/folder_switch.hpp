#pragma once

#include "core/error.hpp"
#include "generate/extract.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace aiops::generate {

/// What a generation changes in its output folder.
struct FolderChange
{
    std::vector<ExtractedFile> files;    ///< the generation's files; those already on disk as
                                         ///< they are, byte for byte, are left alone
    std::vector<std::string> removed;    ///< files of the last generation it no longer makes
    std::optional<std::string> manifest; ///< the new manifest's text; nullopt keeps the old
};

/// What a switch changed; all zero and false when the folder already was as the
/// change describes, and nothing was written.
struct Switched
{
    std::size_t installed = 0; ///< files written (new, or with other bytes than before)
    std::size_t removed = 0;
    bool manifest = false;
};

/// Switches the folder `root` to a new generation as one step, as far as POSIX allows.
/// Files already on disk with the same bytes are not touched. Every new file is first written whole
/// under DIR/.aiops/staging/; nothing in the folder changes until then, and an interrupt or a
/// failure there removes the staging folder and leaves the folder as it was. Then the journal
/// DIR/.aiops/switch.json is written, which lists what goes where: from that moment the switch is
/// decided, and the files are renamed into place, the dropped ones removed and the manifest renamed
/// last. Each rename is atomic, so no file is ever seen half-written; a process killed
/// among the renames leaves the journal, from which finish_unfinished_switch completes
/// the switch, and which `aiops validate` reports until then. Fails with ErrorCode::io,
/// or ErrorCode::interrupted for an interrupt before the journal is written.
core::Result<Switched> switch_folder(const std::filesystem::path& root, const FolderChange& change);

/// Completes the switch a killed run left in `root` (its journal is there): the files
/// still staged are renamed into place, the dropped ones removed, the manifest renamed.
/// Returns whether there was one; removes a staging folder left without a journal (a
/// run killed before its switch was decided). Fails with ErrorCode::input for a journal
/// that is malformed or names a path outside the folder, and ErrorCode::io.
core::Result<bool> finish_unfinished_switch(const std::filesystem::path& root);

/// Whether `root` holds the journal of a switch that did not complete.
bool has_unfinished_switch(const std::filesystem::path& root);

} // namespace aiops::generate
