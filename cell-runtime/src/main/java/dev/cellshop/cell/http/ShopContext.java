package dev.cellshop.cell.http;

import dev.cellshop.cell.fencing.Decision;
import dev.cellshop.cell.fencing.PlacementView;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.signing.Verification;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Which shop a request is for, and whether this cell may serve it. Only a router's signed
 * {@code X-Cellshop-Shop-Id}/{@code X-Cellshop-Epoch} counts (401 otherwise), and only while the
 * placement this cell sees names it, ACTIVE, at that epoch (421 otherwise: the router then
 * refreshes its placement and retries). Every query of the request filters by this shop.
 */
public final class ShopContext {

    public static final String SHOP_HEADER = RequestSignature.SHOP_ID_HEADER;
    private static final String KEY = "cellshop.shop";
    /** Longest wait for this cell's placement view to reach the epoch a router signed. */
    static final Duration CATCH_UP = Duration.ofSeconds(2);

    private final RequestSignature signature;
    private final PlacementView placements;

    public ShopContext(RequestSignature signature, PlacementView placements) {
        this.signature = signature;
        this.placements = placements;
    }

    public void handle(RoutingContext ctx) {
        var request = ctx.request();
        Verification verification = signature.verify(request.getHeader(RequestSignature.SHOP_ID_HEADER),
                request.getHeader(RequestSignature.EPOCH_HEADER), request.getHeader(RequestSignature.TIMESTAMP_HEADER),
                request.getHeader(RequestSignature.SIGNATURE_HEADER), request.method().name(), request.uri(),
                System.currentTimeMillis());
        if (!(verification instanceof Verification.Verified verified)) {
            Verification.Rejected rejected = (Verification.Rejected) verification;
            throw new ProblemException(Problem.unauthorized("requests reach a cell only through a router: " + rejected.detail())
                    .withExtension("reason", rejected.reason().name()));
        }
        Decision decision = placements.decide(verified.shopId(), verified.epoch());
        if (decision instanceof Decision.Misdirected && placements.behind(verified.shopId(), verified.epoch())) {
            // The router saw a newer placement than we have (a cutover that just ended): wait
            // briefly for our own view instead of refusing. The body is already read (BodyHandler).
            Future.fromCompletionStage(placements.caughtUp(verified.shopId(), verified.epoch())
                            .orTimeout(CATCH_UP.toMillis(), TimeUnit.MILLISECONDS), ctx.vertx().getOrCreateContext())
                    .onComplete(waited -> admit(ctx, verified, placements.decide(verified.shopId(), verified.epoch())));
            return;
        }
        admit(ctx, verified, decision);
    }

    private static void admit(RoutingContext ctx, Verification.Verified verified, Decision decision) {
        if (decision instanceof Decision.Misdirected misdirected) {
            ctx.fail(new ProblemException(Problem.misdirected(misdirected.detail())));
            return;
        }
        ctx.put(KEY, verified.shopId());
        ctx.next();
    }

    public static ShopId shop(RoutingContext ctx) {
        return ctx.get(KEY);
    }
}
