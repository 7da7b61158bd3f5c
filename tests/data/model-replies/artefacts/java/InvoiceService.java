package com.example.billing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

public class InvoiceService {
    private final InvoiceRepository repository;
    private final TaxCalculator taxes;

    public InvoiceService(InvoiceRepository repository, TaxCalculator taxes) {
        this.repository = repository;
        this.taxes = taxes;
    }

    public Optional<Invoice> find(long id) {
        return repository.findById(id);
    }

    public Invoice issue(Customer customer, List<LineItem> items) {
        BigDecimal net = items.stream().map(LineItem::total).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal tax = taxes.taxFor(customer.country(), net);
        Invoice invoice = new Invoice(customer, items, net, tax);
        return repository.save(invoice);
    }

    public void sendReminder(long invoiceId) {
        throw new UnsupportedOperationException("Not implemented yet");
    }

    public byte[] renderPdf(Invoice invoice) {
        // TODO Auto-generated method stub
        return null;
    }
}
