package dev.cellshop.cell.http;

import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import dev.cellshop.kernel.signing.Verification;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The 401 of a request a cell will not take as a router's, counted by reason
 * ({@code cellshop_cell_signature_refusals_total{reason}}): each reason points at a different
 * fault (no router, another secret or release, an altered request, a replay, a clock).
 */
public final class SignatureRefusals {

    private final Counter refusals;

    public SignatureRefusals(PrometheusRegistry registry) {
        refusals = Counter.builder().name("cellshop_cell_signature_refusals_total")
                .help("requests refused as not a router's, by reason (MISSING, BAD_SIGNATURE, BODY_MISMATCH, REPLAYED, ...)")
                .labelNames("reason").register(registry);
    }

    /** Counts the refusal and returns the problem to fail the request with. */
    ProblemException refuse(Verification.Rejected rejected) {
        refusals.labelValues(rejected.reason().name()).inc();
        return new ProblemException(Problem.unauthorized("requests reach a cell only through a router: " + rejected.detail())
                .withExtension("reason", rejected.reason().name()));
    }
}
