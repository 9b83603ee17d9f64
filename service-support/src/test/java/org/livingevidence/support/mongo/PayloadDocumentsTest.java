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

    @Test
    void valuesOutsideTheCommonRangesAreStoredAsTheirJsonTextWouldBe() throws Exception {
        record Edges(double nan, double infinite, double negativeInfinite, double negativeZero, double smallest,
                long minimum, long maximum, int negative, java.math.BigInteger modest) {
        }
        Edges edges = new Edges(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
                Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, java.math.BigInteger.valueOf(12));
        Document expected = Document.parse(EventJson.mapper().writeValueAsString(edges));
        expected.put("_id", "e");

        Document stored = PayloadDocuments.toDocument("e", edges);

        assertThat(stored).isEqualTo(expected);
        assertThat(stored.toJson()).isEqualTo(expected.toJson());
        assertThat(stored.get("nan")).isEqualTo("NaN");
        assertThat(stored.get("infinite")).isEqualTo("Infinity");
        assertThat(stored.get("minimum")).isEqualTo(Long.MIN_VALUE);
        assertThat(stored.get("negative")).isEqualTo(Integer.MIN_VALUE);
        assertThat(stored.get("modest")).isEqualTo(12);
    }

    @Test
    void anIntegerBeyond64BitsIsADecimal128() {
        record Huge(java.math.BigInteger value) {
        }
        assertThat(PayloadDocuments.toDocument("h", new Huge(java.math.BigInteger.TEN.pow(30))).get("value"))
                .isEqualTo(new org.bson.types.Decimal128(new java.math.BigDecimal(java.math.BigInteger.TEN.pow(30))));
    }

    /** Types no record holds today, stored as their JSON text would be, so that one added later stores the same. */
    @Test
    void floatsDecimalsAndBytesAreStoredAsTheirJsonTextWouldBe() throws Exception {
        record Odd(float single, java.math.BigDecimal whole, java.math.BigDecimal fraction, java.math.BigDecimal exponent,
                java.math.BigDecimal wide, byte[] bytes) {
        }
        Odd odd = new Odd(0.1f, new java.math.BigDecimal("5"), new java.math.BigDecimal("2.50"), new java.math.BigDecimal("1E+3"),
                new java.math.BigDecimal("12345678901"), new byte[] {1, 2, (byte) 250});
        Document expected = Document.parse(EventJson.mapper().writeValueAsString(odd));
        expected.put("_id", "o");

        Document stored = PayloadDocuments.toDocument("o", odd);

        assertThat(stored).isEqualTo(expected);
        assertThat(stored.get("single")).isEqualTo(0.1);
        assertThat(stored.get("whole")).isEqualTo(5);
        assertThat(stored.get("wide")).isEqualTo(12_345_678_901L);
        assertThat(stored.get("exponent")).isEqualTo(1000.0);
    }
}
