package dev.cellshop.chaos.nemesis;

import dev.cellshop.chaos.Progress;
import dev.cellshop.testkit.faults.LinkMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Injects the run's faults one after another, each drawn from the seed: a kind (kill -9 or
 * SIGSTOP), a component of every kind the platform has (a cell's MariaDB, Redis, Memcached, a
 * runtime, the router, the control plane — killed while a move runs when one does —, ZooKeeper,
 * sometimes for 30-60 s, and Kafka), how long it lasts (3-15 s) and the quiet gap before the next
 * (2-8 s). When the platform runs its links through fault proxies ({@code links/...}), about a
 * third of the faults partition one link instead, CUT or BLACKHOLE, for 3-15 s; a runtime's link to
 * ZooKeeper sometimes for 20-40 s, past its 10 s registration session, so ZooKeeper drops the
 * instance while it still runs. The same seed draws the same faults in the same order; when each lands against the
 * workload is up to the machine's scheduling.
 */
public final class Nemesis {

    private final Components components;
    private final BooleanSupplier moving;
    private final Random random;
    private final List<String> targets;
    private final List<String> links;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger injected = new AtomicInteger();
    private final List<String> failedHeals = new ArrayList<>();
    private Thread thread;

    /** {@code moving}: whether a move runs now (the control plane is then killed in the middle of it). */
    public Nemesis(Components components, BooleanSupplier moving, long seed) {
        this.components = components;
        this.moving = moving;
        this.random = new Random(seed);
        this.targets = components.names().stream().filter(n -> !n.startsWith(Components.LINKS)).toList();
        this.links = components.names().stream().filter(n -> n.startsWith(Components.LINKS)).toList();
    }

    public void start() {
        thread = Thread.ofPlatform().name("chaos-nemesis").start(this::run);
    }

    /** Stops injecting; the fault in hand is healed first. */
    public void stop() throws InterruptedException {
        running.set(false);
        thread.interrupt();
        thread.join();
    }

    public int injected() {
        return injected.get();
    }

    /** Components whose heal failed (left for the settle phase to start). */
    public synchronized List<String> failedHeals() {
        return List.copyOf(failedHeals);
    }

    private void run() {
        while (running.get()) {
            if (!sleep(2_000 + random.nextInt(6_000))) {
                return;
            }
            Fault fault = next();
            if (midMove(fault)) {
                long until = System.currentTimeMillis() + 10_000;
                while (!moving.getAsBoolean() && System.currentTimeMillis() < until && running.get()) {
                    sleep(100);
                }
            }
            String what;
            try {
                what = fault.inject(components);
            } catch (RuntimeException e) {
                Progress.say("fault: %s not injected: %s", fault, e.getMessage());
                continue;
            }
            injected.incrementAndGet();
            Progress.say("fault #%d: %s%s for %.1f s", injected.get(), what,
                    fault.component().contains("control-plane") && moving.getAsBoolean() ? " mid-move" : "", fault.durationMillis() / 1000.0);
            sleep(fault.durationMillis()); // interrupted at the run's end: healed at once
            heal(fault);
        }
    }

    private void heal(Fault fault) {
        try {
            Progress.say("heal: %s", fault.heal(components));
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            Progress.say("heal: %s FAILED: %s", fault.component(), reason);
            synchronized (this) {
                failedHeals.add(fault.component());
            }
        }
    }

    /** A crash of the control plane, or its partition from ZooKeeper, is aimed at a running move. */
    private static boolean midMove(Fault fault) {
        return fault instanceof Fault.Kill k && k.component().equals("control-plane")
                || fault instanceof Fault.Partition p && p.component().startsWith(Components.LINKS + "control-plane/");
    }

    /** The next fault from the seed: every component is a target; ZooKeeper's outages are sometimes long. */
    Fault next() {
        if (!links.isEmpty() && random.nextInt(100) < 35) {
            return nextPartition();
        }
        String target = targets.get(random.nextInt(targets.size()));
        boolean kill = random.nextInt(100) < 55;
        long duration = 3_000 + random.nextInt(12_000);
        if (target.equals("zookeeper") && random.nextInt(3) == 0) {
            duration = 30_000 + random.nextInt(30_000);
        }
        return kill ? new Fault.Kill(target, duration) : new Fault.Pause(target, duration);
    }

    private Fault.Partition nextPartition() {
        String link = links.get(random.nextInt(links.size()));
        LinkMode mode = random.nextBoolean() ? LinkMode.BLACKHOLE : LinkMode.CUT;
        long duration = 3_000 + random.nextInt(12_000);
        if (link.matches("links/.+/runtime-\\d+/zookeeper") && random.nextInt(3) == 0) {
            duration = 20_000 + random.nextInt(20_000);
        }
        return new Fault.Partition(link, duration, mode);
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
