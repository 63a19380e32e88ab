package dev.cellshop.router.proxy;

import dev.cellshop.kernel.problem.Problem;
import io.netty.handler.codec.http.HttpRequest;

/**
 * A request's target in the one form the router decides on and the cell receives, so the
 * two can never read one request two ways (issue 16 item 2: {@code /api/v1/../../internal/...}
 * and {@code /%69nternal/...} reached a cell's internal endpoint through the router).
 *
 * <p>The canonical path: absolute-form ({@code http://host/path}) becomes origin-form;
 * percent-encoded unreserved characters are decoded (RFC 3986 6.2.2.2; {@code %2e} is a
 * dot), every other escape is kept with upper-case hex, and characters that may not stand
 * raw in a path are encoded; repeated slashes are one; dot-segments are removed (RFC 3986
 * 5.2.4). Encoded reserved characters keep their meaning (RFC 3986 2.2), so decoding only
 * the unreserved ones changes nothing the cell reads. Refused (400): a target that is not a
 * path, a fragment, invalid percent-encoding, an encoded {@code /} or NUL (each read
 * differently by different servers), and {@code ..} above the root. The query is forwarded
 * as the client sent it.
 *
 * <p>Most targets are canonical already: one scan over the path, no allocation.
 */
final class RequestTarget {

    /** Bit c set: character c may stand raw in a canonical path (unreserved, sub-delims, ':', '@', '/'). */
    private static final boolean[] RAW = new boolean[128];
    private static final boolean[] UNRESERVED = new boolean[128];
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            UNRESERVED[c] = true;
            UNRESERVED[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c : "-._~".toCharArray()) {
            UNRESERVED[c] = true;
        }
        System.arraycopy(UNRESERVED, 0, RAW, 0, RAW.length);
        for (char c : "!$&'()*+,;=:@/".toCharArray()) {
            RAW[c] = true;
        }
    }

    private RequestTarget() {
    }

    /** Puts the canonical target in place of the request's own; returns why it cannot be made canonical (400), or null. */
    static Problem canonicalize(HttpRequest request) {
        String uri = request.uri();
        try {
            String canonical = canonical(uri);
            if (!canonical.equals(uri)) {
                request.setUri(canonical);
            }
            return null;
        } catch (IllegalArgumentException e) {
            return Problem.badRequest("The request target '" + abbreviate(uri) + "' " + e.getMessage());
        }
    }

    /** The canonical form of a request target; IllegalArgumentException (its message completes "the target ...") when there is none. */
    static String canonical(String target) {
        if (target.indexOf('#') >= 0) {
            throw new IllegalArgumentException("has a fragment ('#'), which a request never carries");
        }
        String origin = target.startsWith("/") ? target : originForm(target);
        int query = origin.indexOf('?');
        int pathEnd = query < 0 ? origin.length() : query;
        if (isCanonicalPath(origin, pathEnd)) {
            return origin;
        }
        String canonicalPath = canonicalPath(origin.substring(0, pathEnd));
        return query < 0 ? canonicalPath : canonicalPath + origin.substring(query);
    }

    /** Whether a canonical path is one of the cells' internal endpoints, which the router never forwards. */
    static boolean isInternal(String uri) {
        return underPrefix(uri, "/internal");
    }

    /** Whether a canonical path is the router's own (its process endpoints and anything under them): never a shop's. */
    static boolean isRouters(String uri) {
        return underPrefix(uri, "/health") || underPrefix(uri, "/ready") || underPrefix(uri, "/metrics");
    }

    /** {@code prefix} itself or anything below it, in any letter case, followed by the end, '/' or the query. */
    private static boolean underPrefix(String uri, String prefix) {
        int n = prefix.length();
        if (!uri.regionMatches(true, 0, prefix, 0, n)) {
            return false;
        }
        return uri.length() == n || uri.charAt(n) == '/' || uri.charAt(n) == '?';
    }

    /** {@code http://authority/path?query} → {@code /path?query}; anything else that is no path (authority-form, {@code *}) is refused. */
    private static String originForm(String target) {
        int scheme = target.regionMatches(true, 0, "http://", 0, 7) ? 7 : target.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
        if (scheme < 0) {
            throw new IllegalArgumentException("is not a path (origin-form) or an absolute http(s) URI");
        }
        for (int i = scheme; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '/') {
                return target.substring(i);
            }
            if (c == '?') {
                return "/" + target.substring(i);
            }
        }
        return "/";
    }

    /** Whether {@code path} up to {@code n} is canonical already. */
    private static boolean isCanonicalPath(String path, int n) {
        for (int i = 0; i < n; i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= n) {
                    return false;
                }
                int hi = hex(path.charAt(i + 1));
                int lo = hex(path.charAt(i + 2));
                int decoded = hi << 4 | lo;
                if (hi < 0 || lo < 0 || !isUpperHex(path.charAt(i + 1)) || !isUpperHex(path.charAt(i + 2))
                        || UNRESERVED[decoded & 0x7f] && decoded < 128 || decoded == '/' || decoded == 0) {
                    return false;
                }
                i += 2;
            } else if (c >= 128 || !RAW[c]) {
                return false;
            } else if (c == '/' && i + 1 < n) {
                char next = path.charAt(i + 1);
                if (next == '/' || next == '.' && isDotSegment(path, i + 1, n)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The segment starting at {@code start} (ending at '/' or {@code n}) is '.' or '..'. */
    private static boolean isDotSegment(String path, int start, int n) {
        int end = start + 1;
        if (end < n && path.charAt(end) == '.') {
            end++;
        }
        return end == n || path.charAt(end) == '/';
    }

    private static String canonicalPath(String path) {
        // Decode what is unreserved, so that '.' and letters compare as what they are; keep (upper-cased) the rest.
        StringBuilder decoded = new StringBuilder(path.length());
        int n = path.length();
        for (int i = 0; i < n; i++) {
            char c = path.charAt(i);
            if (c == '%') {
                int hi = i + 2 < n ? hex(path.charAt(i + 1)) : -1;
                int lo = i + 2 < n ? hex(path.charAt(i + 2)) : -1;
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("has invalid percent-encoding at position " + i);
                }
                int b = hi << 4 | lo;
                if (b == '/') {
                    throw new IllegalArgumentException("has an encoded '/' (%2F), which servers read differently");
                }
                if (b == 0) {
                    throw new IllegalArgumentException("has an encoded NUL (%00)");
                }
                if (b < 128 && UNRESERVED[b]) {
                    decoded.append((char) b);
                } else {
                    decoded.append('%').append(HEX[hi]).append(HEX[lo]);
                }
                i += 2;
            } else if (c < 128 && RAW[c]) {
                decoded.append(c);
            } else if (c < 256 && c != 0) {
                // The decoder made each byte of the request line one char: encode the byte.
                decoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                throw new IllegalArgumentException("has a character that is no byte of a URI");
            }
        }
        return removeDotSegments(decoded);
    }

    /** Repeated slashes collapsed, '.' and '..' segments resolved; '..' above the root is refused. */
    private static String removeDotSegments(CharSequence path) {
        String[] parts = path.toString().split("/", -1);
        String[] kept = new String[parts.length];
        int depth = 0;
        boolean trailingSlash = false;
        for (int i = 1; i < parts.length; i++) { // parts[0] is before the leading '/'
            String segment = parts[i];
            boolean last = i == parts.length - 1;
            if (segment.equals("..")) {
                if (depth == 0) {
                    throw new IllegalArgumentException("climbs above the root with '..'");
                }
                depth--;
                trailingSlash = last;
            } else if (segment.equals(".") || segment.isEmpty()) {
                trailingSlash = last;
            } else {
                kept[depth++] = segment;
                trailingSlash = false;
            }
        }
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < depth; i++) {
            out.append('/').append(kept[i]);
        }
        if (depth == 0 || trailingSlash) {
            out.append('/');
        }
        return out.toString();
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    private static boolean isUpperHex(char c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'F';
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }
}
