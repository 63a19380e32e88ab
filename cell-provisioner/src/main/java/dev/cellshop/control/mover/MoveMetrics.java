package dev.cellshop.control.mover;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;

/** The control plane's move metrics on its {@code /metrics}: moves by outcome, cutover pauses, moves running, rows copied. */
public final class MoveMetrics {

    private final Counter ended;
    private final Histogram pause;
    private final Counter rowsCopied;

    public MoveMetrics(PrometheusRegistry registry, IntSupplier running) {
        ended = Counter.builder().name("cellshop_moves_total").help("shop moves ended, by outcome (completed, aborted)")
                .labelNames("outcome").register(registry);
        pause = Histogram.builder().name("cellshop_move_cutover_pause_seconds")
                .help("how long a cutover held the moving shop's requests (freeze to switch)")
                .classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10).register(registry);
        rowsCopied = Counter.builder().name("cellshop_move_rows_copied_total").help("rows the moves copied to their targets").register(registry);
        GaugeWithCallback.builder().name("cellshop_moves_running").help("moves this control plane is running now")
                .callback(cb -> cb.call(running.getAsInt())).register(registry);
    }

    /** Counts a move that ended, with its pause and rows when it completed. */
    void ended(MoveState state) {
        ended.labelValues(state.phase() == MovePhase.COMPLETED ? "completed" : "aborted").inc();
        if (state.cutover() != null && state.cutover().pauseMillis() > 0) {
            pause.observe(state.cutover().pauseMillis() / 1000.0);
        }
        rowsCopied.inc(state.tables().values().stream().mapToLong(MoveState.TableCheckpoint::copied).sum());
    }
}
