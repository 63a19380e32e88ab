package dev.cellshop.chaos.check;

import dev.cellshop.chaos.workload.Fixture;
import dev.cellshop.chaos.workload.History;
import java.util.List;
import java.util.Map;

/**
 * What the checker judges, gathered once the platform settled: the run's history (what
 * clients were told), its shops, the rows of every cell, each shop's current cell, the
 * placement history of the audit log, and the order events on Kafka (per order).
 */
public record Evidence(History history, List<Fixture.Shop> shops, CellRows rows, Map<Long, String> currentCell,
                       PlacementHistory placements, Map<Long, List<OrderEvents.Event>> events) {
}
