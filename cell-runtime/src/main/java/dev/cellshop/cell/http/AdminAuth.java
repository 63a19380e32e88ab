package dev.cellshop.cell.http;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import dev.cellshop.kernel.signing.Digests;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * {@code Authorization: Bearer <token>} on /admin: the token must be one of THIS shop's
 * (looked up by shop id and the token's SHA-256), so a token opens exactly one shop.
 */
public final class AdminAuth {

    private final Pool pool;

    public AdminAuth(Pool pool) {
        this.pool = pool;
    }

    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 512) {
            deny(ctx, "send this shop's admin token as 'Authorization: Bearer <token>'");
            return;
        }
        ShopId shop = ShopContext.shop(ctx);
        pool.preparedQuery("SELECT 1 FROM shop_admin_tokens WHERE shop_id = ? AND token_sha256 = ?")
                .execute(Tuple.of(shop.value(), Buffer.buffer(Digests.sha256(header.substring(7).trim()))))
                .onSuccess(rows -> {
                    if (rows.size() == 1) {
                        ctx.next();
                    } else {
                        deny(ctx, "this token is not an admin token of shop " + shop.value());
                    }
                })
                .onFailure(ctx::fail);
    }

    private static void deny(RoutingContext ctx, String detail) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"cellshop-admin\"");
        ctx.fail(new ProblemException(Problem.unauthorized(detail)));
    }

}
