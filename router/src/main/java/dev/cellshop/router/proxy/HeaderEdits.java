package dev.cellshop.router.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The header edits of a proxy hop, on Netty's header maps: what never crosses the router
 * (client-supplied {@code X-Cellshop-*}, hop-by-hop headers). Most requests carry none of
 * them, so each edit first scans without allocating and only then collects what to remove.
 */
final class HeaderEdits {

    private static final String CELLSHOP_PREFIX = "x-cellshop-";

    private HeaderEdits() {
    }

    /** Only a router may set these: a client's copy must never reach a cell. */
    static void stripCellshop(HttpHeaders headers) {
        removeMatching(headers, HeaderEdits::isCellshop);
    }

    /** Removes the headers that describe one connection, not the message (RFC 9110 section 7.6.1). */
    static void removeHopByHop(HttpHeaders headers) {
        removeMatching(headers, HeaderEdits::isHopByHop);
    }

    private interface NameTest {
        boolean matches(CharSequence name);
    }

    private static void removeMatching(HttpHeaders headers, NameTest test) {
        List<CharSequence> doomed = null;
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            if (test.matches(h.getKey())) {
                if (doomed == null) {
                    doomed = new ArrayList<>(2);
                }
                doomed.add(h.getKey());
            }
        }
        if (doomed != null) {
            doomed.forEach(headers::remove);
        }
    }

    private static boolean isCellshop(CharSequence name) {
        return name.length() > CELLSHOP_PREFIX.length()
                && AsciiString.regionMatches(name, true, 0, CELLSHOP_PREFIX, 0, CELLSHOP_PREFIX.length());
    }

    // Switched on length, so almost every header is refused by one comparison.
    private static boolean isHopByHop(CharSequence name) {
        return switch (name.length()) {
            case 2 -> AsciiString.contentEqualsIgnoreCase(name, "te");
            case 7 -> AsciiString.contentEqualsIgnoreCase(name, "trailer") || AsciiString.contentEqualsIgnoreCase(name, "upgrade");
            case 10 -> AsciiString.contentEqualsIgnoreCase(name, "connection") || AsciiString.contentEqualsIgnoreCase(name, "keep-alive");
            case 16 -> AsciiString.contentEqualsIgnoreCase(name, "proxy-connection");
            case 17 -> AsciiString.contentEqualsIgnoreCase(name, "transfer-encoding");
            case 18 -> AsciiString.contentEqualsIgnoreCase(name, "proxy-authenticate");
            case 19 -> AsciiString.contentEqualsIgnoreCase(name, "proxy-authorization");
            default -> false;
        };
    }
}
