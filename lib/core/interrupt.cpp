#include "core/interrupt.hpp"

#include <atomic>
#include <csignal>

namespace aiops::core {

namespace {

// A lock-free atomic is safe to store from a signal handler.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_interrupt_signal(int /*signal*/)
{
    g_interrupted.store(true);
}

} // namespace

void install_interrupt_handlers()
{
    struct sigaction action = {};
    action.sa_handler = on_interrupt_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

bool interrupted()
{
    return g_interrupted.load(std::memory_order_relaxed);
}

void request_interrupt()
{
    g_interrupted.store(true);
}

void clear_interrupt()
{
    g_interrupted.store(false);
}

} // namespace aiops::core
