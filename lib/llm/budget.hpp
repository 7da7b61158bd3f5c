#pragma once

#include "llm/failure.hpp"
#include "llm/model.hpp"
#include "llm/prices.hpp"
#include "llm/provider.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace aiops::llm {

/// A call a run intends to make, for the check before the run.
struct PlannedCall
{
    ProviderKind provider = ProviderKind::openai;
    Request request;
};

/// A rough upper estimate of a request's prompt tokens: a token per 3 bytes of each
/// message plus a few for its framing. Real tokenizers give fewer for English and code.
std::int64_t estimate_prompt_tokens(const Request& request);

/// The most a call can cost: its estimated prompt at the input price plus its max_tokens
/// (k_default_max_tokens when unset) at the output price. Fails with configuration when
/// the table has no price for the model.
Outcome<double> worst_case_cost_usd(const PlannedCall& call, const PriceTable& prices);

/// The spending cap of a run, shared by all its threads. Without a cap it only counts.
class Budget
{
public:
    explicit Budget(std::optional<double> max_cost_usd = std::nullopt)
        : m_max_cost_usd(max_cost_usd)
    {}

    /// Refuses a run whose planned calls could, all at their worst case, spend more than
    /// what is left (budget_exceeded); returns the worst-case total.
    Outcome<double> check_plan(const std::vector<PlannedCall>& calls,
                               const PriceTable& prices) const;

    /// Fails with budget_exceeded once the spend has reached the cap: no more calls.
    Outcome<bool> admit() const;

    /// Adds a call's cost; fails with budget_exceeded, carrying the spend, when it took
    /// the spend past the cap.
    Outcome<double> record(double cost_usd);

    double spent_usd() const;

    const std::optional<double>& max_cost_usd() const { return m_max_cost_usd; }

private:
    std::optional<double> m_max_cost_usd;
    mutable std::mutex m_mutex;
    double m_spent_usd = 0;
};

} // namespace aiops::llm
