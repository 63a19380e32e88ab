package dev.cellshop.cell.outbox;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How a relay polls and publishes.
 *
 * @param topic         Kafka topic of the events
 * @param batchSize     rows claimed (and held locked) per transaction
 * @param busyPoll      pause after a full batch: more rows are likely waiting
 * @param idlePoll      pause after a partial or empty batch
 * @param maxBackoff    longest pause after consecutive failures (it doubles from idlePoll)
 * @param sendTimeout   Kafka's delivery timeout: how long a batch may wait for its acks, and
 *                      so how long its claim (row locks only) is held while Kafka is down
 */
public record OutboxRelaySettings(String topic, int batchSize, Duration busyPoll, Duration idlePoll,
                                  Duration maxBackoff, Duration sendTimeout) {

    public static final String DEFAULT_TOPIC = "cellshop.orders";

    public static final OutboxRelaySettings DEFAULTS = new OutboxRelaySettings(DEFAULT_TOPIC, 100,
            Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(10));

    public OutboxRelaySettings {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("outbox topic must not be blank");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("outbox batch size must be 1..10000, not " + batchSize);
        }
        if (sendTimeout.toMillis() < 2_000) {
            throw new IllegalArgumentException("outbox send timeout must be at least 2 s, not " + sendTimeout);
        }
    }

    public OutboxRelaySettings withTopic(String newTopic) {
        return new OutboxRelaySettings(newTopic, batchSize, busyPoll, idlePoll, maxBackoff, sendTimeout);
    }

    public OutboxRelaySettings withIdlePoll(Duration newIdlePoll) {
        return new OutboxRelaySettings(topic, batchSize, busyPoll, newIdlePoll, maxBackoff, sendTimeout);
    }

    public OutboxRelaySettings withBatchSize(int newBatchSize) {
        return new OutboxRelaySettings(topic, newBatchSize, busyPoll, idlePoll, maxBackoff, sendTimeout);
    }

    /** Kafka producer settings: nothing acknowledged is lost, and nothing waits longer than sendTimeout. */
    Map<String, Object> producerConfig(String bootstrapServers) {
        long delivery = sendTimeout.toMillis();
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "cellshop-outbox-relay",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // delivery.timeout.ms must be >= linger.ms + request.timeout.ms.
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (delivery / 2),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery,
                // send() blocks this long when the topic's metadata is unknown (Kafka down).
                ProducerConfig.MAX_BLOCK_MS_CONFIG, delivery / 2);
    }
}
