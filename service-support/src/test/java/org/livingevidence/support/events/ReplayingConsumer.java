package org.livingevidence.support.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka's MockConsumer, made to behave like a log: a seek back delivers the records from there again (MockConsumer
 * forgets a record once polled), which is what the consumer loop's retries rely on.
 */
final class ReplayingConsumer extends MockConsumer<String, byte[]> {

    private final List<ConsumerRecord<String, byte[]>> log = new ArrayList<>();
    private final Set<String> buffered = new HashSet<>();

    ReplayingConsumer() {
        super(OffsetResetStrategy.EARLIEST);
    }

    void append(ConsumerRecord<String, byte[]> record) {
        log.add(record);
        addRecord(record);
    }

    @Override
    public synchronized void addRecord(ConsumerRecord<String, byte[]> record) {
        buffered.add(id(record));
        super.addRecord(record);
    }

    @Override
    public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
        ConsumerRecords<String, byte[]> records = super.poll(timeout);
        records.forEach(r -> buffered.remove(id(r)));
        return records;
    }

    @Override
    public synchronized void seek(TopicPartition partition, long offset) {
        super.seek(partition, offset);
        for (ConsumerRecord<String, byte[]> r : log) {
            if (r.topic().equals(partition.topic()) && r.partition() == partition.partition() && r.offset() >= offset
                    && !buffered.contains(id(r))) {
                addRecord(r);
            }
        }
    }

    private static String id(ConsumerRecord<?, ?> r) {
        return r.topic() + "/" + r.partition() + "/" + r.offset();
    }
}
