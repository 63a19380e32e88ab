package dev.cellshop.cell.http;

import dev.cellshop.cell.replay.SeenNonces;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.signing.Verification;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a router write this cell has already taken (401, reason {@code REPLAYED}): the
 * signature holds for its skew window, so without this a write captured on the way could be
 * sent again, and done twice, within it.
 *
 * <p>Reads (GET, HEAD) are not checked. A replayed read changes nothing, and whoever could
 * capture it on the router-to-cell link saw its answer there too; its signature still ties it
 * to that exact request and the last 30 s. Checking them would put a Redis round trip on the
 * storefront's hottest path (product reads at tens of thousands per second per cell).
 *
 * <p>When the cell's Redis cannot say (down, or slower than the check's timeout) a write gets
 * a fast 503 + Retry-After (fail closed: a replayed write is what this guard is for, and carts
 * and checkouts need Redis anyway). An in-process memory instead would let a replay through
 * on the cell's other instances.
 */
public final class ReplayGate {

    private final SeenNonces seen;
    private final SignatureRefusals refusals;

    public ReplayGate(SeenNonces seen, SignatureRefusals refusals) {
        this.seen = seen;
        this.refusals = refusals;
    }

    public void handle(RoutingContext ctx) {
        if (isRead(ctx.request().method())) {
            ctx.next();
            return;
        }
        String nonce = ShopContext.nonce(ctx);
        seen.firstSight(nonce).onComplete(first -> {
            if (first.succeeded() && first.result()) {
                ctx.next();
            } else if (first.succeeded()) {
                ctx.fail(refusals.refuse(new Verification.Rejected(Verification.Reason.REPLAYED,
                        "this request (nonce " + nonce + ") was already taken by this cell: a replay")));
            } else {
                ProblemHandler.write(ctx, Problem.serviceUnavailable("this cell cannot rule out a replayed write right now"
                        + " (its Redis does not answer); retry shortly").withExtension("retryAfterSeconds", 1));
            }
        });
    }

    private static boolean isRead(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD;
    }
}
