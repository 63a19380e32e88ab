package dev.cellshop.cell.replay;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The nonces of the router requests this cell has taken, in the cell's Redis, so that one
 * taken by any of its instances is refused when it comes again (a replay inside the
 * signature's skew window). One round trip per request: {@code SET seen:{nonce} 1 NX PX w},
 * which records the nonce and says whether it was new in one atomic step, so two instances
 * racing with the same request cannot both take it.
 *
 * <p>{@code w} is twice the skew: a request is accepted while its timestamp is within the
 * skew of the cell's clock, so one signed {@code skew} ahead of that clock stays acceptable
 * for {@code 2 × skew} after it was first seen; the key must outlive that. Keys are not
 * shop state: a moved shop's replay reaches its new cell with the old epoch, which the
 * fence refuses.
 */
public final class SeenNonces {

    static final String PREFIX = "seen:";

    private final Redis redis;
    private final String windowMillis;
    private final long timeoutMillis;

    public SeenNonces(Redis redis, Duration maxSkew, Duration timeout) {
        this.redis = redis;
        this.windowMillis = Long.toString(maxSkew.multipliedBy(2).toMillis());
        this.timeoutMillis = timeout.toMillis();
    }

    /** True when the nonce is new (now recorded), false when it was seen before; fails when Redis cannot say in time. */
    public Future<Boolean> firstSight(String nonce) {
        return redis.send(Request.cmd(Command.SET).arg(PREFIX + nonce).arg("1").arg("NX").arg("PX").arg(windowMillis))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .map(answer -> answer != null); // NX: nil when the key was already there
    }
}
