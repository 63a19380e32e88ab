import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka side of ops/cluster/test-hosts, run as a source file on the Kafka jars of the
 * platform (java -cp 'ops/platform/target/kafka/*' ops/cluster/KafkaProbe.java ...):
 *
 *   produce BOOTSTRAP TOPIC N   sends N records as the cells' outbox relays do (acks=all, idempotent);
 *                               exit 0 once every one is acknowledged, 1 when one fails
 *   describe BOOTSTRAP TOPIC    prints "replicas=R minInsyncReplicas=M isr=I" (I: the smallest ISR of a partition)
 */
public final class KafkaProbe {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: KafkaProbe produce BOOTSTRAP TOPIC N | describe BOOTSTRAP TOPIC");
            System.exit(2);
        }
        switch (args[0]) {
            case "produce" -> produce(args[1], args[2], Integer.parseInt(args[3]));
            case "describe" -> describe(args[1], args[2]);
            default -> { System.err.println("unknown probe " + args[0]); System.exit(2); }
        }
    }

    private static void produce(String bootstrap, String topic, int count) throws Exception {
        Properties p = new Properties();
        p.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            List<Future<RecordMetadata>> sends = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, "shop-" + (i % 7), "probe-" + System.nanoTime() + "-" + i)));
            }
            for (Future<RecordMetadata> send : sends) send.get();
            System.out.println("acknowledged " + count);
        }
    }

    private static void describe(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            int replicas = d.partitions().stream().mapToInt(x -> x.replicas().size()).min().orElse(0);
            int isr = d.partitions().stream().mapToInt(x -> x.isr().size()).min().orElse(0);
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            String minIsr = admin.describeConfigs(List.of(r)).all().get().get(r).get("min.insync.replicas").value();
            System.out.println("replicas=" + replicas + " minInsyncReplicas=" + minIsr + " isr=" + isr);
        }
    }
}
