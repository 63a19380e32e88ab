package dev.cellshop.cell.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.mysqlclient.MySQLException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A cart's token is its only credential: the cell's log lines never carry it (issue 16, item 6). */
class LoggedPathsTest {

    private static final String CART_TOKEN = "Zk3vQ9xTtokenNEVERlog";
    private static final String ORDER_TOKEN = "order-token-that-must-never-be-logged-000000";

    private final Vertx vertx = Vertx.vertx();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger problemLog = (Logger) LoggerFactory.getLogger(ProblemHandler.class);
    private HttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        logged.start();
        problemLog.addAppender(logged);
        Router router = Router.router(vertx);
        // Handlers that fail as a broken store would, behind the cell's real failure handler and logger
        router.route("/api/v1/carts/:token/items").handler(ctx -> ctx.fail(new IllegalStateException("store broke")));
        router.route("/api/v1/carts/:token").handler(ctx -> ctx.fail(new MySQLException("Duplicate entry '1-x' for key 'PRIMARY'", 1062, "23000")));
        router.route("/api/v1/orders/:id").handler(ctx -> ctx.fail(new IllegalStateException("store broke")));
        router.route().failureHandler(new ProblemHandler("cell-a")::handle);
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture().get();
    }

    @AfterEach
    void stop() throws Exception {
        problemLog.detachAppender(logged);
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void a_failed_cart_request_is_logged_without_its_cart_token_in_any_spelling_of_the_path() throws Exception {
        int failed = get("/api/v1/carts/" + CART_TOKEN + "/items");
        int dotted = get("/api/v1/products/../carts/" + CART_TOKEN + "/items");
        int duplicate = get("/api/v1/carts/" + CART_TOKEN);

        assertThat(failed).isEqualTo(500);
        assertThat(dotted).isEqualTo(500);
        assertThat(duplicate).isEqualTo(409);
        assertThat(logged.list).hasSize(3).allSatisfy(line -> assertThat(line.getFormattedMessage())
                .contains("path=/api/v1/carts/:token").doesNotContain(CART_TOKEN));
    }

    @Test
    void a_failed_order_read_is_logged_without_its_order_token() throws Exception {
        int failed = send(HttpRequest.newBuilder(uri("/api/v1/orders/7")).header("X-Order-Token", ORDER_TOKEN).build());

        assertThat(failed).isEqualTo(500);
        assertThat(logged.list).singleElement().satisfies(line -> assertThat(line.getFormattedMessage())
                .contains("path=/api/v1/orders/7").doesNotContain(ORDER_TOKEN));
    }

    private int get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.actualPort() + path);
    }

    private static int send(HttpRequest request) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
