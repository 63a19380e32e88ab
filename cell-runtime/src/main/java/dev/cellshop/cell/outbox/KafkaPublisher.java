package dev.cellshop.cell.outbox;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Outbox events to Kafka: key = shop id (so a shop's events share a partition), value = the
 * payload JSON, headers {@code event-id} and {@code event-type}. The producer's blocking calls
 * (construction, send() while metadata is missing, close) run on worker threads; its ack
 * callbacks complete promises back on the relay's context.
 */
final class KafkaPublisher {

    static final String EVENT_ID = "event-id";
    static final String EVENT_TYPE = "event-type";

    private final Vertx vertx;
    private final Context context;
    private final String topic;
    private final Producer<String, String> producer;

    private KafkaPublisher(Vertx vertx, Context context, String topic, Producer<String, String> producer) {
        this.vertx = vertx;
        this.context = context;
        this.topic = topic;
        this.producer = producer;
    }

    static Future<KafkaPublisher> open(Vertx vertx, Context context, String bootstrapServers, OutboxRelaySettings settings) {
        return vertx.executeBlocking(() -> new KafkaProducer<>(settings.producerConfig(bootstrapServers),
                        new StringSerializer(), new StringSerializer()), false)
                .map(producer -> new KafkaPublisher(vertx, context, settings.topic(), producer));
    }

    /** Succeeds once Kafka acknowledged every event; fails at the first event it did not. */
    Future<Void> publish(List<OutboxEvent> events) {
        List<Future<Void>> acks = new ArrayList<>(events.size());
        AtomicBoolean failed = new AtomicBoolean();
        // send() may block up to max.block.ms per event while Kafka is unreachable: on a worker,
        // and the first failure stops the batch, so a dead broker costs one timeout, not one per event.
        Future<Void> sent = vertx.executeBlocking(() -> {
            for (OutboxEvent event : events) {
                if (failed.get()) {
                    break;
                }
                Promise<Void> ack = Promise.promise();
                acks.add(ack.future());
                try {
                    producer.send(record(event), (metadata, error) -> acked(ack, error, failed));
                } catch (RuntimeException error) {
                    acked(ack, error, failed);
                }
            }
            return null;
        }, false);
        return sent.compose(v -> Future.all(acks)).mapEmpty();
    }

    Future<Void> close() {
        return vertx.executeBlocking(() -> {
            producer.close(Duration.ofSeconds(5));
            return null;
        }, false);
    }

    private void acked(Promise<Void> ack, Exception error, AtomicBoolean failed) {
        if (error != null) {
            failed.set(true);
        }
        context.runOnContext(v -> {
            if (error == null) {
                ack.tryComplete();
            } else {
                ack.tryFail(error);
            }
        });
    }

    private ProducerRecord<String, String> record(OutboxEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EVENT_ID, Long.toString(event.id()).getBytes(StandardCharsets.UTF_8));
        headers.add(EVENT_TYPE, event.type().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, Long.toString(event.shopId()), event.payload(), headers);
    }
}
