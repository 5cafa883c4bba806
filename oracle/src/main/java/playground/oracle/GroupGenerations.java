package playground.oracle;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.coordinator.group.generated.GroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.GroupMetadataValue;

/**
 * A classic group's generation as its coordinator last wrote it: the GroupMetadata record
 * in the group's partition of __consumer_offsets. No Admin call returns it (DescribeGroups
 * has no generation), and a consumer that left never sees the generation its leaving
 * started.
 */
final class GroupGenerations {
    /** __consumer_offsets record keys of version 2 are GroupMetadataKey (CoordinatorRecordType.GROUP_METADATA). */
    private static final short GROUP_METADATA = 2;
    private static final int OFFSETS_PARTITIONS = 50;

    private GroupGenerations() {}

    static Integer read(String bootstrap, String group) {
        TopicPartition tp = new TopicPartition("__consumer_offsets", Utils.abs(group.hashCode()) % OFFSETS_PARTITIONS);
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("client.id", "oracle-generations");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        Integer generation = null;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp), Duration.ofSeconds(5)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    ByteBuffer key = ByteBuffer.wrap(r.key());
                    if (key.getShort() != GROUP_METADATA) {
                        continue;
                    }
                    if (!new GroupMetadataKey(new ByteBufferAccessor(key), (short) 0).group().equals(group)) {
                        continue;
                    }
                    if (r.value() == null) {
                        generation = null; // a tombstone: the group was deleted
                        continue;
                    }
                    ByteBuffer value = ByteBuffer.wrap(r.value());
                    short version = value.getShort();
                    generation = new GroupMetadataValue(new ByteBufferAccessor(value), version).generation();
                }
            }
        }
        return generation;
    }

    static Map<String, Integer> readAll(String bootstrap, List<String> groups) {
        Map<String, Integer> out = new HashMap<>();
        for (String g : groups) {
            out.put(g, read(bootstrap, g));
        }
        return out;
    }
}
