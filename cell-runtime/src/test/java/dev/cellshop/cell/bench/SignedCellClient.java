package dev.cellshop.cell.bench;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.signing.BodyDigest;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.signing.SignedRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An HTTP client of one cell-runtime instance that signs every request of the bench shop as a router would. */
final class SignedCellClient implements AutoCloseable {

    static final long EPOCH = 1;

    record Resp(int status, String body) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpClientAgent client;
    private final RequestSignature signature;
    private final ShopId shop;
    private final String shopHeader;

    SignedCellClient(int port, int connections, String secret, ShopId shop) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
                .setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(connections));
        this.signature = new RequestSignature(secret.getBytes(StandardCharsets.UTF_8));
        this.shop = shop;
        this.shopHeader = Long.toString(shop.value());
    }

    Future<Resp> call(HttpMethod method, String path, String body, String... headers) {
        long now = System.currentTimeMillis();
        RequestOptions ro = new RequestOptions().setMethod(method).setURI(path)
                .putHeader("Content-Type", "application/json");
        List<String> given = List.of(headers);
        int key = given.indexOf(RequestSignature.IDEMPOTENCY_KEY_HEADER);
        int auth = given.indexOf(RequestSignature.AUTHORIZATION_HEADER);
        signature.headers(shop, EPOCH, now, new SignedRequest(method.name(), path,
                body == null ? BodyDigest.NONE : BodyDigest.of(body.getBytes(StandardCharsets.UTF_8)),
                auth >= 0 ? headers[auth + 1] : null, key >= 0 ? headers[key + 1] : null)).forEach(ro::putHeader);
        for (int i = 0; i < headers.length; i += 2) {
            ro.putHeader(headers[i], headers[i + 1]);
        }
        return client.request(ro)
                .compose(req -> body == null ? req.send() : req.send(body))
                .compose(resp -> resp.body().map(b -> new Resp(resp.statusCode(), b.toString())));
    }

    Resp await(Future<Resp> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** A cart holding one unit of the variant: POST /carts, then POST /carts/{token}/items. */
    Future<String> cart(String variant) {
        return call(HttpMethod.POST, "/api/v1/carts", null).compose(r -> {
            if (r.status() != 201 && r.status() != 200) {
                return Future.failedFuture("cart create: " + r.status() + " " + r.body());
            }
            String token = new JsonObject(r.body()).getString("cartToken");
            return call(HttpMethod.POST, "/api/v1/carts/" + token + "/items", "{\"variantId\": \"" + variant + "\", \"quantity\": 1}")
                    .compose(a -> a.status() / 100 == 2 ? Future.succeededFuture(token)
                            : Future.failedFuture("cart add: " + a.status() + " " + a.body()));
        });
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
