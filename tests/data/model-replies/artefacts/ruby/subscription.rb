require "date"

class Subscription
  attr_reader :plan, :started_on, :status

  def initialize(plan:, started_on: Date.today)
    @plan = plan
    @started_on = started_on
    @status = :active
  end

  def renew!
    raise NotImplementedError
  end

  def cancel!
    # TODO: notify billing before cancelling
  end

  def active?
    status == :active
  end

  # ... remaining methods unchanged ...
end
