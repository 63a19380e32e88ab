package dev.cellshop.router.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Arrays;
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

    private static final String[] NONE = {}; // before the table it fills
    /** The hop-by-hop header names (RFC 9110 section 7.6.1), lower-case, by their length. */
    private static final String[][] HOP_BY_HOP = byLength("te", "trailer", "upgrade", "connection", "keep-alive",
            "proxy-connection", "transfer-encoding", "proxy-authenticate", "proxy-authorization");

    /**
     * The hop-by-hop names of {@code length} characters (most lengths have none): the one list
     * for the request's header map and the cell's response head, each comparing in its own form.
     */
    static String[] hopByHop(int length) {
        return length < HOP_BY_HOP.length ? HOP_BY_HOP[length] : NONE;
    }

    // By length, so almost every header is refused by one comparison.
    private static boolean isHopByHop(CharSequence name) {
        for (String hop : hopByHop(name.length())) {
            if (AsciiString.contentEqualsIgnoreCase(name, hop)) {
                return true;
            }
        }
        return false;
    }

    private static String[][] byLength(String... names) {
        int longest = 0;
        for (String name : names) {
            longest = Math.max(longest, name.length());
        }
        String[][] table = new String[longest + 1][];
        Arrays.fill(table, NONE);
        for (String name : names) {
            String[] same = Arrays.copyOf(table[name.length()], table[name.length()].length + 1);
            same[same.length - 1] = name;
            table[name.length()] = same;
        }
        return table;
    }
}
