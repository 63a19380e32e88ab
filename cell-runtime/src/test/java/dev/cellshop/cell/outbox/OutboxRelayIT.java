package dev.cellshop.cell.outbox;

import static dev.cellshop.cell.outbox.OutboxFixture.eventId;
import static dev.cellshop.cell.outbox.OutboxFixture.header;
import static dev.cellshop.cell.outbox.OutboxFixture.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalPlatformExtension.class)
class OutboxRelayIT {

    @Test
    void outbox_rows_reach_kafka_keyed_by_shop_with_event_id_and_type_headers_and_leave_the_table(PlatformEndpoints platform) throws Exception {
        try (OutboxFixture outbox = new OutboxFixture(platform)) {
            PrometheusRegistry registry = new PrometheusRegistry();
            outbox.startRelay(10, registry);
            Map<Long, String[]> written = new HashMap<>();   // event id -> shop id, type, payload
            try (Connection c = outbox.connect()) {
                for (int i = 0; i < 30; i++) {
                    long shop = 1000 + i % 3;
                    String type = i % 2 == 0 ? "order.created" : "order.paid";
                    String payload = "{\"orderId\":" + i + ",\"note\":\"caf\u00e9 \\\"quoted\\\"\"}";
                    written.put(outbox.insert(c, shop, type, payload), new String[] {Long.toString(shop), type, payload});
                }
            }

            List<ConsumerRecord<String, String>> received = outbox.consumeUntilDelivered(written.keySet());

            assertThat(received).allSatisfy(r -> {
                String[] row = written.get(eventId(r));
                assertThat(row).as("a record of an event never written: %s", r).isNotNull();
                assertThat(r.key()).isEqualTo(row[0]);
                assertThat(header(r, KafkaPublisher.EVENT_TYPE)).isEqualTo(row[1]);
                assertThat(r.value()).isEqualTo(row[2]);
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(outbox.rowsLeft()).isZero();
                assertThat(metric(registry, OutboxMetrics.PUBLISHED)).isGreaterThanOrEqualTo(30);
                assertThat(metric(registry, OutboxMetrics.LAG)).isZero();
            });
        }
    }

    @Test
    void an_event_announced_by_eventWritten_is_published_at_once_not_at_the_next_idle_poll(PlatformEndpoints platform) throws Exception {
        try (OutboxFixture outbox = new OutboxFixture(platform)) {
            long first;
            try (Connection c = outbox.connect()) {
                first = outbox.insert(c, 1000, "order.created", "{\"orderId\":1}");
            }
            OutboxRelay relay = outbox.startRelay(OutboxRelaySettings.DEFAULTS.withIdlePoll(Duration.ofMinutes(5)), new PrometheusRegistry());
            outbox.consumeUntilDelivered(Set.of(first)); // the start's poll; the next idle one is 5 minutes away

            long second;
            try (Connection c = outbox.connect()) {
                second = outbox.insert(c, 1000, "order.created", "{\"orderId\":2}");
            }
            long start = System.nanoTime();
            relay.eventWritten();
            outbox.consumeUntilDelivered(Set.of(second));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void two_relays_on_one_outbox_take_turns_and_deliver_every_event_in_the_order_written_with_duplicates_only_by_event_id(
            PlatformEndpoints platform) throws Exception {
        try (OutboxFixture outbox = new OutboxFixture(platform)) {
            PrometheusRegistry first = new PrometheusRegistry();
            PrometheusRegistry second = new PrometheusRegistry();
            outbox.startRelay(10, first);
            outbox.startRelay(10, second);
            Set<Long> written = new java.util.HashSet<>();
            try (Connection c = outbox.connect()) {
                for (int i = 0; i < 500; i++) {
                    written.add(outbox.insert(c, 2000 + i % 7, "order.created", "{\"orderId\":" + i + "}"));
                }
            }

            List<ConsumerRecord<String, String>> received = outbox.consumeUntilDelivered(written);

            assertThat(received.stream().map(OutboxFixture::eventId).collect(Collectors.toSet())).isEqualTo(written);
            // A duplicate is the same event again: same key, type and payload under the same id.
            Map<Long, Set<String>> versions = received.stream().collect(Collectors.groupingBy(OutboxFixture::eventId,
                    Collectors.mapping(r -> r.key() + "|" + header(r, KafkaPublisher.EVENT_TYPE) + "|" + r.value(), Collectors.toSet())));
            assertThat(versions.values()).allSatisfy(v -> assertThat(v).hasSize(1));
            // Per shop (one partition), the first time each event arrives is the order it was written in.
            Map<String, List<Long>> firstSeen = new HashMap<>();
            Set<Long> seen = new java.util.HashSet<>();
            received.forEach(r -> {
                if (seen.add(eventId(r))) {
                    firstSeen.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>()).add(eventId(r));
                }
            });
            assertThat(firstSeen.values()).allSatisfy(ids -> assertThat(ids).isSorted());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(outbox.rowsLeft()).isZero());
            assertThat(metric(first, OutboxMetrics.PUBLISHED) + metric(second, OutboxMetrics.PUBLISHED)).isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void a_relay_publishes_nothing_while_another_relay_of_the_cell_has_its_turn(PlatformEndpoints platform) throws Exception {
        try (OutboxFixture outbox = new OutboxFixture(platform); Connection otherRelay = outbox.connect()) {
            try (var turn = otherRelay.createStatement().executeQuery("SELECT GET_LOCK(" + OutboxTable.TURN + ", 5)")) {
                turn.next();
                assertThat(turn.getInt(1)).as("the turn, taken as another relay would").isEqualTo(1);
            }
            long event;
            try (Connection c = outbox.connect()) {
                event = outbox.insert(c, 3000, "order.created", "{\"orderId\":1}");
            }
            outbox.startRelay(10, new PrometheusRegistry());
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> outbox.rowsLeft() == 1);

            otherRelay.createStatement().executeQuery("SELECT RELEASE_LOCK(" + OutboxTable.TURN + ")").close();

            outbox.consumeUntilDelivered(Set.of(event));
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.rowsLeft() == 0);
        }
    }
}
