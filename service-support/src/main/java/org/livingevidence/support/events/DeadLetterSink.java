package org.livingevidence.support.events;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.livingevidence.contracts.events.DeadLetterRecorded.Reason;

/** Where a consumer sets aside a record it cannot handle. Recording the same record twice records it once. */
@FunctionalInterface
public interface DeadLetterSink {

    /** Throws when the record could not be kept (an outage); the consumer then retries. */
    void record(String group, ConsumerRecord<String, byte[]> record, Reason reason, String error, int attempts);
}
