/**
 * Where shops and cells are, and the fencing rule that keeps a shop on one cell at a time.
 *
 * <p>The model of a shop's placement (epoch e, cells A and B):
 * <pre>
 * (A, ACTIVE, e) --freeze--> (A, FROZEN, e+1) --activateOn(B)--> (B, ACTIVE, e+2)
 *                                          \--activateOn(A)--> (A, ACTIVE, e+2)   (move aborted)
 * </pre>
 * A cell serves a request routed at epoch r only if the placement it sees is
 * (itself, ACTIVE, r). Because every change raises the epoch and ACTIVE is only reached
 * through FROZEN, at most one (cell, epoch) pair is ever servable: a request stamped with an
 * older epoch is refused everywhere, whichever cell it reaches.
 */
package dev.cellshop.kernel.placement;
