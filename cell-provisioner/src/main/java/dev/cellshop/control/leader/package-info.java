/**
 * Two (or more) control planes, one leader: a Curator {@code LeaderLatch} under
 * {@code {root}/control/leader}, each participant's id its own base URL, so every control
 * plane knows where to forward the work that must have one owner (moves, rebalances,
 * evacuations). Everything else (reads, shop creation, cells) any control plane serves.
 * <pre>
 * state       the latch            ZooKeeper connection   what this control plane does
 * FOLLOWER    not the lowest node  any                    serves reads, forwards leader-only POSTs
 * LEADING     holds the latch      CONNECTED              runs moves; on entry claims every unfinished one
 * PARKED      holds the latch      SUSPENDED              its movers stop (checkpoints stay); new work refused
 * LEADING     holds the latch      RECONNECTED (session kept): claims and resumes its moves again
 * FOLLOWER    lost                 LOST (session expired) stays parked; the new leader resumes the moves
 * </pre>
 * Why park on SUSPENDED and not only on LOST: the client notices a silent ZooKeeper after
 * two thirds of the session timeout, the server expires the session (and lets another
 * control plane lead) after all of it. Parking at SUSPENDED stops this one's movers a third
 * of the timeout before anyone else can start them, while a blip (an ensemble member
 * restarted) keeps the leadership where it is (the framework's error policy is
 * session-based, so the latch itself drops leadership only on LOST).
 *
 * <p>Fencing, for a mover that has not noticed yet: every checkpoint write is a ZooKeeper
 * transaction that checks this control plane's latch node exists besides the checkpoint's
 * version ({@link dev.cellshop.control.mover.CheckpointStore}), so a write from a control
 * plane whose session is gone never lands, and a new leader's claim (a version bump) stops
 * the old runner at its next save.
 */
package dev.cellshop.control.leader;
