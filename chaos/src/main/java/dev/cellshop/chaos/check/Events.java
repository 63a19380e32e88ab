package dev.cellshop.chaos.check;

import dev.cellshop.chaos.workload.History;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every acknowledged order has its events on Kafka, and every order in a shard has exactly the
 * events of the changes that committed, in the order they committed: after dropping duplicates
 * by event id, an order's events are {@code order.created}, then the path of the state machine
 * to the state the shard holds (created -> paid -> fulfilled, created|paid -> cancelled), each
 * change under one event id only.
 */
final class Events {

    private static final Map<String, String> STATE_OF = Map.of("order.created", "PENDING", "order.paid", "PAID",
            "order.fulfilled", "FULFILLED", "order.cancelled", "CANCELLED");
    private static final Map<String, Set<String>> NEXT = Map.of("PENDING", Set.of("PAID", "CANCELLED"),
            "PAID", Set.of("FULFILLED", "CANCELLED"), "FULFILLED", Set.of(), "CANCELLED", Set.of());

    private Events() {
    }

    static Invariant check(Evidence e) {
        Invariant inv = new Invariant("orders' events on Kafka, deduplicated, in per-order order");
        Set<Long> seen = new HashSet<>();
        for (History.AckedOrder order : e.history().orders()) {
            seen.add(order.orderId());
            if (!e.events().containsKey(order.orderId())) {
                inv.checked();
                inv.violation("acknowledged order " + order.orderId() + " of shop " + order.shop() + " has no event on Kafka");
            }
        }
        Map<Long, CellRows.OrderRow> current = new HashMap<>();
        e.rows().orders().stream().filter(o -> o.cell().equals(e.currentCell().get(o.shop()))).forEach(o -> current.put(o.id(), o));
        Set<Long> orders = new HashSet<>(current.keySet());
        orders.addAll(e.events().keySet());
        for (long orderId : orders) {
            inv.checked();
            CellRows.OrderRow row = current.get(orderId);
            List<OrderEvents.Event> events = e.events().getOrDefault(orderId, List.of());
            if (row == null) {
                inv.violation("order " + orderId + " has events " + types(events) + " but no row on its shop's current cell");
                continue;
            }
            if (events.isEmpty()) {
                if (!seen.contains(orderId)) { // an acknowledged one was reported above
                    inv.violation("order " + orderId + " of shop " + row.shop() + " (" + row.status() + ", its checkout's answer lost) has no event");
                }
                continue;
            }
            Map<String, String> idByType = new LinkedHashMap<>();
            String state = null;
            for (OrderEvents.Event event : events) {
                String previous = idByType.putIfAbsent(event.type(), event.eventId());
                if (previous != null) {
                    if (!previous.equals(event.eventId())) {
                        inv.violation("order " + orderId + ": " + event.type() + " published under two event ids, " + previous + " and "
                                + event.eventId());
                    }
                    continue; // a duplicate (at least once)
                }
                String next = STATE_OF.get(event.type());
                boolean legal = state == null ? "PENDING".equals(next) : NEXT.get(state).contains(next);
                if (!legal) {
                    inv.violation("order " + orderId + ": events out of order: " + types(events));
                    break;
                }
                state = next;
            }
            if (state != null && !state.equals(row.status())) {
                inv.violation("order " + orderId + " of shop " + row.shop() + " is " + row.status() + " but its events end at " + state
                        + ": " + types(events));
            }
        }
        return inv;
    }

    private static List<String> types(List<OrderEvents.Event> events) {
        return events.stream().map(ev -> ev.type().replace("order.", "") + "#" + ev.eventId()).toList();
    }
}
