#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace aiops::core {

/// A fixed set of worker threads taking tasks from one queue.
class ThreadPool
{
public:
    /// Starts `threads` workers (at least one).
    explicit ThreadPool(unsigned threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    /// Queues a task. A task that throws has its first exception rethrown by wait().
    void submit(std::function<void()> task);

    /// Blocks until every queued task has run; rethrows the first exception a task threw.
    void wait();

    unsigned size() const { return static_cast<unsigned>(m_workers.size()); }

private:
    void work();

    std::vector<std::thread> m_workers;
    std::deque<std::function<void()>> m_tasks;
    std::mutex m_mutex;
    std::condition_variable m_task_ready;
    std::condition_variable m_all_done;
    std::size_t m_running = 0;
    bool m_stopping = false;
    std::exception_ptr m_first_error;
};

/// The number of threads "all cores" means here (at least one).
unsigned hardware_threads();

/// Runs body(i) for every i in [0, count) on up to `jobs` threads, handing out indexes
/// in order; rethrows the first exception a call threw once all calls have finished.
void parallel_for(std::size_t count, unsigned jobs, const std::function<void(std::size_t)>& body);

} // namespace aiops::core
