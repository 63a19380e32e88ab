package dev.cellshop.control.http;

import dev.cellshop.kernel.problem.Problem;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Lets a request through only with {@code Authorization: Bearer <platform token>}; 401 problem+json otherwise. */
final class PlatformTokenAuth implements Handler<RoutingContext> {

    private static final String BEARER = "Bearer ";
    private final byte[] token;

    PlatformTokenAuth(String token) {
        if (token.length() < 32) {
            throw new IllegalArgumentException("platform.token must be at least 32 characters");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.startsWith(BEARER)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            ProblemResponses.write(ctx, Problem.unauthorized("send the platform token as 'Authorization: Bearer <token>'"));
            return;
        }
        // constant time: the comparison must not tell how much of a guess was right
        if (!MessageDigest.isEqual(token, header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8))) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            ProblemResponses.write(ctx, Problem.unauthorized("the platform token is not valid"));
            return;
        }
        ctx.next();
    }
}
