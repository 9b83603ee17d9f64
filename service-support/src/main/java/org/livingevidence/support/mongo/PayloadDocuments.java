package org.livingevidence.support.mongo;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.support.outbox.Outbox;

/**
 * Maps records (event payloads, projection state) to MongoDB documents and back through the one event JSON mapping,
 * so a stored document and the event published from it cannot drift apart. The {@code _id} and the pending
 * {@code outbox} are document fields, not part of the record.
 */
public final class PayloadDocuments {

    private PayloadDocuments() {
    }

    public static Document toDocument(String id, Record payload) {
        Document document = toEmbedded(payload);
        document.put("_id", id);
        return document;
    }

    /** The payload as a document to embed in another (no {@code _id}). */
    public static Document toEmbedded(Record payload) {
        // Through Jackson's token buffer, not JSON text: the same serializers, but a double stays a double instead of
        // being printed and parsed again (most of the time of storing an estimate of thousands of studies).
        try (TokenBuffer tokens = new TokenBuffer(EventJson.mapper(), false)) {
            EventJson.mapper().writeValue(tokens, payload);
            try (JsonParser parser = tokens.asParser()) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException(payload.getClass().getSimpleName() + " does not map to a JSON object");
                }
                return readObject(parser);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The document {@code Document.parse} would make of the payload's JSON text, read from Jackson's tokens. The same
     * types: an integer that fits 32 bits is an Int32, a larger one an Int64 (the value decides, not the Java type, as
     * in the text), a fraction a Double, and a non-finite double the string Jackson writes for it ("NaN",
     * "Infinity"), bytes their Base64 text. Unlike {@code Document.parse}, a key such as {@code $date} is only a key.
     */
    private static Document readObject(JsonParser parser) throws IOException {
        Document document = new Document();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            document.put(name, readValue(parser));
        }
        return document;
    }

    private static Object readValue(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> readObject(parser);
            case START_ARRAY -> {
                List<Object> values = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    values.add(readValue(parser));
                }
                yield values;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? integer(parser.getBigIntegerValue()) : narrowest(parser.getLongValue());
            case VALUE_NUMBER_FLOAT -> fraction(parser.getNumberValue());
            case VALUE_EMBEDDED_OBJECT -> {
                if (parser.getEmbeddedObject() instanceof byte[] bytes) {
                    yield java.util.Base64.getEncoder().encodeToString(bytes);
                }
                throw new IllegalStateException("unexpected embedded value " + parser.getEmbeddedObject());
            }
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IllegalStateException("unexpected JSON token " + parser.currentToken());
        };
    }

    /** What the text of a float, double or decimal token reads as: Jackson prints a float and a decimal as text. */
    private static Object fraction(Number number) {
        if (number instanceof java.math.BigDecimal decimal) {
            String text = decimal.toString();
            return text.indexOf('.') < 0 && text.indexOf('E') < 0 ? integer(new java.math.BigInteger(text)) : (Object) Double.parseDouble(text);
        }
        double value = number instanceof Float single ? Double.parseDouble(single.toString()) : number.doubleValue();
        return Double.isFinite(value) ? (Object) value : Double.toString(value);
    }

    private static Object integer(java.math.BigInteger value) {
        return value.bitLength() < Long.SIZE ? narrowest(value.longValue()) : new Decimal128(new java.math.BigDecimal(value));
    }

    private static Object narrowest(long value) {
        return value == (int) value ? (Object) (int) value : (Object) value;
    }

    public static <T extends Record> T fromDocument(Document document, Class<T> type) {
        try (TokenBuffer tokens = new TokenBuffer(EventJson.mapper(), false)) {
            tokens.writeStartObject();
            for (var field : document.entrySet()) {
                if (!SERVICE_FIELDS.contains(field.getKey())) {
                    tokens.writeFieldName(field.getKey());
                    writeValue(tokens, field.getValue());
                }
            }
            tokens.writeEndObject();
            return EventJson.mapper().readValue(tokens.asParser(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fields of the stored document that are not the record's. */
    private static final java.util.Set<String> SERVICE_FIELDS = java.util.Set.of("_id", Outbox.FIELD, Outbox.STAGINGS, Outbox.STAGED, Outbox.INSERTED_BY);

    /** A stored value as JSON tokens, for the record mapping to read (no text in between). */
    private static void writeValue(TokenBuffer tokens, Object value) throws IOException {
        if (value == null) {
            tokens.writeNull();
        } else if (value instanceof String text) {
            tokens.writeString(text);
        } else if (value instanceof Integer number) {
            tokens.writeNumber(number);
        } else if (value instanceof Long number) {
            tokens.writeNumber(number);
        } else if (value instanceof Double number) {
            tokens.writeNumber(number);
        } else if (value instanceof Boolean flag) {
            tokens.writeBoolean(flag);
        } else if (value instanceof java.util.Map<?, ?> map) {
            tokens.writeStartObject();
            for (var field : map.entrySet()) {
                tokens.writeFieldName(String.valueOf(field.getKey()));
                writeValue(tokens, field.getValue());
            }
            tokens.writeEndObject();
        } else if (value instanceof List<?> list) {
            tokens.writeStartArray();
            for (Object element : list) {
                writeValue(tokens, element);
            }
            tokens.writeEndArray();
        } else if (value instanceof Decimal128 number) {
            tokens.writeNumber(number.bigDecimalValue());
        } else if (value instanceof java.util.Date date) {
            tokens.writeString(date.toInstant().toString());
        } else {
            // ObjectId and the like: never a record's field; as text, so an unknown field is still only ignored.
            tokens.writeString(value.toString());
        }
    }
}
