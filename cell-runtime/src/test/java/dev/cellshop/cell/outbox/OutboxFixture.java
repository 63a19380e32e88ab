package dev.cellshop.cell.outbox;

import static org.awaitility.Awaitility.await;

import dev.cellshop.cell.schema.CellSchema;
import dev.cellshop.testkit.PlatformEndpoints;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A private, migrated outbox database on cell-a's MariaDB, a private topic, and relays on them. */
final class OutboxFixture implements AutoCloseable {

    private static final AtomicLong EVENT_IDS = new AtomicLong(System.currentTimeMillis() << 20);

    final String topic = "it-outbox-" + UUID.randomUUID();
    private final PlatformEndpoints platform;
    private final PlatformEndpoints.Mysql mysql;
    private final String database = "it_outbox_" + System.nanoTime();
    private final String url;
    private final Vertx vertx = Vertx.vertx();
    private final Pool pool;
    private final List<OutboxRelay> relays = new ArrayList<>();

    OutboxFixture(PlatformEndpoints platform) throws Exception {
        this.platform = platform;
        this.mysql = platform.cell("cell-a").mysql();
        this.url = mysql.jdbcUrl().replace("/" + mysql.database() + "?", "/" + database + "?");
        try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password())) {
            c.createStatement().execute("CREATE DATABASE " + database);
        }
        CellSchema.migrate(url, mysql.user(), mysql.password());
        pool = MySQLBuilder.pool().with(new PoolOptions().setMaxSize(4))
                .connectingTo(new MySQLConnectOptions().setHost(mysql.host()).setPort(mysql.port())
                        .setUser(mysql.user()).setPassword(mysql.password()).setDatabase(database))
                .using(vertx).build();
    }

    /** A started relay on this outbox and topic. */
    OutboxRelay startRelay(int batchSize, PrometheusRegistry registry) throws Exception {
        return startRelay(OutboxRelaySettings.DEFAULTS.withBatchSize(batchSize), registry);
    }

    /** A started relay with these settings, on this outbox and topic. */
    OutboxRelay startRelay(OutboxRelaySettings settings, PrometheusRegistry registry) throws Exception {
        OutboxRelay relay = new OutboxRelay(vertx, pool, platform.kafka(), settings.withTopic(topic), registry);
        relays.add(relay);
        join(relay.start());
        return relay;
    }

    /** Writes one event as a checkout would (its own committed transaction); returns its id. */
    long insert(Connection c, long shopId, String type, String payload) throws Exception {
        long id = EVENT_IDS.incrementAndGet();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO outbox (shop_id, id, event_type, payload) VALUES (?, ?, ?, ?)")) {
            insert.setLong(1, shopId);
            insert.setLong(2, id);
            insert.setString(3, type);
            insert.setString(4, payload);
            insert.executeUpdate();
        }
        return id;
    }

    Connection connect() throws Exception {
        return DriverManager.getConnection(url, mysql.user(), mysql.password());
    }

    long rowsLeft() throws Exception {
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Reads the topic from its start until every expected event id was seen; every record read. */
    List<ConsumerRecord<String, String>> consumeUntilDelivered(Set<Long> eventIds) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                consumer.poll(Duration.ofMillis(250)).forEach(received::add);
                return received.stream().map(OutboxFixture::eventId).collect(Collectors.toSet()).containsAll(eventIds);
            });
            // Whatever else is already there (a late duplicate) belongs to the answer too.
            consumer.poll(Duration.ofMillis(500)).forEach(received::add);
        }
        return received;
    }

    static long eventId(ConsumerRecord<String, String> record) {
        return Long.parseLong(header(record, KafkaPublisher.EVENT_ID));
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The value of a counter or gauge of the registry. */
    static double metric(PrometheusRegistry registry, String name) {
        for (MetricSnapshot snapshot : registry.scrape()) {
            if (snapshot.getMetadata().getName().equals(name)) {
                DataPointSnapshot point = snapshot.getDataPoints().get(0);
                return point instanceof CounterDataPointSnapshot c ? c.getValue() : ((GaugeDataPointSnapshot) point).getValue();
            }
        }
        throw new IllegalArgumentException("no metric " + name);
    }

    static <T> T join(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            for (OutboxRelay relay : relays) {
                join(relay.stop());
            }
            join(pool.close());
            join(vertx.close());
        } finally {
            try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password())) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + database);
            }
        }
    }
}
