/**
 * ops/chaos, in the spirit of Jepsen: a history of what clients were told, taken while the
 * platform is hurt, judged against what the platform holds once it has healed.
 *
 * <p>The run's phases ({@link dev.cellshop.chaos.ChaosRun}): shops made on a healthy platform
 * ({@code workload.Fixture}); then at once, for the run's duration, the workload
 * ({@code workload.Workload}, through the router only), the migrations ({@code workload.Mover}:
 * moves and rebalances) and the faults ({@code nemesis.Nemesis}, one at a time, each
 * {@code nemesis.Fault} healed after a while); then {@code Settle} heals everything and waits for
 * rest; then {@code check.Checker} judges.
 *
 * <p>The model of the history: an operation is ACKNOWLEDGED (2xx), REJECTED (a 4xx, so it did
 * not happen) or UNKNOWN (no answer, a timeout, a 5xx: it may have happened). The invariants
 * promise things about acknowledged operations only, and bound unknown ones where they can (a
 * cart holds at least what was acknowledged into it and at most that plus what went unanswered;
 * stock is judged from the orders the shards hold, whatever their answer was).
 *
 * <p>Determinism: every choice (the faults, their targets and lengths, each worker's operations,
 * the moves) comes from {@code Random}s seeded from the run's seed; only when each lands against
 * the others is up to the machine.
 */
package dev.cellshop.chaos;
