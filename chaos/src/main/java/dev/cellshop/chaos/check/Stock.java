package dev.cellshop.chaos.check;

import dev.cellshop.chaos.workload.Fixture;
import java.util.HashMap;
import java.util.Map;

/**
 * Per variant, on the shop's current cell: initial stock = stock on hand + units in its orders
 * that are not cancelled (units sold minus units a cancel put back), and stock never below
 * zero. The orders counted are those in the shard, whatever their checkout's answer was: a
 * checkout that committed but whose answer was lost still took its stock.
 */
final class Stock {

    private Stock() {
    }

    static Invariant check(Evidence e) {
        Invariant inv = new Invariant("stock: initial = on hand + sold - restocked, never < 0");
        for (Fixture.Shop shop : e.shops()) {
            String cell = e.currentCell().get(shop.id());
            Map<Long, Integer> sold = new HashMap<>();
            e.rows().orders().stream().filter(o -> o.shop() == shop.id() && o.cell().equals(cell) && !o.status().equals("CANCELLED"))
                    .forEach(o -> o.lines().forEach((variant, quantity) -> sold.merge(variant, quantity, Integer::sum)));
            Map<Long, Integer> onHand = new HashMap<>();
            e.rows().variants().stream().filter(v -> v.shop() == shop.id() && v.cell().equals(cell))
                    .forEach(v -> onHand.put(v.id(), v.inventory()));
            shop.initialStock().forEach((variant, initial) -> {
                inv.checked();
                Integer have = onHand.get(variant);
                int out = sold.getOrDefault(variant, 0);
                if (have == null) {
                    inv.violation("variant " + variant + " of shop " + shop.id() + " is missing on its current cell " + cell);
                } else if (have < 0) {
                    inv.violation("variant " + variant + " of shop " + shop.id() + " has " + have + " in stock on " + cell);
                } else if (initial != have + out) {
                    inv.violation("variant " + variant + " of shop " + shop.id() + " on " + cell + ": initial " + initial + " != on hand "
                            + have + " + in live orders " + out + " (off by " + (initial - have - out) + ")");
                }
            });
        }
        return inv;
    }
}
