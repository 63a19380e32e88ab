package dev.cellshop.router;

import dev.cellshop.router.proxy.ProxySettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/** The HTTP client an event loop uses to reach cell instances: keep-alive pools per instance. */
final class ProxyClients {

    private ProxyClients() {
    }

    static HttpClientAgent create(Vertx vertx, ProxySettings settings) {
        HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setConnectTimeout((int) settings.connectTimeout().toMillis()).setMaxInitialLineLength(8192)
                .setMaxHeaderSize(64 * 1024).setDecompressionSupported(false)
                .setKeepAliveTimeout(30);
        // Waiters beyond the pool are bounded too: past that, a request fails fast instead of queueing without end.
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(settings.maxConnectionsPerInstance()).setMaxWaitQueueSize(10_000);
        return vertx.createHttpClient(options, pool);
    }
}
