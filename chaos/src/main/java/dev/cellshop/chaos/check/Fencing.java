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
 * (its {@code createdAt}) while its cell held the shop; (4) every order row's epoch (the
 * placement it was written under, which the cell's fence row admitted) was an ACTIVE placement
 * of the shop, and the order was created while that placement was in force: after it was made,
 * and before the next one (the freeze) plus {@link #FREEZE_SLACK_MILLIS}, the most a write that
 * passed the fence before the freeze reached the database may still take to commit.
 */
final class Fencing {

    private static final Set<String> WRITES = Set.of("checkout", "pay", "cancel", "fulfill", "price", "cart", "cart-item");
    /** createdAt is cut to the millisecond, an audit time is not: a tie is not a violation. */
    private static final long CLOCK_SLACK_MILLIS = 2;
    /**
     * The database freeze follows the ZooKeeper freeze by milliseconds, and waits for the writes
     * already past the fence; their statements are bounded (the runtime's transaction deadline, 5 s).
     */
    static final long FREEZE_SLACK_MILLIS = 6_000;

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
        for (var order : e.rows().orders()) {
            if (order.epoch() == 0 || !e.placements().complete(order.shop())) {
                continue;
            }
            inv.checked();
            var span = e.placements().at(order.shop(), order.epoch());
            if (span.isEmpty() || !span.get().placement().state().equals("ACTIVE")) {
                inv.violation("order " + order.id() + " of shop " + order.shop() + " was written at epoch " + order.epoch()
                        + ", which was never an ACTIVE placement of the shop: " + span.map(s -> s.placement().toString()).orElse("none"));
            } else if (!span.get().covers(order.createdAtMillis(), CLOCK_SLACK_MILLIS, FREEZE_SLACK_MILLIS)) {
                inv.violation("order " + order.id() + " of shop " + order.shop() + " was written at epoch " + order.epoch() + " ("
                        + span.get().placement().cell() + ") at " + Instant.ofEpochMilli(order.createdAtMillis()) + ", outside that placement's time "
                        + Instant.ofEpochMilli(span.get().placement().at()) + " .. "
                        + (span.get().until() == Long.MAX_VALUE ? "now" : Instant.ofEpochMilli(span.get().until())));
            }
        }
        if (!incomplete.isEmpty()) {
            inv.note("the audit log no longer holds the whole placement history of shops " + incomplete + ": their writes were not timed");
        }
        inv.note("orders carry their epoch; other writes (payments, prices, carts) do not, and are timed by their answers only");
        return inv;
    }
}
