package dev.cellshop.router.proxy;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.router.topology.ShopDirectory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * Which shop a request is for: the {@code X-Shop-Id} header if present, else its
 * {@code Host} as a shop domain. Only a map lookup; never the network.
 */
public final class ShopResolver {

    public static final AsciiString SHOP_HEADER = AsciiString.cached("X-Shop-Id");

    private final ShopDirectory directory;

    public ShopResolver(ShopDirectory directory) {
        this.directory = directory;
    }

    /** The shop, or a {@link ProblemException} (400 or 404) that says why not. */
    public ShopId resolve(HttpHeaders headers) {
        String header = headers.get(SHOP_HEADER);
        if (header != null) {
            ShopId shop;
            try {
                shop = ShopId.parse(header.trim());
            } catch (IllegalArgumentException e) {
                throw new ProblemException(Problem.badRequest(SHOP_HEADER + " '" + abbreviate(header) + "' is not a shop id: " + e.getMessage()));
            }
            if (directory.placement(shop) == null) {
                throw new ProblemException(Problem.notFound("Shop " + shop + " does not exist"));
            }
            return shop;
        }
        String host = headers.get(HttpHeaderNames.HOST);
        if (host == null || host.isEmpty()) {
            throw new ProblemException(Problem.notFound("No shop named: send a shop domain as Host or the " + SHOP_HEADER + " header"));
        }
        String domain = withoutPort(host);
        ShopId shop;
        try {
            shop = directory.shopOfDomain(TopologyPaths.normalizeDomain(domain));
        } catch (IllegalArgumentException notADomain) {
            shop = null;
        }
        if (shop == null || directory.placement(shop) == null) {
            throw new ProblemException(Problem.notFound("No shop at domain '" + abbreviate(domain) + "' (or send the "
                    + SHOP_HEADER + " header)"));
        }
        return shop;
    }

    private static String withoutPort(String host) {
        if (host.startsWith("[")) {
            return host; // an IPv6 literal is never a shop domain; normalizeDomain refuses it
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
