package dev.cellshop.control.certification;

import dev.cellshop.control.shops.CreatedShop;
import dev.cellshop.control.shops.NewShop;
import dev.cellshop.control.shops.ShopCreator;
import dev.cellshop.control.shops.ShopRemover;
import dev.cellshop.control.topology.TopologyStore;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.problem.ProblemException;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certification run of a CERTIFYING cell: its runtime instances registered, then a
 * canary shop created on it (pinned there, never through the placement pool), a
 * {@link CanaryCheckout} through the router, and the canary removed again (rows, placement,
 * domain) whatever the outcome. Blocking: call off any event loop.
 */
public final class Certifier {

    private static final Logger LOG = LoggerFactory.getLogger(Certifier.class);

    private final CertificationSettings settings;
    private final TopologyStore topology;
    private final ShopCreator creator;
    private final ShopRemover remover;

    public Certifier(CertificationSettings settings, TopologyStore topology, ShopCreator creator, ShopRemover remover) {
        this.settings = settings;
        this.topology = topology;
        this.creator = creator;
        this.remover = remover;
    }

    /** @return the evidence of a pass, for the descriptor's reason (each step's latency) */
    public String certify(CellDescriptor cell, String actor) throws CertificationFailure, Exception {
        if (settings.router().isBlank()) {
            throw new CertificationFailure(cell.cellId() + ": no router to certify through (set certification.router or"
                    + " local.platform-json)");
        }
        awaitInstance(cell);
        String domain = "canary-" + UUID.randomUUID().toString().substring(0, 8) + "." + cell.cellId() + ".certify.cellshop.invalid";
        CreatedShop canary;
        try {
            canary = creator.createCanary(cell, new NewShop("certification canary", domain, "EUR", null), actor);
        } catch (ProblemException e) {
            throw new CertificationFailure(cell.cellId() + " canary shop not created: " + e.problem().detail());
        }
        try {
            Map<String, Long> millis = new CanaryCheckout(settings, canary).run();
            String evidence = "certified: canary " + millis.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + " ms")
                    .collect(Collectors.joining(", ")) + " through router " + settings.router();
            LOG.info("event=cell_certified cell={} {}", cell.cellId(), evidence);
            return evidence;
        } finally {
            removeCanary(cell, canary, domain, actor);
        }
    }

    private void awaitInstance(CellDescriptor cell) throws Exception {
        long deadline = System.nanoTime() + settings.instanceWait().toNanos();
        while (topology.instances(cell.cellId()) == 0) {
            if (System.nanoTime() > deadline) {
                throw new CertificationFailure(cell.cellId() + " has no cell-runtime instance registered under "
                        + topology.paths().instances(cell.cellId()) + " after " + settings.instanceWait().toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    private void removeCanary(CellDescriptor cell, CreatedShop canary, String domain, String actor) {
        try {
            remover.remove(cell, canary.shopId(), domain, actor);
        } catch (Exception e) {
            // the cell's certification stands or falls on its own; a leftover canary is named for removal by hand
            LOG.error("event=canary_not_removed cell={} shop={} domain={} error=\"{}\"", cell.cellId(), canary.shopId(), domain,
                    e.toString());
        }
    }
}
