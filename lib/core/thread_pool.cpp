#include "core/thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <utility>

namespace aiops::core {

ThreadPool::ThreadPool(unsigned threads)
{
    threads = std::max(1U, threads);
    m_workers.reserve(threads);
    for (unsigned i = 0; i < threads; ++i) {
        m_workers.emplace_back([this] { work(); });
    }
}

ThreadPool::~ThreadPool()
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_task_ready.notify_all();
    for (auto& worker : m_workers) {
        worker.join();
    }
}

void ThreadPool::submit(std::function<void()> task)
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_tasks.push_back(std::move(task));
    }
    m_task_ready.notify_one();
}

void ThreadPool::wait()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_all_done.wait(lock, [this] { return m_tasks.empty() && m_running == 0; });
    if (m_first_error) {
        std::exception_ptr error = std::exchange(m_first_error, nullptr);
        lock.unlock();
        std::rethrow_exception(error);
    }
}

void ThreadPool::work()
{
    while (true) {
        std::function<void()> task;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_task_ready.wait(lock, [this] { return m_stopping || !m_tasks.empty(); });
            if (m_tasks.empty()) {
                return;
            }
            task = std::move(m_tasks.front());
            m_tasks.pop_front();
            ++m_running;
        }
        std::exception_ptr error;
        try {
            task();
        } catch (...) {
            error = std::current_exception();
        }
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            --m_running;
            if (error && !m_first_error) {
                m_first_error = error;
            }
            if (m_tasks.empty() && m_running == 0) {
                m_all_done.notify_all();
            }
        }
    }
}

unsigned hardware_threads()
{
    return std::max(1U, std::thread::hardware_concurrency());
}

void parallel_for(std::size_t count, unsigned jobs, const std::function<void(std::size_t)>& body)
{
    if (count == 0) {
        return;
    }
    const unsigned threads =
        static_cast<unsigned>(std::min<std::size_t>(std::max(1U, jobs), count));
    if (threads == 1) {
        for (std::size_t i = 0; i < count; ++i) {
            body(i);
        }
        return;
    }
    std::atomic<std::size_t> next{0};
    ThreadPool pool(threads);
    for (unsigned t = 0; t < threads; ++t) {
        pool.submit([&] {
            for (std::size_t i = next++; i < count; i = next++) {
                body(i);
            }
        });
    }
    pool.wait();
}

} // namespace aiops::core
