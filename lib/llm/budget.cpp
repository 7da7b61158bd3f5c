#include "llm/budget.hpp"

#include <fmt/format.h>

namespace aiops::llm {

namespace {

// The framing tokens of a chat message and of the whole prompt, as the providers count.
constexpr std::int64_t k_tokens_per_message = 4;
constexpr std::int64_t k_tokens_per_prompt = 3;

Failure over_budget(std::string message, double spent)
{
    Failure failure = make_failure(FailureKind::budget_exceeded, std::move(message));
    failure.spent_usd = spent;
    return failure;
}

} // namespace

std::int64_t estimate_prompt_tokens(const Request& request)
{
    std::int64_t tokens = k_tokens_per_prompt;
    for (const auto& message : request.messages) {
        tokens +=
            (static_cast<std::int64_t>(message.content.size()) + 2) / 3 + k_tokens_per_message;
    }
    return tokens;
}

Outcome<double> worst_case_cost_usd(const PlannedCall& call, const PriceTable& prices)
{
    const auto price = prices.find(to_string(call.provider), call.request.model);
    if (!price) {
        return make_failure(FailureKind::configuration,
                            fmt::format("no price for '{}:{}': a budget needs one (add it to the "
                                        "price overrides)",
                                        to_string(call.provider),
                                        call.request.model));
    }
    Usage worst;
    worst.input_tokens = estimate_prompt_tokens(call.request);
    worst.output_tokens = call.request.max_tokens.value_or(k_default_max_tokens);
    return cost_usd(*price, worst);
}

Outcome<double> Budget::check_plan(const std::vector<PlannedCall>& calls,
                                   const PriceTable& prices) const
{
    double total = 0;
    for (const auto& call : calls) {
        auto cost = worst_case_cost_usd(call, prices);
        if (!cost) {
            return cost.failure();
        }
        total += *cost;
    }
    if (!m_max_cost_usd) {
        return total;
    }
    const double spent = spent_usd();
    if (spent + total > *m_max_cost_usd) {
        return over_budget(fmt::format("the run could cost up to ${:.4f} ({} calls at their "
                                       "worst case) and the budget is ${:.4f} (${:.4f} spent)",
                                       total,
                                       calls.size(),
                                       *m_max_cost_usd,
                                       spent),
                           spent);
    }
    return total;
}

Outcome<bool> Budget::admit() const
{
    const double spent = spent_usd();
    if (m_max_cost_usd && spent >= *m_max_cost_usd) {
        return over_budget(
            fmt::format("the budget of ${:.4f} is spent (${:.4f})", *m_max_cost_usd, spent), spent);
    }
    return true;
}

Outcome<double> Budget::record(double cost_usd)
{
    double spent = 0;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_spent_usd += cost_usd;
        spent = m_spent_usd;
    }
    if (m_max_cost_usd && spent > *m_max_cost_usd) {
        return over_budget(fmt::format("the run spent ${:.4f}, past its budget of ${:.4f}",
                                       spent,
                                       *m_max_cost_usd),
                           spent);
    }
    return spent;
}

double Budget::spent_usd() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_spent_usd;
}

} // namespace aiops::llm
