package org.livingevidence.contracts.events;

import java.time.Instant;
import java.util.Map;

/**
 * A consumed record that a service could not handle and set aside so that its partition could go on: where it came
 * from, exactly what it held, and why it was refused. The service keeps it for re-driving once the cause is fixed.
 *
 * @param deadLetterId   {@code <consumer group>:<topic>:<partition>:<offset>}, the same however often it is recorded
 * @param headers        every record header, its value as UTF-8 text (or base64 when it is not text, see headersEncoding)
 * @param key            the record key, or null
 * @param value          the record value as UTF-8 text, or base64 when {@code valueEncoding} is BASE64; null for none
 * @param valueTruncated true when the value was longer than this event carries (the service keeps all of it)
 * @param attempts       how many times the handler tried it (0 when it could not even be read)
 */
public record DeadLetterRecorded(
        String deadLetterId,
        String service,
        String consumerGroup,
        String topic,
        int partition,
        long offset,
        String key,
        Map<String, String> headers,
        Encoding headersEncoding,
        String value,
        Encoding valueEncoding,
        boolean valueTruncated,
        Reason reason,
        String error,
        int attempts,
        Instant recordTimestamp,
        Instant recordedAt) {

    /** Why a record was set aside. */
    public enum Reason { NOT_A_CLOUD_EVENT, UNKNOWN_TYPE, WRONG_TOPIC, SCHEMA_VIOLATION, HANDLER_FAILED }

    public enum Encoding { UTF8, BASE64 }
}
