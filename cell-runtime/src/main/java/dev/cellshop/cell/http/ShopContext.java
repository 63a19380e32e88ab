package dev.cellshop.cell.http;

import dev.cellshop.cell.fencing.Decision;
import dev.cellshop.cell.fencing.InFlightRequests;
import dev.cellshop.cell.fencing.PlacementView;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.signing.Verification;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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

    private static final String EPOCH_KEY = "cellshop.epoch";

    private final RequestSignature signature;
    private final PlacementView placements;
    private final InFlightRequests inFlight;
    private final Duration closedRequestGrace;

    /**
     * {@code closedRequestGrace}: a request whose client went away before its answer may still
     * be working (a transaction about to commit); it counts as in flight this much longer, so a
     * cutover never takes its silence for the end of the shop's writes. It must outlast the
     * longest a shop's write can still commit ({@code ShopFence}'s deadline plus one statement).
     */
    public ShopContext(RequestSignature signature, PlacementView placements, InFlightRequests inFlight, Duration closedRequestGrace) {
        this.signature = signature;
        this.placements = placements;
        this.inFlight = inFlight;
        this.closedRequestGrace = closedRequestGrace;
    }

    public void handle(RoutingContext ctx) {
        Verification.Verified verified = verified(ctx);
        ShopId shop = verified.shopId();
        Decision decision = inFlight.admit(shop, () -> placements.decide(shop, verified.epoch()));
        if (decision instanceof Decision.Misdirected && placements.behind(shop, verified.epoch())) {
            // The router saw a newer placement than we have (a cutover that just ended): wait
            // briefly for our own view instead of refusing. The body is already read (BodyHandler).
            Future.fromCompletionStage(placements.caughtUp(shop, verified.epoch())
                            .orTimeout(CATCH_UP.toMillis(), TimeUnit.MILLISECONDS), ctx.vertx().getOrCreateContext())
                    .onComplete(waited -> admit(ctx, verified, inFlight.admit(shop, () -> placements.decide(shop, verified.epoch()))));
            return;
        }
        admit(ctx, verified, decision);
    }

    /** Goes on with a request {@link InFlightRequests#admit} counted (when served) or refused. */
    private void admit(RoutingContext ctx, Verification.Verified verified, Decision decision) {
        if (decision instanceof Decision.Misdirected misdirected) {
            ctx.fail(new ProblemException(Problem.misdirected(misdirected.detail())));
            return;
        }
        ShopId shop = verified.shopId();
        ctx.put(KEY, shop);
        ctx.put(EPOCH_KEY, verified.epoch());
        ctx.addEndHandler(ended -> {
            if (ended.succeeded()) {
                inFlight.leave(shop); // answered: its work is done
            } else {
                ctx.vertx().setTimer(closedRequestGrace.toMillis(), t -> inFlight.leave(shop));
            }
        });
        ctx.next();
    }

    /**
     * {@code GET /internal/v1/shops/:shopId/quiescence}, signed (by the mover) at the epoch of
     * the freeze: whether this instance has seen that placement (so it admits no new request
     * of the shop) and has no request of the shop in flight. A cutover polls every instance
     * of the source cell until all say {@code quiescent}.
     */
    public void quiescence(RoutingContext ctx) {
        Verification.Verified verified = verified(ctx);
        if (!verified.shopId().toString().equals(ctx.pathParam("shopId"))) {
            throw new ProblemException(Problem.badRequest("the path names shop " + ctx.pathParam("shopId")
                    + " but the request is signed for shop " + verified.shopId()));
        }
        Placement seen = placements.placement(verified.shopId());
        int requests = inFlight.count(verified.shopId());
        boolean reached = seen != null && seen.epoch() >= verified.epoch();
        ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                .put("shopId", verified.shopId().toString())
                .put("epoch", seen == null ? null : seen.epoch())
                .put("state", seen == null ? null : seen.state().name())
                .put("inFlight", requests)
                .put("quiescent", reached && requests == 0).encode());
    }

    private Verification.Verified verified(RoutingContext ctx) {
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
        return verified;
    }

    public static ShopId shop(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    /** The placement epoch the router routed this request under: what the shop's fence checks its writes against. */
    public static long epoch(RoutingContext ctx) {
        return ctx.<Long>get(EPOCH_KEY);
    }
}
