package dev.cellshop.cell.http;

import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Request paths as the cell's logs show them. A cart's token is its only credential and it
 * travels in the path ({@code /api/v1/carts/{token}}), so a log line shows {@code /carts/:token}
 * instead. The path is the one Vert.x Web routed by (dot-segments and percent-encoding resolved),
 * so no other spelling of a cart path slips through. Order tokens travel in a header
 * ({@code X-Order-Token}), which the cell never logs.
 */
public final class LoggedPaths {

    private static final Pattern CART_TOKEN = Pattern.compile("/carts/[^/]+");

    private LoggedPaths() {
    }

    public static String redact(RoutingContext ctx) {
        return redact(ctx.normalizedPath());
    }

    static String redact(String path) {
        return CART_TOKEN.matcher(path).replaceAll("/carts/:token");
    }
}
