package dev.cellshop.cell.http;

import dev.cellshop.cell.fencing.Decision;
import dev.cellshop.cell.fencing.PlacementView;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.signing.Verification;
import io.vertx.ext.web.RoutingContext;

/**
 * Which shop a request is for, and whether this cell may serve it. Only a router's signed
 * {@code X-Cellshop-Shop-Id}/{@code X-Cellshop-Epoch} counts (401 otherwise), and only while the
 * placement this cell sees names it, ACTIVE, at that epoch (421 otherwise: the router then
 * refreshes its placement and retries). Every query of the request filters by this shop.
 */
public final class ShopContext {

    public static final String SHOP_HEADER = RequestSignature.SHOP_ID_HEADER;
    private static final String KEY = "cellshop.shop";

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
        if (placements.decide(verified.shopId(), verified.epoch()) instanceof Decision.Misdirected misdirected) {
            throw new ProblemException(Problem.misdirected(misdirected.detail()));
        }
        ctx.put(KEY, verified.shopId());
        ctx.next();
    }

    public static ShopId shop(RoutingContext ctx) {
        return ctx.get(KEY);
    }
}
