package dev.surge.functions.orders;

import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import jakarta.inject.Inject;

/**
 * The order flow of a shop, one function per step; each answers with the event that starts the next:
 * {@code shop.order.placed} → payment → {@code shop.payment.completed} → inventory →
 * {@code shop.inventory.reserved} → confirmation → {@code shop.order.confirmed}.
 */
public class OrderSteps {
    @Inject
    OrderService orders;

    @Funq
    @CloudEventMapping(trigger = "shop.order.placed", responseType = "shop.payment.completed",
            responseSource = "/functions/payment")
    public Order payment(Order order) {
        return orders.charge(order);
    }

    @Funq
    @CloudEventMapping(trigger = "shop.payment.completed", responseType = "shop.inventory.reserved",
            responseSource = "/functions/inventory")
    public Order inventory(Order order) {
        return orders.reserve(order);
    }

    @Funq
    @CloudEventMapping(trigger = "shop.inventory.reserved", responseType = "shop.order.confirmed",
            responseSource = "/functions/confirmation")
    public Order confirmation(Order order) {
        return orders.confirm(order);
    }
}
