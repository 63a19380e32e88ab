package dev.cellshop.chaos.check;

import dev.cellshop.chaos.workload.History;
import dev.cellshop.chaos.workload.Outcome;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * No write was committed by a cell that did not hold the shop's placement at that moment. What
 * the data shows today: (1) every order row of the run's shops lives on exactly one cell, the
 * shop's current one (a row elsewhere is a copy a move left behind, or a write a fenced-off cell
 * took); (2) every acknowledged write was answered by a cell that held the shop (ACTIVE, or
 * FROZEN while its last requests drained) at some instant between its request and its answer,
 * per the audit log's placement history; (3) an acknowledged checkout's order was created
 * (its {@code createdAt}) while its cell held the shop. Orders carry no epoch column and the
 * cells keep no log of their fence, so a write at a stale epoch on the right cell is not seen.
 */
final class Fencing {

    private static final Set<String> WRITES = Set.of("checkout", "pay", "cancel", "fulfill", "price", "cart", "cart-item");
    /** createdAt is cut to the millisecond, an audit time is not: a tie is not a violation. */
    private static final long CLOCK_SLACK_MILLIS = 2;

    private Fencing() {
    }

    static Invariant check(Evidence e) {
        Invariant inv = new Invariant("writes only at the shop's placement (cell + time)");
        Map<String, List<String>> cellsOf = new HashMap<>();
        e.rows().orders().forEach(o -> cellsOf.computeIfAbsent(o.shop() + "/" + o.id(), k -> new java.util.ArrayList<>()).add(o.cell()));
        cellsOf.forEach((order, cells) -> {
            inv.checked();
            long shop = Long.parseLong(order.substring(0, order.indexOf('/')));
            String current = e.currentCell().get(shop);
            if (cells.size() != 1 || !cells.get(0).equals(current)) {
                inv.violation("order " + order + " is on " + cells + "; the shop lives on " + current);
            }
        });
        Set<Long> incomplete = new java.util.TreeSet<>();
        for (History.Op op : e.history().ops()) {
            if (op.outcome() != Outcome.ACKNOWLEDGED || !WRITES.contains(op.kind()) || op.last().replayed() || op.last().cell() == null) {
                continue;
            }
            if (!e.placements().complete(op.shop())) {
                incomplete.add(op.shop());
                continue;
            }
            inv.checked();
            if (!e.placements().held(op.shop(), op.last().cell(), op.last().sentAt(), op.last().answeredAt())) {
                inv.violation(op.kind() + " of shop " + op.shop() + " answered by " + op.last().cell() + " between "
                        + Instant.ofEpochMilli(op.last().sentAt()) + " and " + Instant.ofEpochMilli(op.last().answeredAt())
                        + ", while the placements were " + e.placements().during(op.shop(), op.last().sentAt(), op.last().answeredAt()));
            }
        }
        for (History.AckedOrder order : e.history().orders()) {
            if (order.ack().replayed() || order.ack().cell() == null || !e.placements().complete(order.shop())
                    || order.ack().body() == null || !order.ack().body().has("createdAt")) {
                continue;
            }
            inv.checked();
            long created = Instant.parse(order.ack().body().get("createdAt").asText()).toEpochMilli();
            if (!e.placements().held(order.shop(), order.ack().cell(), created - CLOCK_SLACK_MILLIS, created + CLOCK_SLACK_MILLIS)) {
                inv.violation("order " + order.orderId() + " of shop " + order.shop() + " created on " + order.ack().cell() + " at "
                        + Instant.ofEpochMilli(created) + ", while the placement was "
                        + e.placements().during(order.shop(), created, created));
            }
        }
        if (!incomplete.isEmpty()) {
            inv.note("the audit log no longer holds the whole placement history of shops " + incomplete + ": their writes were not timed");
        }
        inv.note("orders carry no epoch and cells log no fence decisions: a write at a stale epoch on the shop's own cell is not visible");
        return inv;
    }
}
