package playground.oracle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * A replica's log as its broker's directory holds it: every segment file of
 * {@code <log.dirs>/<topic>-<partition>/}, read with Kafka's own record-batch decoder. A
 * stopped broker's directory is read the same way (what it would start with).
 */
final class LogFiles {
    record Rec(long offset, String key, String value, int leaderEpoch) {}

    record Log(long logEndOffset, List<Rec> records) {}

    private LogFiles() {}

    static Log read(Path partitionDir) throws IOException {
        List<Rec> recs = new ArrayList<>();
        long end = 0;
        if (!Files.isDirectory(partitionDir)) {
            return new Log(0, recs);
        }
        List<Path> segments;
        try (Stream<Path> s = Files.list(partitionDir)) {
            segments = s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        for (Path seg : segments) {
            MemoryRecords records = MemoryRecords.readableRecords(ByteBuffer.wrap(Files.readAllBytes(seg)));
            for (RecordBatch batch : records.batches()) {
                end = Math.max(end, batch.nextOffset());
                if (batch.isControlBatch()) {
                    continue;
                }
                for (Record r : batch) {
                    recs.add(new Rec(r.offset(), text(r.key()), text(r.value()), batch.partitionLeaderEpoch()));
                }
            }
        }
        return new Log(end, recs);
    }

    private static String text(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
