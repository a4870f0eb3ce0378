package dev.surge.functions.orders;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The order as it travels through the chain. Each step returns it with its own result filled in and its
 * name appended to {@link #history}, so the last event shows which steps ran, in which order.
 */
public class Order {
    public String orderId;
    public String customer;
    public List<Line> lines = new ArrayList<>();
    public BigDecimal total;
    public String paymentId;
    public String reservationId;
    public String confirmation;
    public List<String> history = new ArrayList<>();

    public static class Line {
        public String sku;
        public int quantity;
        public BigDecimal price;
    }

    Order step(String name) {
        history.add(name);
        return this;
    }
}
