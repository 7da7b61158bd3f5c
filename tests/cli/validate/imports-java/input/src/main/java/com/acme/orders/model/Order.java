package com.acme.orders.model;

public record Order(String id) {}
