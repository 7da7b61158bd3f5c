#pragma once

namespace aiops::core {

/// Installs handlers for SIGINT and SIGTERM that only raise the interrupt flag, so that
/// long work stops at its next check and the process exits with 130.
void install_interrupt_handlers();

/// Whether an interrupt was requested.
bool interrupted();

/// Raises the interrupt flag (what the signal handler does; tests call it directly).
void request_interrupt();

/// Lowers the flag again (for tests).
void clear_interrupt();

} // namespace aiops::core
