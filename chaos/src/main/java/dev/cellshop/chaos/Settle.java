package dev.cellshop.chaos;

import dev.cellshop.chaos.check.Invariant;

import dev.cellshop.chaos.check.CellRows;
import dev.cellshop.chaos.nemesis.Components;
import dev.cellshop.chaos.workload.Fixture;
import dev.cellshop.chaos.workload.Http;
import dev.cellshop.chaos.workload.Reply;
import dev.cellshop.testkit.ComponentStatus;
import dev.cellshop.testkit.PlatformEndpoints;
import dev.cellshop.testkit.faults.LinkMode;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Between the faults and the checks: everything healed (every process resumed, every link back to
 * PASS, every component down started again), then the platform left to settle — no move still
 * running, every cell's outbox drained for the run's shops, the router routing each shop — so the
 * checker judges a state at rest, not one in flight. A wait that runs out is said and the checks run anyway.
 */
final class Settle {

    /**
     * A move the control plane no longer drives: it resumes a failed move from its checkpoint
     * (1 s doubling to 30 s) and aborts it after five failures before its cutover, so a move with
     * no checkpoint saved for this long before its cutover has been given up: a finding.
     */
    private static final long STUCK_MILLIS = 90_000;

    private Settle() {
    }

    static void healAll(Components components) {
        for (ComponentStatus c : components.status()) {
            if (c.pid() != null) {
                Components.signal(c.pid(), "CONT");
            }
            if (c.name().startsWith(Components.LINKS) && c.up()) {
                try {
                    components.switchLink(c.name(), LinkMode.PASS);
                } catch (RuntimeException e) {
                    Progress.say("settle: %s not healed: %s", c.name(), e.getMessage());
                }
            }
        }
        for (int round = 0; round < 3; round++) {
            List<String> down = components.status().stream().filter(c -> !c.up()).map(ComponentStatus::name).toList();
            if (down.isEmpty()) {
                Progress.say("settle: every component is up");
                return;
            }
            for (String name : down) {
                try {
                    components.start(name);
                    Progress.say("settle: started %s", name);
                } catch (RuntimeException e) {
                    Progress.say("settle: starting %s failed: %s", name, e.getMessage().lines().findFirst().orElse(""));
                }
            }
        }
    }

    /** Waits until the platform is at rest; returns the verdict on the moves still running then (each ends by itself). */
    static Invariant await(Http control, Http router, PlatformEndpoints platform, List<Fixture.Shop> shops) {
        List<Long> ids = shops.stream().map(Fixture.Shop::id).toList();
        Invariant verdict = new Invariant("moves end by themselves (none stuck before its cutover)");
        java.util.Set<String> seen = new java.util.HashSet<>();
        until("no move running", 240, () -> {
            Reply moves = control.get("/v1/moves", Map.of());
            if (moves.status() != 200) {
                return false;
            }
            boolean running = false;
            for (var move : moves.body()) {
                String phase = move.path("phase").asText();
                if (List.of("COMPLETED", "ABORTED").contains(phase)) {
                    continue;
                }
                running = true;
                if (seen.add(move.path("moveId").asText())) {
                    verdict.checked();
                }
                abortIfStuck(control, move, phase, verdict);
            }
            return !running;
        });
        until("the router routes every shop", 60, () -> shops.stream()
                .allMatch(s -> router.get("/api/v1/products", s.asShop()).status() == 200));
        until("every outbox drained", 120, () -> {
            for (PlatformEndpoints.Cell cell : platform.cells()) {
                try {
                    if (CellRows.outboxBacklog(cell, ids) > 0) {
                        return false;
                    }
                } catch (java.sql.SQLException e) {
                    return false;
                }
            }
            return true;
        });
        return verdict;
    }

    /**
     * A move the control plane gave up before its cutover (see {@link #STUCK_MILLIS}) is aborted
     * here, as an operator would, so the checks judge a settled platform; and counted as a
     * violation, since the shop could not be moved again until someone did.
     */
    private static void abortIfStuck(Http control, com.fasterxml.jackson.databind.JsonNode move, String phase, Invariant moves) {
        long idle = System.currentTimeMillis() - java.time.Instant.parse(move.path("updatedAt").asText()).toEpochMilli();
        if (idle < STUCK_MILLIS || !List.of("COPYING", "CATCHING_UP", "CAUGHT_UP").contains(phase)) {
            return;
        }
        String id = move.path("moveId").asText();
        Reply aborted = control.post("/v1/moves/" + id + "/abort", Map.of(), Map.of());
        Progress.say("settle: move %s STUCK in %s for %d s (the control plane no longer drives it): abort -> %s",
                id, phase, idle / 1000, aborted.status() == 200 ? "ABORTED" : aborted.describe());
        moves.violation("move " + id + " of shop " + move.path("shopId").asText() + " stuck in " + phase + " for " + idle / 1000 + " s");
    }

    private static void until(String what, int seconds, BooleanSupplier condition) {
        long t0 = System.currentTimeMillis();
        long deadline = t0 + seconds * 1000L;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                Progress.say("settle: %s (%.1f s)", what, (System.currentTimeMillis() - t0) / 1000.0);
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Progress.say("settle: NOT %s after %d s; checking anyway", what, seconds);
    }
}
