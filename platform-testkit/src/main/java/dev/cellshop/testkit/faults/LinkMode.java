package dev.cellshop.testkit.faults;

/** What a {@link LinkProxy} does with the traffic of its link; see the package page for each. */
public enum LinkMode {
    /** Forwards both ways. */
    PASS,
    /** Drops every connection and refuses new ones: the peer is gone. */
    CUT,
    /** Forwards nothing and closes nothing: a partition where TCP just hangs. */
    BLACKHOLE,
    /** Forwards both ways, each byte a fixed delay late in each direction. */
    LATENCY
}
