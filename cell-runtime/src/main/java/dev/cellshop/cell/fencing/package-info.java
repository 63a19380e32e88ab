/**
 * Cell membership and fencing: which requests this cell may serve.
 *
 * <p>Every request reaches a cell through a router, signed
 * ({@link dev.cellshop.kernel.signing.RequestSignature}) with the shop and the placement
 * epoch the router routed it under. The cell then asks {@link dev.cellshop.cell.fencing.PlacementView}:
 * <pre>
 * placement seen for the shop     router's epoch r    decision
 * none                             any                 MISDIRECTED (421)
 * (other cell, any state, e)       any                 MISDIRECTED
 * (this cell, FROZEN, e)           any                 MISDIRECTED   a move is cutting over
 * (this cell, ACTIVE, e)           r == e              SERVE
 * (this cell, ACTIVE, e)           r != e              MISDIRECTED   router or cell view is behind
 * </pre>
 * Placements only go ACTIVE -> FROZEN -> ACTIVE and each change raises the epoch, so at
 * most one (cell, epoch) is servable at any time; a router that routed under an older
 * epoch is refused everywhere and re-resolves.
 *
 * <p>While ZooKeeper is unreachable (SUSPENDED, then LOST) the view keeps its last state and
 * keeps answering: shops keep being served where they were (static stability). This stays
 * safe because no move can complete without ZooKeeper either: freezing and re-activating a
 * shop are both ZooKeeper writes. What a partitioned cell can miss is a move finishing
 * while it is cut off; it would then still serve the old epoch, but routers that saw the
 * move route at the new epoch, which this cell refuses. Only a router partitioned together
 * with the cell could still reach it at the old epoch, which is the bounded staleness that
 * static stability accepts. {@code connected()} and {@code lastUpdateMillis()} expose it.
 *
 * <p>{@link dev.cellshop.cell.fencing.InstanceRegistration} is the EPHEMERAL node that
 * makes this instance visible to routers; it disappears with the session and is re-created
 * when a new session starts.
 */
package dev.cellshop.cell.fencing;
