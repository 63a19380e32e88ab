package dev.cellshop.control.certification;

import java.time.Duration;

/**
 * How strict a certification run is and where it sends its canary traffic.
 *
 * @param router       host:port of the router the canary checkout goes through
 * @param maxLatency   the slowest any single canary request may be
 * @param instanceWait how long the run waits for the cell's first runtime instance and for
 *                     the router to route the canary shop
 */
public record CertificationSettings(String router, Duration maxLatency, Duration instanceWait) {
}
