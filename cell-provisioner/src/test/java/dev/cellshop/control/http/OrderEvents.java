package dev.cellshop.control.http;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.testkit.PlatformEndpoints;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The cells' order events as a downstream consumer reads them from Kafka (topic
 * {@code cellshop.orders}, keyed by shop id, {@code event-id} and {@code event-type} headers).
 */
final class OrderEvents {

    private static final String TOPIC = "cellshop.orders";

    /** One shop's {@code order.created} events: how many times each order was announced, and under which event ids. */
    record Created(Map<String, Integer> timesByOrder, Map<String, String> eventIdByOrder) {
    }

    private OrderEvents() {
    }

    /** Reads the topic from its start until every one of {@code orders} of the shop was announced (at least once). */
    static Created awaitCreated(PlatformEndpoints platform, String shop, Collection<String> orders, Duration timeout) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, Integer> times = new HashMap<>();
        Map<String, String> eventIds = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            await().atMost(timeout).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(250))) {
                    if (shop.equals(record.key()) && "order.created".equals(header(record, "event-type"))) {
                        String order = Json.read(record.value(), JsonNode.class).get("orderId").asText();
                        times.merge(order, 1, Integer::sum);
                        String eventId = header(record, "event-id");
                        if (eventIds.putIfAbsent(order, eventId) != null && !eventIds.get(order).equals(eventId)) {
                            throw new AssertionError("order " + order + " announced under two event ids: " + eventIds.get(order)
                                    + " and " + eventId);
                        }
                    }
                }
                return times.keySet().containsAll(orders);
            });
        }
        return new Created(times, eventIds);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
