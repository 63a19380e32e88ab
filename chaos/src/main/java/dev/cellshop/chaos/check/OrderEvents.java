package dev.cellshop.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.chaos.workload.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The order events of the run's shops as a downstream consumer sees them: topic
 * {@code cellshop.orders} read from its start to its end (keyed by shop id, so one shop's events
 * are in one partition, in the order they were published), each event's {@code event-id} and
 * {@code event-type} headers and the order it is about; duplicates (at-least-once) kept, so the
 * checker can both drop and count them.
 */
public final class OrderEvents {

    private static final String TOPIC = "cellshop.orders";

    public record Event(long shop, long orderId, String eventId, String type, long offset) {
    }

    private OrderEvents() {
    }

    /** Every event of the given shops, per order, in topic order. */
    public static Map<Long, List<Event>> read(String bootstrap, Collection<Long> shops) throws IOException {
        Set<String> keys = new java.util.HashSet<>();
        shops.forEach(s -> keys.add(Long.toString(s)));
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "chaos-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<Long, List<Event>> byOrder = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.currentTimeMillis() + 120_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < end.get(p))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("reading " + TOPIC + " to its end took over 2 minutes");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!keys.contains(record.key())) {
                        continue;
                    }
                    JsonNode event = Http.JSON.readTree(record.value());
                    long order = event.path("orderId").asLong();
                    byOrder.computeIfAbsent(order, o -> new ArrayList<>()).add(new Event(Long.parseLong(record.key()), order,
                            header(record, "event-id"), header(record, "event-type"), record.offset()));
                }
            }
        }
        return byOrder;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
