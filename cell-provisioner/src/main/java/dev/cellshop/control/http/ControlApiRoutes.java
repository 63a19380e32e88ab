package dev.cellshop.control.http;

import dev.cellshop.control.audit.AuditLog;
import dev.cellshop.control.cells.CellProvisioning;
import dev.cellshop.control.cells.CellRegistry;
import dev.cellshop.control.cells.CellSummary;
import dev.cellshop.control.cells.LocalCells;
import dev.cellshop.control.leader.Leadership;
import dev.cellshop.control.mover.Movers;
import dev.cellshop.control.rebalance.Rebalancer;
import dev.cellshop.control.shops.NewShop;
import dev.cellshop.control.shops.ShopCreator;
import dev.cellshop.control.shops.ShopDirectory;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Endpoints;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The control plane's HTTP API, every route in one place. Every {@code /v1} verb needs the
 * platform token; the work behind each is blocking (ZooKeeper, JDBC), so it runs on the
 * worker pool, unordered, and the event loop only parses and answers. The routes behind
 * {@code leaderOnly} run on the leading control plane alone; a follower forwards them to
 * it ({@link LeaderForwarding}) and serves every other route itself.
 */
public final class ControlApiRoutes {

    static final long BODY_LIMIT_BYTES = 64 * 1024;
    private static final String ACTOR_HEADER = "X-Cellshop-Actor";

    private final Vertx vertx;
    private final PlatformTokenAuth auth;
    private final int defaultMaxShops;
    private final ShopCreator creator;
    private final ShopDirectory shops;
    private final CellRegistry cells;
    private final CellProvisioning provisioning;
    private final AuditLog audit;
    private final Movers movers;
    private final Rebalancer rebalancer;
    private final LeaderForwarding leaderOnly;

    public ControlApiRoutes(Vertx vertx, String platformToken, int defaultMaxShops, ShopCreator creator, ShopDirectory shops,
                            CellRegistry cells, CellProvisioning provisioning, AuditLog audit, Movers movers, Rebalancer rebalancer,
                            Leadership leadership, HttpClient leaderClient) {
        this.vertx = vertx;
        this.auth = new PlatformTokenAuth(platformToken);
        this.defaultMaxShops = defaultMaxShops;
        this.creator = creator;
        this.shops = shops;
        this.cells = cells;
        this.provisioning = provisioning;
        this.audit = audit;
        this.movers = movers;
        this.rebalancer = rebalancer;
        this.leaderOnly = new LeaderForwarding(vertx, leadership, leaderClient);
    }

    public void mount(Router router) {
        router.route("/v1/*").handler(auth);
        router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES));
        router.post("/v1/shops").handler(ctx -> answer(ctx, 201, () -> creator.create(newShop(ctx), actor(ctx))));
        router.get("/v1/shops/:id").handler(ctx -> answer(ctx, 200, () -> shops.show(shopId(ctx))));
        router.get("/v1/cells").handler(ctx -> answer(ctx, 200, cells::list));
        router.post("/v1/cells").handler(ctx -> answer(ctx, 201, () -> registerCell(ctx)));
        router.get("/v1/cells/:id").handler(ctx -> answer(ctx, 200, () -> cells.show(cellId(ctx.pathParam("id")))));
        router.post("/v1/cells/:id/drain").handler(ctx -> answer(ctx, 200, () -> cells.drain(cellId(ctx.pathParam("id")), actor(ctx))));
        router.post("/v1/cells/:id/evacuate").handler(leaderOnly).handler(ctx -> answer(ctx, 202,
                () -> Map.of("moves", movers.evacuate(cellId(ctx.pathParam("id")), actor(ctx)))));
        router.post("/v1/cells/:id/retire").handler(ctx -> answer(ctx, 200, () -> cells.retire(cellId(ctx.pathParam("id")), actor(ctx))));
        router.get("/v1/topology").handler(ctx -> answer(ctx, 200, this::topology));
        router.post("/v1/moves").handler(leaderOnly).handler(ctx -> answer(ctx, 202, () -> startMove(ctx)));
        router.get("/v1/moves").handler(ctx -> answer(ctx, 200, movers::list));
        router.get("/v1/moves/:id").handler(ctx -> answer(ctx, 200, () -> movers.show(ctx.pathParam("id"))));
        router.post("/v1/moves/:id/abort").handler(leaderOnly).handler(ctx -> answer(ctx, 200, () -> movers.abort(ctx.pathParam("id"), actor(ctx))));
        router.post("/v1/rebalance").handler(leaderOnly).handler(ctx -> {
            RebalanceRequest request = rebalanceRequest(ctx);
            answer(ctx, request.dryRun() ? 200 : 202, () -> rebalancer.rebalance(request.dryRun(), request.maxMoves(), actor(ctx)));
        });
        // the run going on lives in the leader's memory
        router.get("/v1/rebalance").handler(leaderOnly).handler(ctx -> answer(ctx, 200, rebalancer::current));
        router.get("/v1/leader").handler(ctx -> answer(ctx, 200, leaderOnly::status));
        router.get("/v1/audit").handler(ctx -> answer(ctx, 200, () -> audit.latest(limit(ctx))));
        router.route("/v1/*").last().handler(ctx -> ctx.fail(404));
        router.route().failureHandler(ProblemResponses::handle);
    }

    private void answer(RoutingContext ctx, int status, Callable<Object> work) {
        vertx.executeBlocking(work, false).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
            } else {
                ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.write(done.result()));
            }
        });
    }

    private Object topology() throws Exception {
        List<CellSummary> all = cells.list();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("cells", all);
        view.put("shops", all.stream().mapToInt(CellSummary::shops).sum());
        return view;
    }

    private Object startMove(RoutingContext ctx) throws Exception {
        JsonObject body = body(ctx);
        String shop = string(body, "shopId");
        String target = string(body, "targetCell");
        if (shop == null || target == null) {
            throw new ProblemException(Problem.unprocessable("shopId and targetCell are required"));
        }
        ShopId shopId;
        try {
            shopId = ShopId.parse(shop);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.unprocessable(e.getMessage()));
        }
        return movers.start(shopId, cellId(target), actor(ctx));
    }

    private record RebalanceRequest(boolean dryRun, int maxMoves) {
    }

    /** Every field checked, unknown ones refused: a misspelt {@code dryRun} must not start a real rebalance. */
    private RebalanceRequest rebalanceRequest(RoutingContext ctx) {
        JsonObject body = body(ctx);
        List<String> unknown = body.fieldNames().stream().filter(f -> !f.equals("dryRun") && !f.equals("maxMoves")).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new ProblemException(Problem.unprocessable("unknown field(s) " + unknown + ": a rebalance takes dryRun and maxMoves"));
        }
        Object dryRun = body.getValue("dryRun");
        if (dryRun != null && !(dryRun instanceof Boolean)) {
            throw new ProblemException(Problem.unprocessable("dryRun must be true or false"));
        }
        Integer maxMoves = integer(body, "maxMoves");
        if (maxMoves != null && (maxMoves < 1 || maxMoves > Rebalancer.MOST_MOVES)) {
            throw new ProblemException(Problem.unprocessable("maxMoves must be 1.." + Rebalancer.MOST_MOVES + ", got " + maxMoves));
        }
        return new RebalanceRequest(Boolean.TRUE.equals(dryRun), maxMoves == null ? rebalancer.defaultMaxMoves() : maxMoves);
    }

    private Object registerCell(RoutingContext ctx) throws Exception {
        JsonObject body = body(ctx);
        if (body.getValue("mysql") == null) {
            throw new ProblemException(Problem.unprocessable("mysql, redis and memcached are required: the endpoints of the"
                    + " cell's stores (a new cell of the local platform: 'ops/cellshop cell create NAME' starts its stores first)"));
        }
        Endpoints endpoints;
        try {
            endpoints = new Endpoints(body.getString("mysql"), body.getString("redis"), body.getString("memcached"));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.unprocessable(e.getMessage()));
        }
        Integer maxShops = integer(body, "maxShops");
        if (maxShops != null && maxShops <= 0) {
            throw new ProblemException(Problem.unprocessable("maxShops must be positive, got " + maxShops));
        }
        return provisioning.provision(cellId(body.getString("cellId")), endpoints,
                LocalCells.capacity(maxShops == null ? defaultMaxShops : maxShops), actor(ctx));
    }

    private static NewShop newShop(RoutingContext ctx) {
        JsonObject body = body(ctx);
        String cell = string(body, "cell");
        return new NewShop(string(body, "name"), string(body, "domain"), string(body, "currency"),
                cell == null ? null : cellId(cell));
    }

    private static JsonObject body(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        if (body == null) {
            throw new ProblemException(Problem.badRequest("send a JSON object as the request body"));
        }
        return body;
    }

    private static String string(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value != null && !(value instanceof String)) {
            throw new ProblemException(Problem.unprocessable(field + " must be a string"));
        }
        return (String) value;
    }

    private static Integer integer(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value != null && !(value instanceof Integer)) {
            throw new ProblemException(Problem.unprocessable(field + " must be a whole number"));
        }
        return (Integer) value;
    }

    private static CellId cellId(String text) {
        try {
            return CellId.of(text);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.unprocessable(e.getMessage()));
        }
    }

    private static ShopId shopId(RoutingContext ctx) {
        try {
            return ShopId.parse(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.badRequest(e.getMessage()));
        }
    }

    private static int limit(RoutingContext ctx) {
        String raw = ctx.queryParams().get("limit");
        try {
            int limit = raw == null ? 100 : Integer.parseInt(raw);
            if (limit < 1 || limit > 1000) {
                throw new NumberFormatException();
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new ProblemException(Problem.badRequest("limit must be 1..1000, got '" + raw + "'"));
        }
    }

    private static String actor(RoutingContext ctx) {
        String actor = ctx.request().getHeader(ACTOR_HEADER);
        return actor == null || actor.isBlank() ? "platform-token" : actor.strip();
    }
}
