package dev.cellshop.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.chaos.check.CellRows;
import dev.cellshop.chaos.check.Checker;
import dev.cellshop.chaos.check.Evidence;
import dev.cellshop.chaos.check.Invariant;
import dev.cellshop.chaos.check.OrderEvents;
import dev.cellshop.chaos.check.PlacementHistory;
import dev.cellshop.chaos.nemesis.Components;
import dev.cellshop.chaos.nemesis.Nemesis;
import dev.cellshop.chaos.workload.Fixture;
import dev.cellshop.chaos.workload.History;
import dev.cellshop.chaos.workload.Http;
import dev.cellshop.chaos.workload.Mover;
import dev.cellshop.chaos.workload.Reply;
import dev.cellshop.chaos.workload.Workload;
import dev.cellshop.testkit.LocalPlatform;
import dev.cellshop.testkit.PlatformEndpoints;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chaos run's driver (ops/chaos starts the platform and calls it): shops made, then for
 * the run's duration the workload, the moves and the faults at once, then everything healed and
 * settled, then the invariants checked and printed. Last line:
 * {@code chaos: N operations, M acknowledged, F faults, V violations}; exit 0 only when V = 0.
 *
 * <p>Arguments {@code key=value}: state (the platform's state dir), base (its port base),
 * duration (s, 120), seed (1), workers (4), shops (4).
 */
public final class ChaosRun {

    private ChaosRun() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
            }
            opt.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        long seed = Long.parseLong(opt.getOrDefault("seed", "1"));
        int duration = Integer.parseInt(opt.getOrDefault("duration", "120"));
        int workers = Integer.parseInt(opt.getOrDefault("workers", "4"));
        int shopCount = Integer.parseInt(opt.getOrDefault("shops", "4"));
        LocalPlatform platform = LocalPlatform.at(Path.of(opt.get("state")), Integer.parseInt(opt.get("base")));
        System.exit(run(platform, seed, duration, workers, shopCount));
    }

    static int run(LocalPlatform platform, long seed, int duration, int workers, int shopCount) throws Exception {
        Progress.say("seed %d, %d s, %d workers, %d shops; replay with: ops/chaos --seed %d --duration %d", seed, duration, workers,
                shopCount, seed, duration);
        PlatformEndpoints endpoints = platform.endpoints();
        Http control = new Http("http://" + endpoints.controlPlane(), Map.of("Authorization", "Bearer " + endpoints.platformToken()));
        Http router = new Http("http://" + endpoints.router(), Map.of());
        List<String> cells = endpoints.cells().stream().map(PlatformEndpoints.Cell::cellId).toList();
        List<Fixture.Shop> shops = Fixture.create(control, router, cells, shopCount, seed);
        shops.forEach(s -> Progress.say("shop %d: hot variant %d (%d in stock), %d cold variants", s.id(), s.hotVariant(),
                Fixture.HOT_STOCK, s.coldVariants().size()));

        History history = new History();
        Components components = new Components(platform);
        Workload workload = new Workload(router, shops, history, seed);
        Mover mover = new Mover(control, shops, cells, seed);
        Nemesis nemesis = new Nemesis(components, mover::moving, seed);
        workload.start(workers);
        mover.start();
        nemesis.start();
        long end = System.currentTimeMillis() + duration * 1000L;
        while (System.currentTimeMillis() < end) {
            Thread.sleep(Math.min(15_000, Math.max(1, end - System.currentTimeMillis())));
            Progress.say("progress: %d operations, %d acknowledged, %d faults, %s", history.operations(), history.acknowledged(),
                    nemesis.injected(), mover.summary());
        }
        Progress.say("the run is over: healing the fault in hand, stopping the moves and the workload");
        nemesis.stop();
        mover.stop();
        workload.stop();
        Settle.healAll(components);
        Invariant moves = Settle.await(control, router, endpoints, shops);

        List<Long> ids = shops.stream().map(Fixture.Shop::id).toList();
        Map<Long, String> current = new HashMap<>();
        for (Fixture.Shop shop : shops) {
            Reply placement = control.get("/v1/shops/" + shop.id(), Map.of());
            if (placement.status() != 200) {
                throw new IllegalStateException("the placement of shop " + shop.id() + " is unreadable: " + placement.describe());
            }
            current.put(shop.id(), placement.body().get("cellId").asText());
        }
        Reply audit = control.get("/v1/audit?limit=1000", Map.of());
        JsonNode entries = audit.status() == 200 ? audit.body() : Http.JSON.createArrayNode();
        Evidence evidence = new Evidence(history, shops, CellRows.read(endpoints, ids), current, new PlacementHistory(entries),
                OrderEvents.read(endpoints.kafka(), ids));
        List<Invariant> verdicts = new java.util.ArrayList<>(Checker.check(evidence, router));
        verdicts.add(moves);

        int violations = 0;
        for (Invariant verdict : verdicts) {
            verdict.report().forEach(System.out::println);
            violations += verdict.violations();
        }
        System.out.printf("chaos: seed %d, %s, faults healed: %s%n", seed, mover.summary(),
                nemesis.failedHeals().isEmpty() ? "all" : "all but " + nemesis.failedHeals() + " (started again when settling)");
        System.out.printf("chaos: %d operations, %d acknowledged, %d faults, %d violations%n", history.operations(), history.acknowledged(),
                nemesis.injected(), violations);
        return violations == 0 ? 0 : 1;
    }
}
