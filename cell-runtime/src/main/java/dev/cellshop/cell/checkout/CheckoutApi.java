package dev.cellshop.cell.checkout;

import dev.cellshop.cell.cart.CartStore;
import dev.cellshop.cell.http.JsonBody;
import dev.cellshop.cell.http.ShopContext;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/** POST /api/v1/checkouts {"cartToken", "email"} with an Idempotency-Key header. */
public final class CheckoutApi {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

    private final CheckoutService checkout;
    private final Counter outcomes;

    public CheckoutApi(CheckoutService checkout, PrometheusRegistry registry) {
        this.checkout = checkout;
        this.outcomes = Counter.builder().name("cellshop_checkouts_total")
                .help("checkouts by result: created, replayed (same Idempotency-Key), sold_out (oversell refused), rejected")
                .labelNames("result").register(registry);
    }

    public void checkout(RoutingContext ctx) {
        String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
        if (key == null || !KEY.matcher(key).matches()) {
            throw new ProblemException(Problem.badRequest(IDEMPOTENCY_KEY
                    + " header is required: 1 to 255 visible ASCII characters, the same for every retry of one checkout"));
        }
        JsonBody body = JsonBody.of(ctx);
        String cartToken = body.string("cartToken", 64);
        String email = body.string("email", 254);
        if (!EMAIL.matcher(email).matches()) {
            throw JsonBody.bad("email '" + email + "' is not an e-mail address");
        }
        if (!CartStore.isWellFormed(cartToken)) {
            throw new ProblemException(Problem.notFound("no cart " + cartToken + " in this shop"));
        }
        checkout.checkout(ShopContext.shop(ctx), ShopContext.epoch(ctx), key, cartToken, email)
                .onSuccess(outcome -> outcomes.labelValues(outcome.replayed() ? "replayed" : "created").inc())
                .onFailure(e -> outcomes.labelValues(e instanceof ProblemException p && p.problem().status() == 409 ? "sold_out" : "rejected").inc())
                .onSuccess(outcome -> ctx.response().setStatusCode(outcome.status())
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Idempotent-Replayed", Boolean.toString(outcome.replayed()))
                        .end(outcome.body()))
                .onFailure(ctx::fail);
    }
}
