package dev.cellshop.chaos.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything the workload did and what it was told, for the checker: each operation with its
 * outcome, the orders whose checkout was acknowledged (with the lines the answer named), the
 * order transitions, and the carts kept (never checked out) with the items acknowledged into
 * them. Appended by the workers concurrently; read once the run is over.
 */
public final class History {

    /** One operation: kind ("checkout", "cart", "pay", ...), its shop, its outcome and the reply that settled it. */
    public record Op(String kind, long shop, Outcome outcome, Reply last, int attempts) {
    }

    /** A line of an acknowledged order, as the checkout's answer named it. */
    public record Line(long variant, int quantity) {
    }

    /** An acknowledged checkout: the order id, token and lines of its answer, and the reply that acknowledged it. */
    public record AckedOrder(long shop, long orderId, List<Line> lines, Reply ack) {
    }

    /** A transition (pay, fulfill, cancel) of an order, with its outcome: the state it asked for when acknowledged. */
    public record Transition(long shop, long orderId, String action, Outcome outcome, Reply last) {
    }

    /** A cart the workload keeps: the quantity per variant acknowledged into it, and the quantity whose adds went unanswered. */
    public static final class KeptCart {
        public final long shop;
        public final String token;
        public final Map<Long, Integer> acknowledged = new ConcurrentHashMap<>();
        public final Map<Long, Integer> unknown = new ConcurrentHashMap<>();

        KeptCart(long shop, String token) {
            this.shop = shop;
            this.token = token;
        }
    }

    private final ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<AckedOrder> orders = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Transition> transitions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<KeptCart> carts = new ConcurrentLinkedQueue<>();
    private final AtomicInteger acknowledged = new AtomicInteger();

    public void record(Op op) {
        ops.add(op);
        if (op.outcome() == Outcome.ACKNOWLEDGED) {
            acknowledged.incrementAndGet();
        }
    }

    public void order(AckedOrder order) {
        orders.add(order);
    }

    public void transition(Transition transition) {
        transitions.add(transition);
    }

    public KeptCart keepCart(long shop, String token) {
        KeptCart cart = new KeptCart(shop, token);
        carts.add(cart);
        return cart;
    }

    public List<Op> ops() {
        return new ArrayList<>(ops);
    }

    public List<AckedOrder> orders() {
        return new ArrayList<>(orders);
    }

    public List<Transition> transitions() {
        return new ArrayList<>(transitions);
    }

    public List<KeptCart> carts() {
        return new ArrayList<>(carts);
    }

    public int operations() {
        return ops.size();
    }

    public int acknowledged() {
        return acknowledged.get();
    }
}
