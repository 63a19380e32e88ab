package dev.cellshop.cell.http;

import dev.cellshop.cell.fencing.Decision;
import dev.cellshop.cell.fencing.InFlightRequests;
import dev.cellshop.cell.fencing.PlacementView;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.signing.SignedRequest;
import dev.cellshop.kernel.signing.Verification;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Which shop a request is for, and whether this cell may serve it. Only a router's signed
 * {@code X-Cellshop-Shop-Id}/{@code X-Cellshop-Epoch} counts (401 otherwise: also when the body
 * read is not the one the router signed), and only while the
 * placement this cell sees names it, ACTIVE, at that epoch (421 otherwise: the router then
 * refreshes its placement and retries). Every query of the request filters by this shop.
 */
public final class ShopContext {

    public static final String SHOP_HEADER = RequestSignature.SHOP_ID_HEADER;
    private static final String KEY = "cellshop.shop";
    /** Longest wait for this cell's placement view to reach the epoch a router signed. */
    static final Duration CATCH_UP = Duration.ofSeconds(2);

    private static final String EPOCH_KEY = "cellshop.epoch";
    private static final String NONCE_KEY = "cellshop.nonce";
    private static final ByteBuffer NO_BODY = ByteBuffer.allocate(0);

    private final RequestSignature signature;
    private final PlacementView placements;
    private final InFlightRequests inFlight;
    private final Duration closedRequestGrace;
    private final SignatureRefusals refusals;

    /**
     * {@code closedRequestGrace}: a request whose client went away before its answer may still
     * be working (a transaction about to commit); it counts as in flight this much longer, so a
     * cutover never takes its silence for the end of the shop's writes. It must outlast the
     * longest a shop's write can still commit ({@code ShopFence}'s deadline plus one statement).
     */
    public ShopContext(RequestSignature signature, PlacementView placements, InFlightRequests inFlight, Duration closedRequestGrace,
                       SignatureRefusals refusals) {
        this.signature = signature;
        this.refusals = refusals;
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
        ctx.put(NONCE_KEY, verified.nonce());
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

    /** The router's signature over the request's head and, the body being read (BodyHandler), over its body. */
    private Verification.Verified verified(RoutingContext ctx) {
        var request = ctx.request();
        SignedRequest signed = new SignedRequest(request.method().name(), request.uri(),
                request.getHeader(RequestSignature.BODY_DIGEST_HEADER), request.getHeader(RequestSignature.AUTHORIZATION_HEADER),
                request.getHeader(RequestSignature.IDEMPOTENCY_KEY_HEADER));
        Verification verification = signature.verify(request.getHeader(RequestSignature.SHOP_ID_HEADER),
                request.getHeader(RequestSignature.EPOCH_HEADER), request.getHeader(RequestSignature.TIMESTAMP_HEADER),
                request.getHeader(RequestSignature.NONCE_HEADER), request.getHeader(RequestSignature.SIGNATURE_HEADER), signed,
                System.currentTimeMillis());
        if (verification instanceof Verification.Verified verified) {
            Buffer body = ctx.body().buffer();
            Verification.Rejected altered = RequestSignature.checkBody(signed.bodyDigest(),
                    body == null ? NO_BODY : ByteBuffer.wrap(body.getBytes()));
            if (altered == null) {
                return verified;
            }
            verification = altered;
        }
        throw refusals.refuse((Verification.Rejected) verification);
    }

    public static ShopId shop(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    /** The signed nonce of the request, by which {@link ReplayGate} knows it again. */
    static String nonce(RoutingContext ctx) {
        return ctx.get(NONCE_KEY);
    }

    /** The placement epoch the router routed this request under: what the shop's fence checks its writes against. */
    public static long epoch(RoutingContext ctx) {
        return ctx.<Long>get(EPOCH_KEY);
    }
}
