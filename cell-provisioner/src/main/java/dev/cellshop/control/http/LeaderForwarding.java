package dev.cellshop.control.http;

import dev.cellshop.control.leader.Leadership;
import dev.cellshop.kernel.problem.Problem;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * In front of every route only the leader may serve (moves started or aborted, rebalances,
 * evacuations): on the leader it lets the request through; on a follower it sends the same
 * request (method, path, body, Authorization, actor) to the leader's base URL and answers
 * with the leader's reply, status and body as they are. No leader known, or the leader not
 * answering: 503 problem+json with Retry-After, for the client to try again when the
 * election settled (a few seconds). A request forwarded once is never forwarded again: two
 * control planes that each think the other leads answer 503 instead of bouncing it.
 */
final class LeaderForwarding implements Handler<RoutingContext> {

    static final String FORWARDED_BY = "X-Cellshop-Forwarded-By";
    static final String LEADER = "X-Cellshop-Leader";
    private static final List<String> PASSED_ON = List.of("Authorization", "Content-Type", "X-Cellshop-Actor");
    private static final List<String> PASSED_BACK = List.of("Content-Type", "Retry-After", "WWW-Authenticate");
    private static final int RETRY_AFTER_SECONDS = 2;

    private final Vertx vertx;
    private final Leadership leadership;
    private final HttpClient client;

    LeaderForwarding(Vertx vertx, Leadership leadership, HttpClient client) {
        this.vertx = vertx;
        this.leadership = leadership;
        this.client = client;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (leadership.leads()) {
            ctx.next();
            return;
        }
        vertx.executeBlocking(leadership::leader, false).onComplete(found -> {
            if (found.failed()) {
                ctx.fail(found.cause());
                return;
            }
            Optional<String> leader = found.result().filter(url -> !url.equals(leadership.self()));
            if (leader.isEmpty()) {
                ProblemResponses.write(ctx, noLeader("no control plane leads now (an election is under way, or every control"
                        + " plane is cut off from ZooKeeper)"));
            } else if (ctx.request().getHeader(FORWARDED_BY) != null) {
                ProblemResponses.write(ctx, noLeader("forwarded by " + ctx.request().getHeader(FORWARDED_BY) + " to "
                        + leadership.self() + ", which does not lead either (the lead is changing hands)"));
            } else {
                forward(ctx, leader.get());
            }
        });
    }

    /** {"leader": url or null, "self": url, "isLeader": bool}. Blocking (reads ZooKeeper). */
    Map<String, Object> status() throws Exception {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("leader", leadership.leader().orElse(null));
        status.put("self", leadership.self());
        status.put("isLeader", leadership.leads());
        return status;
    }

    private void forward(RoutingContext ctx, String leader) {
        RequestOptions options = new RequestOptions().setMethod(ctx.request().method()).setAbsoluteURI(leader + ctx.request().uri())
                .setIdleTimeout(60_000).putHeader(FORWARDED_BY, leadership.self());
        PASSED_ON.forEach(name -> {
            String value = ctx.request().getHeader(name);
            if (value != null) {
                options.putHeader(name, value);
            }
        });
        Buffer body = ctx.body().buffer();
        client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().map(answer -> new Reply(response, answer)))
                .onSuccess(reply -> {
                    PASSED_BACK.forEach(name -> {
                        String value = reply.response().getHeader(name);
                        if (value != null) {
                            ctx.response().putHeader(name, value);
                        }
                    });
                    ctx.response().putHeader(LEADER, leader).setStatusCode(reply.response().statusCode()).end(reply.body());
                })
                .onFailure(e -> ProblemResponses.write(ctx, noLeader("the leader " + leader + " did not answer: " + e.getMessage())));
    }

    private record Reply(HttpClientResponse response, Buffer body) {
    }

    private Problem noLeader(String why) {
        return Problem.serviceUnavailable(why + "; moves, rebalances and evacuations run on the leader: try again in "
                + RETRY_AFTER_SECONDS + " s (GET /v1/leader names it)").withExtension("retryAfterSeconds", RETRY_AFTER_SECONDS);
    }
}
