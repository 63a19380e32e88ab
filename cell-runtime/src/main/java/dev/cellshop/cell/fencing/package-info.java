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
 * keeps answering: shops keep being served where they were (static stability). What a cut-off
 * instance can miss is a move: it would still admit the shop at the old epoch, from a router
 * cut off with it, and the cutover (which asks only the instances still registered in
 * ZooKeeper) would not wait for it. So the view alone must not decide writes. Every write
 * transaction of a shop also passes the shop's fence row in the cell's own database
 * ({@link dev.cellshop.cell.fencing.ShopFence}, table {@code shop_fences}), read with a shared
 * lock; the cutover raises the source's row to FROZEN at the freeze's epoch before it waits
 * for quiescence, which waits for the writes already past the fence and refuses every later
 * one at an older epoch. The rule, for a row (e, state) and a routed epoch r:
 * <pre>
 * no row                       WRITE    never fenced here
 * r &gt; e                        WRITE    a placement newer than the fence (thawed abort, shop moved back)
 * r == e, ACTIVE               WRITE
 * otherwise                    421      the router re-resolves and retries
 * </pre>
 * Reads are not fenced: a cut-off instance may serve a moved shop's reads from its old copy
 * until the copy is erased (then it finds nothing) or its view catches up; that is the bound
 * on stale reads. Carts live in Redis, outside the fence: the cutover's quiescence step is
 * what guards them, for registered instances.
 *
 * <p>Ordering, so the quiescence count cannot miss a request: a request is counted in flight
 * before its placement is decided ({@link dev.cellshop.cell.fencing.InFlightRequests#admit}),
 * and a shop's write cannot commit later than its transaction deadline plus one statement
 * after it began (session statement and lock-wait timeouts), which the count of a request whose
 * client left outlasts.
 *
 * <p>{@link dev.cellshop.cell.fencing.InstanceRegistration} is the EPHEMERAL node that
 * makes this instance visible to routers; it disappears with the session and is re-created
 * when a new session starts.
 */
package dev.cellshop.cell.fencing;
