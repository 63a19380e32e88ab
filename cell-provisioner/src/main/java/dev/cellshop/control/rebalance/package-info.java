/**
 * Rebalancing: moves that level the shops across the ACTIVE cells.
 * <pre>
 * RebalanceInputs   topology now -> ACTIVE cells (a moving shop counted on its target) + movable shops
 * RebalancePlanner  inputs -> RebalancePlan (pure)
 * RebalanceRun      a plan's moves through Movers, move.concurrent at a time
 * Rebalancer        POST /v1/rebalance: gathers, plans, audits, runs; one run at a time
 * </pre>
 *
 * <h2>The rule</h2>
 * A cell's utilisation is placement's: {@code 1 − headroom} ({@link dev.cellshop.control.placement.CellUse}),
 * shops over {@code maxShops} while load is not measured. The <em>level</em> is the
 * capacity-weighted mean utilisation of the ACTIVE cells, i.e. all their shops over all their
 * capacity: moves do not change it, and it is the one utilisation every cell can have at once.
 * A cell is level when its utilisation is within {@code rebalance.tolerance-percent} (default 5
 * points) of it, or within one of its own shops of it, since shop counts are whole numbers and a
 * small cell cannot get closer than one shop.
 *
 * <p>Greedy, one move at a time: from the most utilised cell above the level that has a movable
 * shop to the least utilised cell below it that has room ({@code shops < maxShops}); ties go to
 * the lower cell id, so the same topology always gives the same plan. A move is planned only
 * when one of the two cells is out of its band and the source does not end below the target,
 * so every move strictly lowers Σ capacity·(utilisation − level)² and the plan cannot cycle.
 * Every move brings a cell that is out of its band closer, and the plan stops as soon as every
 * cell is level: a cell is never evened out further than its band asks. A cell that gave is never a target and a cell that took is never a
 * source, and a shop moves at most once: no move back and forth. The plan is capped at
 * {@code maxMoves}; {@code capped} says moves were left.
 *
 * <p>Which shop: the newest of the source (highest id; ids are time-ordered). It has had the
 * least time to gather rows, orders and carts, so its move copies least and its cutover
 * pauses shortest. Only shops placed ACTIVE and in no unfinished move are taken; DRAINING,
 * PROVISIONING, CERTIFYING and RETIRED cells are neither sources nor targets nor in the level.
 */
package dev.cellshop.control.rebalance;
