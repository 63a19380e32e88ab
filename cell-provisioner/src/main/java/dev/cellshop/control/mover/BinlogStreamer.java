package dev.cellshop.control.mover;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.XidEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the source cell's binlog from a recorded GTID position and hands the applier the
 * moving shop's row changes, one {@link ShopTransaction} per source transaction, in commit
 * order. The binlog client runs its own thread; the hand-over queue is bounded, so a slow
 * applier stalls the reader (and the server's dump thread behind TCP) instead of memory.
 *
 * <p>MariaDB framing: a transaction opens with a GTID event and closes with an XID (InnoDB)
 * or a {@code COMMIT} query; a DDL is a GTID event flagged standalone followed by its one
 * QUERY event. Row images carry no column names (binlog_row_metadata is NO_LOG on the
 * cells), so columns are matched by position to information_schema's order, and a row
 * whose width differs from the table the copy read aborts the move like a DDL does.
 */
public final class BinlogStreamer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BinlogStreamer.class);

    private final CellMysql source;
    private final long shopId;
    private final Map<String, ShopTable> tables = new HashMap<>();
    private final DdlDetector ddl;
    private final BinaryLogClient client;
    private final BlockingQueue<ShopTransaction> queue;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final Map<Long, ShopTable> tableIds = new HashMap<>();
    private volatile GtidPosition streamed;

    // state of the transaction being read; touched only by the client's thread
    private GtidPosition.Gtid current;
    private boolean standalone;
    private List<RowChange> changes = new ArrayList<>();
    private volatile boolean stopped;

    public BinlogStreamer(CellMysql source, long shopId, List<ShopTable> tables, GtidPosition start, int queueCapacity) {
        this.source = source;
        this.shopId = shopId;
        tables.forEach(t -> this.tables.put(t.name(), t));
        this.ddl = new DdlDetector(source.database(), this.tables.keySet());
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.streamed = start;
        client = new BinaryLogClient(source.host(), source.port(), source.user(), source.password());
        // a replica id of its own: the server ends an older dump thread that uses the same id
        client.setServerId(ThreadLocalRandom.current().nextLong(1_000_000, 4_000_000_000L));
        client.setGtidSet(start.toString());
        EventDeserializer deserializer = new EventDeserializer();
        deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO,
                EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        client.setEventDeserializer(deserializer);
        // no silent reconnect: whether the client resumes after a half-read transaction is not
        // ours to guess; a lost connection fails the stream and the move resumes from its
        // applied position, which is exact
        client.setKeepAlive(false);
        client.registerEventListener(this::onEvent);
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception e) {
                LOG.warn("event=binlog_communication_failure source={} error=\"{}\"", source, e.getMessage());
            }

            @Override
            public void onDisconnect(BinaryLogClient c) {
                if (!stopped) {
                    fail("the binlog connection to " + source + " was lost at " + streamed);
                }
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient c, Exception e) {
                fail("the binlog of " + source + " could not be decoded: " + e.getMessage());
            }
        });
    }

    /**
     * The source's binlog position now: where a tail started next would begin. Read before
     * the copy, so every change the copy might miss is after it. (gtid_binlog_pos, not
     * gtid_current_pos: the tail reads this server's binlog, whatever it replicated.)
     */
    public static GtidPosition binlogPosition(CellMysql source) throws SQLException {
        try (Connection c = source.connect(Duration.ofSeconds(15));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos")) {
            rs.next();
            return GtidPosition.parse(rs.getString(1));
        }
    }

    /** Connects and starts streaming on the client's thread. */
    public void start(Duration timeout) throws IOException, TimeoutException {
        client.connect(timeout.toMillis());
    }

    /** The next source transaction, or null when none arrived within the timeout. */
    public ShopTransaction poll(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Position after the last complete transaction read from the binlog (handed over or waiting in the queue). */
    public GtidPosition streamedPosition() {
        return streamed;
    }

    /** A reason the stream cannot go on (undecodable binlog); DDL comes through the queue, in order. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }

    @Override
    public void close() {
        stopped = true;
        try {
            client.disconnect();
        } catch (IOException e) {
            LOG.warn("event=binlog_disconnect_failed source={} error=\"{}\"", source, e.getMessage());
        }
    }

    private void onEvent(Event event) {
        if (stopped) {
            return;
        }
        switch (event.getData()) {
            case MariadbGtidEventData gtid -> {
                // a reconnect resumes at the last complete transaction: drop any half-read one
                current = new GtidPosition.Gtid(gtid.getDomainId(), gtid.getServerId(), gtid.getSequence());
                standalone = (gtid.getFlags() & MariadbGtidEventData.FL_STANDALONE) != 0;
                changes = new ArrayList<>();
            }
            case TableMapEventData map -> {
                ShopTable table = source.database().equals(map.getDatabase()) ? tables.get(map.getTable()) : null;
                if (table != null) {
                    tableIds.put(map.getTableId(), table);
                } else {
                    tableIds.remove(map.getTableId());
                }
            }
            case WriteRowsEventData rows -> {
                ShopTable table = tableIds.get(rows.getTableId());
                if (table != null) {
                    rows.getRows().forEach(after -> change(table, null, after));
                }
            }
            case UpdateRowsEventData rows -> {
                ShopTable table = tableIds.get(rows.getTableId());
                if (table != null) {
                    rows.getRows().forEach(row -> change(table, row.getKey(), row.getValue()));
                }
            }
            case DeleteRowsEventData rows -> {
                ShopTable table = tableIds.get(rows.getTableId());
                if (table != null) {
                    rows.getRows().forEach(before -> change(table, before, null));
                }
            }
            case XidEventData xid -> commit(event.getHeader().getTimestamp(), null);
            case QueryEventData query -> onQuery(event.getHeader().getTimestamp(), query);
            case null, default -> {
            }
        }
    }

    private void onQuery(long timestamp, QueryEventData query) {
        String sql = query.getSql().trim();
        if (sql.equalsIgnoreCase("BEGIN")) {
            return;
        }
        if (sql.equalsIgnoreCase("COMMIT") || sql.equalsIgnoreCase("ROLLBACK")) {
            commit(timestamp, null);
            return;
        }
        String abort = ddl.changedTable(query.getDatabase(), sql)
                .map(t -> "DDL on moving table " + t + " (GTID " + current + "): " + abbreviate(sql))
                .orElse(null);
        if (standalone || abort != null) {
            commit(timestamp, abort);
        }
    }

    private void change(ShopTable table, Serializable[] before, Serializable[] after) {
        Serializable[] image = after != null ? after : before;
        if (image.length != table.columns().size()) {
            String reason = "table " + table.name() + " changed shape: the binlog has " + image.length + " columns, the copy read "
                    + table.columns().size() + " (GTID " + current + ")";
            changes = new ArrayList<>();
            commit(0, reason);
            return;
        }
        int shopColumn = table.columnIndex(ShopTable.SHOP_COLUMN);
        Serializable[] ownBefore = before != null && owned(before[shopColumn]) ? before : null;
        Serializable[] ownAfter = after != null && owned(after[shopColumn]) ? after : null;
        if (ownBefore != null || ownAfter != null) {
            changes.add(new RowChange(table, ownBefore, ownAfter));
        }
    }

    private boolean owned(Serializable shop) {
        return shop instanceof Number n && n.longValue() == shopId;
    }

    private void commit(long timestamp, String abortReason) {
        if (current == null) {
            return; // the tail of a transaction that began before our start position
        }
        ShopTransaction tx = new ShopTransaction(current, timestamp, changes, abortReason);
        current = null;
        changes = new ArrayList<>();
        try {
            queue.put(tx);
            streamed = streamed.with(tx.gtid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while handing over transaction " + tx.gtid());
        }
        if (abortReason != null) {
            stopped = true; // nothing after a DDL on a moving table can be applied safely
        }
    }

    private void fail(String reason) {
        if (failure.compareAndSet(null, reason)) {
            LOG.error("event=binlog_stream_failed source={} reason=\"{}\"", source, reason);
        }
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }
}
