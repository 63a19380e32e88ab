package dev.cellshop.cell.outbox;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The relay's SQL on the cell's {@code outbox} table, in one place. */
final class OutboxTable {

    // Ids are time-ordered, so ORDER BY id walks the index `outbox_in_order` oldest first.
    private static final String CLAIM = "SELECT shop_id, id, event_type, payload FROM outbox"
            + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";
    private static final String DELETE = "DELETE FROM outbox WHERE shop_id = ? AND id = ?";
    // One relay of the cell at a time publishes (a named lock of the cell's server, held by the
    // session; 0 s: a relay that finds it taken publishes nothing this round). With two relays
    // claiming side by side (SKIP LOCKED), one could send an order's "paid" while the other still
    // held its "created": ops/chaos saw exactly that on Kafka.
    static final String TURN = "CONCAT('cellshop_outbox_relay.', DATABASE())"; // named locks are the server's: one per shard
    private static final String TAKE_TURN = "SELECT GET_LOCK(" + TURN + ", 0)";
    private static final String END_TURN = "SELECT RELEASE_LOCK(" + TURN + ")";
    // One index dive: the smallest id is the oldest row. A plain read, it takes no locks.
    private static final String LAG = "SELECT TIMESTAMPDIFF(MICROSECOND, created_at, NOW(3)) FROM outbox"
            + " ORDER BY id LIMIT 1";

    private final Pool pool;

    OutboxTable(Pool pool) {
        this.pool = pool;
    }

    /**
     * Claims up to limit rows, hands them to publish, deletes them once it succeeded and
     * commits; rolls back (the rows stay, unclaimed) when anything fails. Yields the number
     * of rows published, 0 also when another relay of the cell has the turn. READ COMMITTED applies to this next transaction only, so the pooled
     * connection keeps its own level; at that level the claim locks the claimed rows and no
     * gaps, so checkouts inserting new rows never wait for it.
     */
    Future<Integer> publishClaimed(int limit, Function<List<OutboxEvent>, Future<Void>> publish) {
        return pool.getConnection().compose(conn -> conn.query(TAKE_TURN).execute()
                .compose(turn -> Integer.valueOf(1).equals(turn.iterator().next().getInteger(0))
                        ? publishInTurn(conn, limit, publish).eventually(() -> conn.query(END_TURN).execute())
                        : Future.succeededFuture(0)) // another relay of the cell publishes now
                .eventually(conn::close));
    }

    private static Future<Integer> publishInTurn(SqlConnection conn, int limit, Function<List<OutboxEvent>, Future<Void>> publish) {
        return conn.query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED").execute()
                .compose(v -> conn.begin())
                .compose(tx -> claim(conn, limit)
                        .compose(events -> events.isEmpty() ? Future.succeededFuture(0)
                                : publish.apply(events).compose(v -> delete(conn, events)).map(events.size()))
                        .compose(count -> tx.commit().map(count),
                                failure -> tx.rollback().transform(ignored -> Future.<Integer>failedFuture(failure))));
    }

    /** Age in seconds of the oldest row, 0 when the outbox is empty. */
    Future<Double> oldestAgeSeconds() {
        return pool.query(LAG).execute().map(rows -> {
            if (rows.size() == 0) {
                return 0.0;
            }
            Long micros = rows.iterator().next().getLong(0);
            return micros == null ? 0.0 : Math.max(0, micros) / 1_000_000.0;
        });
    }

    private static Future<List<OutboxEvent>> claim(SqlConnection conn, int limit) {
        return conn.preparedQuery(CLAIM).execute(Tuple.of(limit)).map(rows -> {
            List<OutboxEvent> events = new ArrayList<>(rows.size());
            for (Row row : rows) {
                events.add(new OutboxEvent(row.getLong(0), row.getLong(1), row.getString(2), row.getString(3)));
            }
            return events;
        });
    }

    private static Future<Void> delete(SqlConnection conn, List<OutboxEvent> events) {
        List<Tuple> keys = events.stream().map(e -> Tuple.of(e.shopId(), e.id())).toList();
        return conn.preparedQuery(DELETE).executeBatch(keys).mapEmpty();
    }
}
