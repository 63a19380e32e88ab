package dev.cellshop.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each shop's placements over time, from the control plane's audit log ({@code GET /v1/audit}):
 * {@code shop.create} (ACTIVE on its first cell, epoch 1), then per move {@code shop.freeze}
 * (FROZEN on the source) and {@code shop.switch} (ACTIVE on the target) or {@code shop.thaw}
 * (ACTIVE on the source again). An entry's time is taken just before its ZooKeeper transaction
 * commits, so a placement takes effect at or a little after it: a cell that held a shop until
 * time t may have answered a request it began before t.
 */
public final class PlacementHistory {

    public record Placement(long at, String cell, String state, long epoch) {
    }

    private final Map<Long, List<Placement>> byShop = new HashMap<>();

    public PlacementHistory(JsonNode auditEntries) {
        for (JsonNode entry : auditEntries) {
            String subject = entry.path("subject").asText();
            String action = entry.path("action").asText();
            if (!subject.startsWith("shop/")) {
                continue;
            }
            JsonNode placement = switch (action) {
                case "shop.create" -> entry.path("after").path("placement");
                case "shop.freeze", "shop.switch", "shop.thaw" -> entry.path("after");
                default -> null;
            };
            if (placement == null || placement.isMissingNode()) {
                continue;
            }
            long shop = Long.parseLong(subject.substring("shop/".length()));
            byShop.computeIfAbsent(shop, s -> new ArrayList<>()).add(new Placement(Instant.parse(entry.path("at").asText()).toEpochMilli(),
                    placement.path("cellId").asText(), placement.path("state").asText(), placement.path("epoch").asLong()));
        }
        // The log is in commit order; times of one control plane only grow, but a restarted one may start a hair behind.
        byShop.values().forEach(list -> list.sort(java.util.Comparator.comparingLong(Placement::epoch)));
    }

    /** Whether the log holds the shop's whole history (its creation is in it). */
    public boolean complete(long shop) {
        List<Placement> list = byShop.get(shop);
        return list != null && !list.isEmpty() && list.get(0).epoch() == 1;
    }

    /** The placements in force at some instant of [from, to]: the one in force at {@code from} and every one made up to {@code to}. */
    public List<Placement> during(long shop, long from, long to) {
        List<Placement> list = byShop.getOrDefault(shop, List.of());
        List<Placement> result = new ArrayList<>();
        Placement before = null;
        for (Placement p : list) {
            if (p.at() <= from) {
                before = p;
            } else if (p.at() <= to) {
                result.add(p);
            }
        }
        if (before != null) {
            result.add(0, before);
        }
        return result;
    }

    /** Whether {@code cell} held the shop (ACTIVE, or FROZEN while its last requests drain) at some instant of [from, to]. */
    public boolean held(long shop, String cell, long from, long to) {
        return during(shop, from, to).stream().anyMatch(p -> p.cell().equals(cell));
    }

    /** The placement the shop had at {@code epoch}, and when the next one was made (Long.MAX_VALUE: none yet). */
    public record Span(Placement placement, long until) {

        /**
         * Whether {@code at} falls in the span, from {@code before} ms before its placement to
         * {@code after} ms past the next one; the last span is open (no overflow past "now").
         */
        public boolean covers(long at, long before, long after) {
            return at >= placement.at() - before && (until == Long.MAX_VALUE || at <= until + after);
        }
    }

    public java.util.Optional<Span> at(long shop, long epoch) {
        List<Placement> list = byShop.getOrDefault(shop, List.of());
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).epoch() == epoch) {
                return java.util.Optional.of(new Span(list.get(i), i + 1 < list.size() ? list.get(i + 1).at() : Long.MAX_VALUE));
            }
        }
        return java.util.Optional.empty();
    }

    public List<Placement> of(long shop) {
        return byShop.getOrDefault(shop, List.of());
    }
}
