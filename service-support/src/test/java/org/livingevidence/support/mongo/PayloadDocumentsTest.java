package org.livingevidence.support.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.EventType;

class PayloadDocumentsTest {

    private static final Path EXAMPLES = Path.of("../contracts/src/main/resources");

    /** Every golden example of every event type, stored as the driver's own JSON reader would have stored it. */
    @Test
    void documentsAreWhatTheDriversJsonReaderMakesOfThePayload() throws Exception {
        int compared = 0;
        for (EventType type : EventType.values()) {
            Path folder = EXAMPLES.resolve(type.examplesFolder());
            if (!Files.isDirectory(folder)) {
                continue;
            }
            List<Path> examples;
            try (Stream<Path> files = Files.list(folder)) {
                examples = files.filter(f -> f.toString().endsWith(".json")).toList();
            }
            for (Path example : examples) {
                Record payload = EventJson.mapper().readValue(Files.readString(example), type.payloadType());
                Document expected = Document.parse(EventJson.mapper().writeValueAsString(payload));
                expected.put("_id", "id-1");

                Document stored = PayloadDocuments.toDocument("id-1", payload);

                assertThat(stored).as(example.toString()).isEqualTo(expected);
                assertThat(stored.toJson()).as("field order and number types of " + example).isEqualTo(expected.toJson());
                assertThat(PayloadDocuments.fromDocument(stored, type.payloadType())).isEqualTo(payload);
                compared++;
            }
        }
        assertThat(compared).as("examples compared").isGreaterThanOrEqualTo(15);
    }

    @Test
    void integersKeepTheDriversWidthsAndFractionsAreDoubles() {
        record Figures(int small, long large, long smallLong, double whole, double tiny, String text) {
        }
        Document stored = PayloadDocuments.toDocument("f", new Figures(7, 3_000_000_000L, 5L, 3.0, 1e-300, "$date"));

        assertThat(stored.get("small")).isEqualTo(7);
        assertThat(stored.get("large")).isEqualTo(3_000_000_000L);
        assertThat(stored.get("smallLong")).as("as Document.parse: the value decides, not the Java type").isEqualTo(5);
        assertThat(stored.get("whole")).isEqualTo(3.0);
        assertThat(stored.get("tiny")).isEqualTo(1e-300);
        assertThat(stored.get("text")).isEqualTo("$date");
    }
}
