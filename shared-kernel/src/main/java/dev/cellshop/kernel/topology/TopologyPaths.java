package dev.cellshop.kernel.topology;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The ZooKeeper layout of cellshop; every module takes its paths from here and nowhere else.
 * <pre>
 * {root}/cells/{cellId}                 cell descriptor JSON: endpoints of its MySQL, Redis,
 *                                       Memcached; state PROVISIONING|CERTIFYING|ACTIVE|DRAINING|RETIRED; capacity
 * {root}/cells/{cellId}/instances/{id}  EPHEMERAL: a live cell-runtime instance (host:port)
 * {root}/routers/{id}                   EPHEMERAL: a live router
 * {root}/shops/{shopId}                 placement JSON: {cellId, state ACTIVE|FROZEN, epoch}
 * {root}/domains/{domain}               -> shopId
 * {root}/moves/{moveId}                 move state, checkpoints (resumable)
 * {root}/control/leader/...             the control planes' LeaderLatch (participant id: each one's base URL)
 * {root}/ids/workers/{n}                EPHEMERAL-SEQUENTIAL worker-id leases
 * {root}/audit/entry-{n}                PERSISTENT-SEQUENTIAL: one control-plane change (who, what, when,
 *                                       before/after JSON), written in the same transaction as the change
 * </pre>
 * {@code root} is {@code /cellshop} in production; tests pass their own root so parallel
 * tests sharing one ZooKeeper cannot see each other's nodes.
 */
public record TopologyPaths(String root) {

    private static final Pattern ROOT = Pattern.compile("(/[A-Za-z0-9_\\-.]+)+");
    // printable ASCII without '/': safe as one ZooKeeper node name (host:port included)
    private static final Pattern NODE_NAME = Pattern.compile("[\\x21-\\x2E\\x30-\\x7E]+");
    private static final Pattern DOMAIN_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    // declared after the patterns: static fields initialise in order and the check needs them
    public static final String DEFAULT_ROOT = "/cellshop";
    public static final TopologyPaths DEFAULT = new TopologyPaths(DEFAULT_ROOT);

    public TopologyPaths {
        if (root == null || !ROOT.matcher(root).matches() || root.contains("/./") || root.contains("/../")
                || root.endsWith("/.") || root.endsWith("/..")
                || root.equals("/zookeeper") || root.startsWith("/zookeeper/")) {
            throw new IllegalArgumentException("Invalid ZooKeeper root '" + root + "': expected an absolute path like /cellshop, without a trailing '/'");
        }
    }

    public TopologyPaths() {
        this(DEFAULT_ROOT);
    }

    public String cells() {
        return root + "/cells";
    }

    public String cell(CellId cellId) {
        return cells() + "/" + Objects.requireNonNull(cellId, "cellId");
    }

    public String instances(CellId cellId) {
        return cell(cellId) + "/instances";
    }

    public String instance(CellId cellId, String instanceId) {
        return instances(cellId) + "/" + nodeName("instance id", instanceId);
    }

    public String routers() {
        return root + "/routers";
    }

    public String router(String routerId) {
        return routers() + "/" + nodeName("router id", routerId);
    }

    public String shops() {
        return root + "/shops";
    }

    public String shop(ShopId shopId) {
        return shops() + "/" + Objects.requireNonNull(shopId, "shopId");
    }

    public String domains() {
        return root + "/domains";
    }

    public String domain(String domain) {
        return domains() + "/" + normalizeDomain(domain);
    }

    public String moves() {
        return root + "/moves";
    }

    public String move(String moveId) {
        return moves() + "/" + nodeName("move id", moveId);
    }

    /** The control planes' leader election (a Curator LeaderLatch): the leader alone runs moves, rebalances, evacuations. */
    public String controlLeader() {
        return root + "/control/leader";
    }

    public String idWorkers() {
        return root + "/ids/workers";
    }

    /** The prefix for EPHEMERAL_SEQUENTIAL lease nodes; ZooKeeper appends the sequence. */
    public String idWorkerPrefix() {
        return idWorkers() + "/worker-";
    }

    public String audit() {
        return root + "/audit";
    }

    /** The prefix for PERSISTENT_SEQUENTIAL audit entries; ZooKeeper appends the sequence, so entries sort by time. */
    public String auditEntryPrefix() {
        return audit() + "/entry-";
    }

    /** The shop of a {@code shops/{shopId}} node. */
    public ShopId shopIdFromPath(String path) {
        String child = childOf(shops(), path, "shop");
        try {
            return ShopId.parse(child);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a shop placement path: '" + path + "': " + e.getMessage(), e);
        }
    }

    /** The cell of a {@code cells/{cellId}} node or of any node below it, e.g. an instance. */
    public CellId cellIdFromPath(String path) {
        String prefix = cells() + "/";
        if (path == null || !path.startsWith(prefix)) {
            throw new IllegalArgumentException("Not a cell path: '" + path + "': expected " + prefix + "{cellId}");
        }
        String rest = path.substring(prefix.length());
        int slash = rest.indexOf('/');
        try {
            return CellId.of(slash < 0 ? rest : rest.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a cell path: '" + path + "': " + e.getMessage(), e);
        }
    }

    /** The domain of a {@code domains/{domain}} node. */
    public String domainFromPath(String path) {
        return normalizeDomain(childOf(domains(), path, "domain"));
    }

    /**
     * The one spelling of a shop domain: lower case (hostnames are case-insensitive, node
     * names are not), and a valid DNS hostname, so it is always one safe node name.
     */
    public static String normalizeDomain(String domain) {
        if (domain == null || domain.isEmpty()) {
            throw new IllegalArgumentException("Missing domain");
        }
        String lower = domain.toLowerCase(Locale.ROOT);
        if (lower.length() > 253) {
            throw new IllegalArgumentException("Invalid domain '" + domain + "': longer than 253 characters");
        }
        for (String label : lower.split("\\.", -1)) {
            if (!DOMAIN_LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("Invalid domain '" + domain
                        + "': each dot-separated label must be 1-63 letters, digits or inner hyphens");
            }
        }
        return lower;
    }

    private static String childOf(String parent, String path, String what) {
        String prefix = parent + "/";
        if (path == null || !path.startsWith(prefix) || path.length() == prefix.length()
                || path.indexOf('/', prefix.length()) >= 0) {
            throw new IllegalArgumentException("Not a " + what + " path: '" + path + "': expected " + prefix + "{" + what + "}");
        }
        return path.substring(prefix.length());
    }

    private static String nodeName(String what, String value) {
        if (value == null || !NODE_NAME.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException("Invalid " + what + " '" + value
                    + "': must be one ZooKeeper node name (printable ASCII, no '/', no spaces)");
        }
        return value;
    }
}
