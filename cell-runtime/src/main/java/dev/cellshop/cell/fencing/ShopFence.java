package dev.cellshop.cell.fencing;

import dev.cellshop.cell.schema.SqlErrors;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.function.Function;

/**
 * The database's half of the fence: every write transaction of a shop begins by reading the
 * shop's {@code shop_fences} row with a shared lock and goes on only if the epoch the router
 * routed it under may still write on this cell (the rule is {@link #admits}; the table's
 * migration explains it). The placement view's check ({@link PlacementView#decide}) happens
 * before, in memory; this one holds even when that view is stale (a runtime cut off from
 * ZooKeeper): a move's cutover freezes the row before it waits for the shop to go quiet, and
 * the shared lock makes the freeze wait for the transactions already past this check.
 *
 * <p>Reads are not fenced: a runtime whose view is stale may serve a shop's reads from the
 * old cell for as long as it stays cut off (after a move, its old rows are erased and reads
 * find nothing); only writes must never land on the wrong cell.
 */
public final class ShopFence {

    private static final String READ = "SELECT epoch, state FROM shop_fences WHERE shop_id = ? LOCK IN SHARE MODE";

    private final Pool pool;
    private final boolean enforced;
    private final Duration deadline;
    private final Counter refused;
    private final Counter deadlocks;

    /**
     * {@code enforced=false} skips the check: only for measuring what it costs (ops/bench/cell),
     * never for serving. {@code deadline}: a transaction whose statements took longer rolls back
     * instead of committing (see {@link #write}).
     */
    public ShopFence(Pool pool, boolean enforced, Duration deadline, PrometheusRegistry registry) {
        this.pool = pool;
        this.enforced = enforced;
        this.deadline = deadline;
        this.refused = Counter.builder().name("cellshop_fence_refusals_total")
                .help("write transactions refused by a shop's fence row (a stale placement view or a cutover in progress)")
                .register(registry);
        this.deadlocks = Counter.builder().name("cellshop_write_deadlock_retries_total")
                .help("write transactions InnoDB rolled back as a deadlock's victim and that were run again (stock writes: checkouts, bucket splits and merges)")
                .register(registry);
    }

    /**
     * Runs {@code work} in one transaction that first passes the shop's fence at
     * {@code routedEpoch}; a refusal answers 421. The transaction commits only if its work ended
     * within the deadline (each statement is bounded by the session's statement and lock-wait
     * timeouts): so a shop's write never commits long after its request, when a cutover may
     * already have taken the shop's silence for the end of its writes. A timeout answers 503.
     */
    public <T> Future<T> write(ShopId shop, long routedEpoch, Function<SqlConnection, Future<T>> work) {
        return write(shop, routedEpoch, false, work);
    }

    /**
     * {@link #write} at READ COMMITTED instead of the server's REPEATABLE READ: for a checkout,
     * whose conditional decrement that finds a stock row short must release that row at once rather
     * than hold it to the commit (see dev.cellshop.cell.stock). The level is set for this one
     * transaction (SET TRANSACTION before BEGIN), never for the pooled session.
     */
    public <T> Future<T> writeReadCommitted(ShopId shop, long routedEpoch, Function<SqlConnection, Future<T>> work) {
        return write(shop, routedEpoch, true, work);
    }

    /**
     * {@link #writeReadCommitted}, run again (up to {@code attempts} times in all) when InnoDB picks it
     * as a deadlock's victim: the server has rolled it back whole, so {@code work} starts afresh.
     * For work whose lock order cannot be fixed in advance (a checkout's stock buckets, see
     * dev.cellshop.cell.stock); the deadline counts from each attempt's start.
     */
    public <T> Future<T> writeReadCommittedRetryingDeadlocks(ShopId shop, long routedEpoch, int attempts, Function<SqlConnection, Future<T>> work) {
        return writeReadCommitted(shop, routedEpoch, work).recover(e -> {
            if (!SqlErrors.isDeadlock(e) || attempts <= 1) {
                return Future.failedFuture(e);
            }
            deadlocks.inc();
            return writeReadCommittedRetryingDeadlocks(shop, routedEpoch, attempts - 1, work);
        });
    }

    private <T> Future<T> write(ShopId shop, long routedEpoch, boolean readCommitted, Function<SqlConnection, Future<T>> work) {
        long start = System.nanoTime();
        Function<SqlConnection, Future<T>> fencedWork = conn -> fenced(conn, shop, routedEpoch)
                .compose(passed -> work.apply(conn))
                .compose(done -> System.nanoTime() - start <= deadline.toNanos() ? Future.succeededFuture(done)
                        : Future.failedFuture(overDeadline(shop)));
        return (readCommitted
                ? pool.withConnection(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED").execute()
                        .compose(set -> inTransaction(conn, fencedWork)))
                : pool.withTransaction(fencedWork))
                .recover(e -> Future.failedFuture(SqlErrors.isTimeout(e) ? busy(shop, e) : e));
    }

    /** What {@link Pool#withTransaction} does, on a connection the caller prepared: commit on success, else roll back. */
    private static <T> Future<T> inTransaction(SqlConnection conn, Function<SqlConnection, Future<T>> work) {
        return conn.begin().compose(tx -> work.apply(conn).compose(
                done -> tx.commit().map(done),
                failed -> tx.rollback().transform(rolledBack -> Future.<T>failedFuture(failed))));
    }

    private Future<Void> fenced(SqlConnection conn, ShopId shop, long routedEpoch) {
        if (!enforced) {
            return Future.succeededFuture();
        }
        return conn.preparedQuery(READ).execute(Tuple.of(shop.value())).compose(rows -> pass(shop, routedEpoch, rows));
    }

    private ProblemException overDeadline(ShopId shop) {
        return new ProblemException(Problem.serviceUnavailable("shop " + shop + "'s write took longer than " + deadline.toMillis()
                + " ms and was rolled back; retry it").withExtension("retryAfterSeconds", 1));
    }

    private static ProblemException busy(ShopId shop, Throwable e) {
        // The database's own message stays in the log (the cause), never in the client's answer.
        return new ProblemException(Problem.serviceUnavailable("shop " + shop + "'s write waited too long for the database"
                + " (a lock wait or statement timeout) and was rolled back; retry it").withExtension("retryAfterSeconds", 1), e);
    }

    private Future<Void> pass(ShopId shop, long routedEpoch, RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Future.succeededFuture();
        }
        Row fence = rows.iterator().next();
        long epoch = fence.getLong("epoch");
        String state = fence.getString("state");
        if (admits(epoch, state, routedEpoch)) {
            return Future.succeededFuture();
        }
        refused.inc();
        return Future.failedFuture(new ProblemException(Problem.misdirected("shop " + shop + " may not be written on this cell at epoch "
                + routedEpoch + ": its fence here is " + state + " at epoch " + epoch + " (moved or moving)")));
    }

    /**
     * Whether a write routed at {@code routedEpoch} may commit behind a fence row at
     * ({@code fenceEpoch}, {@code state}). Placements only go ACTIVE -> FROZEN -> ACTIVE, each
     * change raising the epoch, and a freeze always happens on the cell the shop was ACTIVE
     * on; so every epoch at which this cell served the shop before its last freeze is at most
     * that freeze's epoch, and refused, while an epoch above it can only be a newer placement
     * naming this cell (a thawed abort, or the shop moved back).
     */
    static boolean admits(long fenceEpoch, String state, long routedEpoch) {
        return routedEpoch > fenceEpoch || routedEpoch == fenceEpoch && "ACTIVE".equals(state);
    }
}
