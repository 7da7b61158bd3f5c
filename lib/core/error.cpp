#include "core/error.hpp"

namespace aiops::core {

ExitCode exit_code_for(ErrorCode code)
{
    switch (code) {
    case ErrorCode::usage:
    case ErrorCode::input:
        return ExitCode::usage;
    case ErrorCode::io:
    case ErrorCode::internal:
        return ExitCode::failure;
    case ErrorCode::interrupted:
        return ExitCode::interrupted;
    }
    return ExitCode::failure;
}

} // namespace aiops::core
