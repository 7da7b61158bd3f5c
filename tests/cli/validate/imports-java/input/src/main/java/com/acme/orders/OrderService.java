package com.acme.orders;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import com.acme.orders.model.Order;
import com.fasterxml.jackson.databind.ObjectMapper;

public class OrderService {
    private final ConcurrentHashMap<String, Order> orders = new ConcurrentHashMap<>();
}
