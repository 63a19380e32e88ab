package dev.cellshop.chaos.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.chaos.Progress;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The migrations of the run: a shop drawn from the seed moved to another cell
 * ({@code POST /v1/moves}), or now and then a rebalance ({@code POST /v1/rebalance}) that
 * levels what the random moves left uneven; each followed until it ends (a move may abort under
 * the faults: that is allowed, and said). {@link #moving()} tells the nemesis when a move runs,
 * so it can kill the control plane in the middle of one.
 */
public final class Mover {

    private static final Set<String> ENDED = Set.of("COMPLETED", "ABORTED");

    private final Http control;
    private final List<Fixture.Shop> shops;
    private final List<String> cells;
    private final Random random;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean moving = new AtomicBoolean();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private Thread thread;

    public Mover(Http control, List<Fixture.Shop> shops, List<String> cells, long seed) {
        this.control = control;
        this.shops = shops;
        this.cells = cells;
        this.random = new Random(seed * 7_919L + 17);
    }

    public void start() {
        thread = Thread.ofPlatform().name("chaos-mover").start(this::run);
    }

    public void stop() throws InterruptedException {
        running.set(false);
        thread.join();
    }

    public boolean moving() {
        return moving.get();
    }

    public String summary() {
        return started.get() + " moves started, " + completed.get() + " completed";
    }

    private void run() {
        while (running.get()) {
            sleep(1_000 + random.nextInt(4_000));
            if (!running.get()) {
                return;
            }
            if (random.nextInt(6) == 0) {
                rebalance();
            } else {
                move(shops.get(random.nextInt(shops.size())), random.nextInt(cells.size()));
            }
        }
    }

    private void move(Fixture.Shop shop, int pick) {
        Reply placement = control.get("/v1/shops/" + shop.id(), Map.of());
        if (placement.outcome() != Outcome.ACKNOWLEDGED) {
            Progress.say("move: shop %d not started: its placement is unreadable (%s)", shop.id(), placement.describe());
            return;
        }
        String from = placement.body().get("cellId").asText();
        String to = cells.get(pick).equals(from) ? cells.get((pick + 1) % cells.size()) : cells.get(pick);
        Reply reply = control.post("/v1/moves", Map.of("shopId", Long.toString(shop.id()), "targetCell", to), Map.of());
        if (reply.outcome() != Outcome.ACKNOWLEDGED) {
            Progress.say("move: shop %d %s -> %s not started: %s", shop.id(), from, to, reply.describe());
            return;
        }
        String moveId = reply.body().get("moveId").asText();
        started.incrementAndGet();
        Progress.say("move %s: shop %d %s -> %s started", moveId, shop.id(), from, to);
        follow(List.of(moveId));
    }

    private void rebalance() {
        Reply reply = control.post("/v1/rebalance", Map.of(), Map.of());
        if (reply.outcome() != Outcome.ACKNOWLEDGED) {
            Progress.say("rebalance: not started: %s", reply.describe());
            return;
        }
        JsonNode moves = reply.body().path("moves");
        Progress.say("rebalance: %d move(s) planned", moves.size());
        if (moves.isEmpty()) {
            return;
        }
        // The rebalance starts its moves itself, a few at a time: follow every move that has not ended.
        sleep(500);
        Reply all = control.get("/v1/moves", Map.of());
        if (all.outcome() == Outcome.ACKNOWLEDGED) {
            List<String> running = new java.util.ArrayList<>();
            for (JsonNode move : all.body()) {
                if (!ENDED.contains(move.path("phase").asText())) {
                    running.add(move.get("moveId").asText());
                    started.incrementAndGet();
                    Progress.say("move %s: shop %s %s -> %s started by the rebalance", move.get("moveId").asText(),
                            move.path("shopId").asText(), move.path("sourceCell").asText(), move.path("targetCell").asText());
                }
            }
            follow(running);
        }
    }

    /** Polls the moves until each has ended (a control plane killed mid-move resumes it when restarted), at most three minutes or the run's end. */
    private void follow(List<String> moveIds) {
        moving.set(true);
        try {
            long deadline = System.currentTimeMillis() + 180_000;
            java.util.Set<String> open = new java.util.LinkedHashSet<>(moveIds);
            while (!open.isEmpty() && running.get() && System.currentTimeMillis() < deadline) {
                sleep(250);
                for (String id : List.copyOf(open)) {
                    Reply reply = control.get("/v1/moves/" + id, Map.of());
                    if (reply.outcome() != Outcome.ACKNOWLEDGED) {
                        continue; // the control plane may be down or paused: ask again
                    }
                    String phase = reply.body().path("phase").asText();
                    if (ENDED.contains(phase)) {
                        open.remove(id);
                        if (phase.equals("COMPLETED")) {
                            completed.incrementAndGet();
                            Progress.say("move %s: COMPLETED (pause %d ms)", id, reply.body().path("cutover").path("pauseMillis").asLong());
                        } else {
                            Progress.say("move %s: ABORTED (%s)", id, reply.body().path("abortReason").asText());
                        }
                    }
                }
            }
            if (!open.isEmpty()) {
                Progress.say("move(s) %s: not ended yet; the settle phase waits for them", open);
            }
        } finally {
            moving.set(false);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
