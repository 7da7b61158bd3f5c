export interface Charge {
  id: string;
  amount: number;
  currency: string;
}

export interface PaymentGateway {
  charge(amount: number, currency: string): Promise<Charge>;
  refund(chargeId: string): Promise<void>;
}

export class StripeGateway implements PaymentGateway {
  constructor(private readonly apiKey: string) {}

  async charge(amount: number, currency: string): Promise<Charge> {
    throw new Error("Method not implemented.");
  }

  async refund(chargeId: string): Promise<void> {
    // TODO: call the Stripe refunds API
  }

  private headers(): Record<string, string> {
    return { Authorization: `Bearer ${this.apiKey}` };
  }
}
