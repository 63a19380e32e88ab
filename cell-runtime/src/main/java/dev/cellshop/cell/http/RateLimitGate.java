package dev.cellshop.cell.http;

import dev.cellshop.cell.ratelimit.RateLimiterUnavailable;
import dev.cellshop.cell.ratelimit.ShopRateLimiter;
import dev.cellshop.kernel.problem.Problem;
import io.vertx.ext.web.RoutingContext;

/**
 * Per-shop token bucket in front of the API: 429 + Retry-After when a shop is over its rate.
 * When Redis is down the limiter cannot count, and the answer depends on what is asked
 * (degradation, not failure): carts and checkouts, which need Redis anyway, get a fast 503 +
 * Retry-After; product reads and the merchant's admin go on without a limit meanwhile.
 */
public final class RateLimitGate {

    private final ShopRateLimiter limiter;

    public RateLimitGate(ShopRateLimiter limiter) {
        this.limiter = limiter;
    }

    public void handle(RoutingContext ctx) {
        limiter.tryAcquire(ShopContext.shop(ctx)).onComplete(result -> {
            if (result.succeeded() && result.result().allowed()) {
                ctx.next();
            } else if (result.succeeded()) {
                ProblemHandler.write(ctx, Problem.tooManyRequests("shop " + ShopContext.shop(ctx).value() + " is over its request rate")
                        .withExtension("retryAfterSeconds", result.result().retryAfterSeconds()));
            } else if (result.cause() instanceof RateLimiterUnavailable && !needsRedis(ctx)) {
                ctx.next();
            } else {
                ProblemHandler.write(ctx, Problem.serviceUnavailable("this cell cannot take carts and checkouts right now; retry shortly")
                        .withExtension("retryAfterSeconds", 1));
            }
        });
    }

    private static boolean needsRedis(RoutingContext ctx) {
        String path = ctx.request().path();
        return path.startsWith("/api/v1/carts") || path.startsWith("/api/v1/checkouts");
    }
}
