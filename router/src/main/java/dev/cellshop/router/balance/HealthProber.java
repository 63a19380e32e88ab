package dev.cellshop.router.balance;

import io.vertx.core.Vertx;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health: every interval, GET {@code /ready} on each instance of every cell. A failed
 * probe takes the instance out of its pool until a later probe passes; a passing probe also
 * ends a passive ejection early, so a restarted instance takes traffic within one interval.
 */
public final class HealthProber {

    private static final Logger LOG = LoggerFactory.getLogger(HealthProber.class);

    private final Vertx vertx;
    private final HttpClientAgent client;
    private final CellInstances instances;
    private final long intervalMillis;
    private long timerId = -1;

    public HealthProber(Vertx vertx, CellInstances instances, long intervalMillis) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setConnectTimeout((int) intervalMillis).setKeepAliveTimeout(30));
        this.instances = instances;
        this.intervalMillis = intervalMillis;
    }

    public void start() {
        timerId = vertx.setPeriodic(intervalMillis, t -> probeAll());
    }

    public Future<Void> stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        return client.close();
    }

    private void probeAll() {
        instances.all().values().forEach(pool -> pool.members().forEach(this::probe));
    }

    private void probe(Upstream upstream) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(upstream.host())
                .setPort(upstream.port()).setURI("/ready").setConnectTimeout(intervalMillis).setIdleTimeout(intervalMillis);
        client.request(options).compose(request -> request.send().compose(response -> response.body()
                        .map(body -> response.statusCode() == 200)))
                .otherwise(false)
                .onSuccess(ready -> {
                    boolean was = upstream.available(System.nanoTime());
                    upstream.probed(ready, System.nanoTime());
                    if (was != ready) {
                        LOG.info("event=instance_health cell={} instance={} ready={}", upstream.cellId(),
                                upstream.instance().instanceId(), ready);
                    }
                });
    }
}
