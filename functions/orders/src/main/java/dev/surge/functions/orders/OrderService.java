package dev.surge.functions.orders;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.UUID;
import org.jboss.logging.Logger;

@ApplicationScoped
public class OrderService {
    private static final Logger LOG = Logger.getLogger(OrderService.class);

    public Order charge(Order order) {
        order.total = order.lines.stream()
                .map(l -> (l.price == null ? BigDecimal.ZERO : l.price).multiply(BigDecimal.valueOf(l.quantity)))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        order.paymentId = "pay-" + UUID.randomUUID();
        LOG.infof("charged order %s: %s", order.orderId, order.total);
        return order.step("payment");
    }

    public Order reserve(Order order) {
        order.reservationId = "res-" + UUID.randomUUID();
        LOG.infof("reserved stock for order %s: %d lines", order.orderId, order.lines.size());
        return order.step("inventory");
    }

    public Order confirm(Order order) {
        order.confirmation = "Order " + order.orderId + " confirmed for " + order.customer + ", total "
                + order.total.setScale(2, java.math.RoundingMode.HALF_UP);
        LOG.infof("confirmed order %s", order.orderId);
        return order.step("confirmation");
    }
}
