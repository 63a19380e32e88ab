package dev.cellshop.router.proxy;

/**
 * A request target as the router's logs print it: without the credentials some targets
 * carry. A cart's token is its only credential and stands in its path
 * ({@code /api/v1/carts/{token}/items}); a token may also come as a query parameter
 * ({@code ?token=}, {@code orderToken=}). Logs are read by more people, and kept longer,
 * than the carts live: each such value is printed as {@value #REDACTED}.
 */
final class LoggedPath {

    static final String REDACTED = "***";
    private static final String CARTS = "/carts/";

    private LoggedPath() {
    }

    static String of(String target) {
        int query = target.indexOf('?');
        int carts = target.indexOf(CARTS);
        if (query < 0 && carts < 0) {
            return target; // most targets: nothing to hide, nothing allocated
        }
        String path = query < 0 ? target : target.substring(0, query);
        StringBuilder out = new StringBuilder(target.length());
        out.append(redactCartTokens(path));
        if (query >= 0) {
            out.append('?').append(redactTokenParameters(target.substring(query + 1)));
        }
        return out.toString();
    }

    /** The segment after each {@code /carts/} is a cart's token. */
    private static String redactCartTokens(String path) {
        StringBuilder out = new StringBuilder(path.length());
        int from = 0;
        int carts;
        while ((carts = path.indexOf(CARTS, from)) >= 0) {
            int tokenStart = carts + CARTS.length();
            int tokenEnd = path.indexOf('/', tokenStart);
            tokenEnd = tokenEnd < 0 ? path.length() : tokenEnd;
            out.append(path, from, tokenStart);
            if (tokenEnd > tokenStart) {
                out.append(REDACTED);
            }
            from = tokenEnd;
        }
        return out.append(path, from, path.length()).toString();
    }

    /** A parameter whose name has "token" in it, in any case, keeps its name and loses its value. */
    private static String redactTokenParameters(String query) {
        StringBuilder out = new StringBuilder(query.length());
        for (String parameter : query.split("&", -1)) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            if (equals >= 0 && name.toLowerCase(java.util.Locale.ROOT).contains("token")) {
                out.append(name).append('=').append(REDACTED);
            } else {
                out.append(parameter);
            }
        }
        return out.toString();
    }
}
