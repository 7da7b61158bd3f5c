package com.acme.crm;

public class CustomerEntity {
    private Long id;
    private String name;
    private String email;

    public Long getId() {
        return id;
    }

    // ... other getters and setters ...

    public String getEmail() {
        return email;
    }

    // getters and setters omitted

    @Override
    public String toString() {
        return "CustomerEntity{id=" + id + ", name=" + name + "}";
    }
}
