package dev.cellshop.cell.order;

import java.util.Optional;

/**
 * The order state machine: PENDING -> PAID -> FULFILLED, and PENDING|PAID -> CANCELLED
 * (which gives the stock back). Anything else is an illegal transition (409).
 */
public enum OrderStatus {
    PENDING, PAID, FULFILLED, CANCELLED;

    /** The state after {@code action} ("pay", "fulfill", "cancel"), or empty when it is not allowed from here. */
    public Optional<OrderStatus> after(String action) {
        OrderStatus next = switch (action) {
            case "pay" -> this == PENDING ? PAID : null;
            case "fulfill" -> this == PAID ? FULFILLED : null;
            case "cancel" -> this == PENDING || this == PAID ? CANCELLED : null;
            default -> throw new IllegalArgumentException("unknown order action '" + action + "'");
        };
        return Optional.ofNullable(next);
    }

    /** The event an order entering this state publishes. */
    public String eventType() {
        return switch (this) {
            case PENDING -> "order.created";
            case PAID -> "order.paid";
            case FULFILLED -> "order.fulfilled";
            case CANCELLED -> "order.cancelled";
        };
    }
}
