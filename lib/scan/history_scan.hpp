#pragma once

#include "core/error.hpp"
#include "report/report.hpp"
#include "scan/scan.hpp"

#include <functional>
#include <string>

namespace aiops::scan {

/// Scans the text of one file version: its path in the repository and its bytes.
using VersionScanner =
    std::function<report::FileOutcome(const std::string& path, std::string bytes)>;

/// --history: scans every file version that the commits of the range introduced,
/// under the paths named (relative to the working folder; default: all), leaving out
/// the excluded ones as a scan of the work tree does. A version that changes a file
/// keeps only the findings on lines its earlier versions do not hold: the secrets the
/// commit added. Each finding names the commit in Finding::commit and in its message.
/// Fails with ErrorCode::usage for a path that does not exist or lies outside the
/// repository, a revision that names no commit, and a folder outside any repository.
core::Result<bool>
scan_history(const ScanOptions& options, const VersionScanner& scan, report::Report& result);

} // namespace aiops::scan
