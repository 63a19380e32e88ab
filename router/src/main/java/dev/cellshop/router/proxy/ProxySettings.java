package dev.cellshop.router.proxy;

import java.time.Duration;

/** The proxy's limits and timeouts, from the router's configuration. */
public record ProxySettings(int maxHeaderBytes, long maxBodyBytes, int replayBodyBytes, Duration connectTimeout,
                            Duration responseTimeout, int maxConnectionsPerInstance, int maxInFlightPerInstance,
                            Duration clientIdleTimeout, boolean accessLog) {

    /** How long a failed instance gets no traffic unless its /ready probe passes first. */
    public static final Duration EJECTION = Duration.ofSeconds(5);
}
