package dev.cellshop.control.mover;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MariaDB GTID position: per replication domain, the last transaction {@code domain-server-seq}
 * (the format of {@code @@gtid_binlog_pos}, e.g. {@code 0-100-17} or {@code 0-100-17,1-101-4}).
 * Within a domain sequence numbers only grow (the cells run gtid_strict_mode), so "reached"
 * and "lag" compare sequence numbers per domain; server ids are kept for the binlog client.
 */
public record GtidPosition(Map<Long, Gtid> domains) {

    private static final Pattern GTID = Pattern.compile("(\\d+)-(\\d+)-(\\d+)");

    public static final GtidPosition EMPTY = new GtidPosition(Map.of());

    /** One transaction's id. */
    public record Gtid(long domain, long server, long sequence) {

        public static Gtid parse(String text) {
            Matcher m = GTID.matcher(text.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a MariaDB GTID: '" + text + "' (expected domain-server-sequence, e.g. 0-100-17)");
            }
            return new Gtid(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
        }

        @Override
        public String toString() {
            return domain + "-" + server + "-" + sequence;
        }
    }

    public GtidPosition {
        domains = Collections.unmodifiableMap(new TreeMap<>(domains));
    }

    public static GtidPosition parse(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        Map<Long, Gtid> domains = new TreeMap<>();
        for (String part : text.split(",")) {
            Gtid gtid = Gtid.parse(part);
            if (domains.put(gtid.domain(), gtid) != null) {
                throw new IllegalArgumentException("GTID position '" + text + "' names domain " + gtid.domain() + " twice");
            }
        }
        return new GtidPosition(domains);
    }

    /** The position after {@code gtid} was applied. */
    public GtidPosition with(Gtid gtid) {
        Map<Long, Gtid> next = new TreeMap<>(domains);
        next.put(gtid.domain(), gtid);
        return new GtidPosition(next);
    }

    /** True when every domain of {@code other} is at or past its sequence here. */
    public boolean reached(GtidPosition other) {
        return other.domains.values().stream().allMatch(g -> domains.containsKey(g.domain())
                && domains.get(g.domain()).sequence() >= g.sequence());
    }

    /** Transactions from here to {@code head}, summed over domains (0 when here is at or past it). */
    public long transactionsBehind(GtidPosition head) {
        long behind = 0;
        for (Gtid g : head.domains.values()) {
            Gtid mine = domains.get(g.domain());
            behind += Math.max(0, g.sequence() - (mine == null ? 0 : mine.sequence()));
        }
        return behind;
    }

    @Override
    public String toString() {
        return String.join(",", domains.values().stream().map(Gtid::toString).toList());
    }
}
