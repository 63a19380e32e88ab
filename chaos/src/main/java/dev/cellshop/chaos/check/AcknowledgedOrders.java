package dev.cellshop.chaos.check;

import dev.cellshop.chaos.workload.History;
import dev.cellshop.chaos.workload.Outcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every acknowledged order exists exactly once, on the shop's current cell, with the lines its
 * checkout answered, in a state its acknowledged transitions allow (an acknowledged cancel is
 * CANCELLED, an acknowledged fulfil FULFILLED, an acknowledged payment is no longer PENDING).
 */
final class AcknowledgedOrders {

    private AcknowledgedOrders() {
    }

    static Invariant check(Evidence e) {
        Invariant inv = new Invariant("acknowledged orders exist once, on the current cell, with lines");
        Map<String, List<CellRows.OrderRow>> rows = new HashMap<>();
        e.rows().orders().forEach(r -> rows.computeIfAbsent(r.shop() + "/" + r.id(), k -> new java.util.ArrayList<>()).add(r));
        Map<Long, List<History.Transition>> acked = new HashMap<>();
        e.history().transitions().stream().filter(t -> t.outcome() == Outcome.ACKNOWLEDGED)
                .forEach(t -> acked.computeIfAbsent(t.orderId(), o -> new java.util.ArrayList<>()).add(t));
        for (History.AckedOrder order : e.history().orders()) {
            inv.checked();
            String where = "order " + order.orderId() + " of shop " + order.shop();
            List<CellRows.OrderRow> found = rows.getOrDefault(order.shop() + "/" + order.orderId(), List.of());
            String current = e.currentCell().get(order.shop());
            if (found.isEmpty()) {
                inv.violation(where + " (acknowledged by " + order.ack().cell() + ") exists on no cell");
                continue;
            }
            if (found.size() > 1) {
                inv.violation(where + " exists " + found.size() + " times: on " + found.stream().map(CellRows.OrderRow::cell).toList());
            }
            CellRows.OrderRow row = found.stream().filter(r -> r.cell().equals(current)).findFirst().orElse(null);
            if (row == null) {
                inv.violation(where + " is not on the shop's current cell " + current + " but on " + found.get(0).cell());
                continue;
            }
            Map<Long, Integer> expected = new HashMap<>();
            order.lines().forEach(l -> expected.merge(l.variant(), l.quantity(), Integer::sum));
            if (!expected.equals(row.lines())) {
                inv.violation(where + " has lines " + row.lines() + ", its checkout answered " + expected);
            }
            for (History.Transition t : acked.getOrDefault(order.orderId(), List.of())) {
                Set<String> allowed = switch (t.action()) {
                    case "pay" -> Set.of("PAID", "FULFILLED", "CANCELLED");
                    case "fulfill" -> Set.of("FULFILLED");
                    case "cancel" -> Set.of("CANCELLED");
                    default -> throw new IllegalStateException(t.action());
                };
                if (!allowed.contains(row.status())) {
                    inv.violation(where + " is " + row.status() + " after an acknowledged " + t.action() + " (answered by "
                            + t.last().cell() + ")");
                }
            }
        }
        return inv;
    }
}
