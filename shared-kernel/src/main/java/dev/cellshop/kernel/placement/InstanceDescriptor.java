package dev.cellshop.kernel.placement;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A live cell-runtime instance as the topology knows it: the JSON of the EPHEMERAL node
 * {@code /cellshop/cells/{cellId}/instances/{instanceId}}, which routers read to find
 * where to send a cell's traffic.
 *
 * @param startedAt ISO-8601 UTC instant, e.g. {@code 2025-01-31T12:00:00Z}; a string because
 *                  the shared JSON mapper has no java.time support and people read these nodes
 */
public record InstanceDescriptor(String instanceId, String host, int port, String startedAt) {

    public InstanceDescriptor {
        if (instanceId == null || instanceId.isBlank()) {
            throw new IllegalArgumentException("Missing instance id");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("Instance " + instanceId + ": missing host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Instance " + instanceId + ": port " + port + " is not in 1..65535");
        }
        try {
            Instant.parse(startedAt);
        } catch (NullPointerException | DateTimeParseException e) {
            throw new IllegalArgumentException("Instance " + instanceId + ": startedAt '" + startedAt
                    + "' is not an ISO-8601 instant", e);
        }
    }

    public static InstanceDescriptor of(String instanceId, String host, int port, Instant startedAt) {
        return new InstanceDescriptor(instanceId, host, port, startedAt.toString());
    }

    /** {@code host:port}, the address a router connects to. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
