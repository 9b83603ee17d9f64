package org.livingevidence.infrastructure.mongo;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The top-level fields a query looks at, and how to take just those out of a stored document's BSON bytes.
 *
 * <p>A collection scan matches every stored document against the query. Decoding each whole document for that cost
 * two thirds of the server's CPU during an import (estimates, projections and their long arrays), where the query
 * reads one or two fields. A document holding only the fields the query names matches the query exactly as the whole
 * document does, so a scan decodes those fields, and a whole document only when that part matches.
 */
final class QueryFields {

    private static final Set<String> LOGICAL = Set.of("$and", "$or", "$nor");

    private final String[] names;
    private final byte[][] encodedNames;

    private QueryFields(Set<String> names) {
        this.names = names.toArray(String[]::new);
        this.encodedNames = Arrays.stream(this.names).map(n -> n.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    /**
     * The fields {@code query} names, or empty when it is not only conditions on fields joined by {@code $and},
     * {@code $or} and {@code $nor} (an operator such as {@code $expr} or {@code $where} may read any field).
     */
    static Optional<QueryFields> of(Document query) {
        Set<String> names = new LinkedHashSet<>();
        return collect(query, names) ? Optional.of(new QueryFields(names)) : Optional.empty();
    }

    private static boolean collect(Map<String, Object> query, Set<String> names) {
        for (Map.Entry<String, Object> condition : query.entrySet()) {
            String key = condition.getKey();
            if (LOGICAL.contains(key)) {
                if (!(condition.getValue() instanceof List<?> clauses)) {
                    return false;
                }
                for (Object clause : clauses) {
                    if (!(clause instanceof Document clauseDocument) || !collect(clauseDocument, names)) {
                        return false;
                    }
                }
            } else if (key.equals("$comment")) {
                continue;
            } else if (key.startsWith("$")) {
                return false;
            } else if (key.isEmpty() || key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
                // The matcher reads a path with an empty step as one field named by the whole key.
                return false;
            } else {
                int dot = key.indexOf('.');
                names.add(dot < 0 ? key : key.substring(0, dot));
            }
        }
        return true;
    }

    /** A document of the named fields {@code bson} has, decoded; the others are skipped by their lengths. */
    Document pick(byte[] bson) {
        Document picked = new Document();
        int position = 4;
        int end = bson.length - 1;
        while (position < end) {
            byte type = bson[position++];
            int nameStart = position;
            while (bson[position] != 0) {
                position++;
            }
            int nameEnd = position++;
            int valueLength = valueLength(type, bson, position);
            int wanted = indexOf(bson, nameStart, nameEnd);
            if (wanted >= 0) {
                picked.put(names[wanted], BsonDecoder.decodeValue(type, Unpooled.wrappedBuffer(bson, position, valueLength)));
            }
            position += valueLength;
        }
        return picked;
    }

    private int indexOf(byte[] bson, int from, int to) {
        for (int i = 0; i < encodedNames.length; i++) {
            if (Arrays.equals(bson, from, to, encodedNames[i], 0, encodedNames[i].length)) {
                return i;
            }
        }
        return -1;
    }

    /** The length of a value of BSON {@code type} that starts at {@code at} (bsonspec.org, version 1.1). */
    private static int valueLength(byte type, byte[] bson, int at) {
        return switch (type) {
            case 0x06, 0x0A, (byte) 0xFF, 0x7F -> 0; // undefined, null, min key, max key
            case 0x08 -> 1; // boolean
            case 0x10 -> 4; // int32
            case 0x01, 0x09, 0x11, 0x12 -> 8; // double, UTC datetime, timestamp, int64
            case 0x07 -> 12; // ObjectId
            case 0x13 -> 16; // decimal128
            case 0x02, 0x0D, 0x0E -> 4 + int32(bson, at); // string, JavaScript, symbol
            case 0x03, 0x04, 0x0F -> int32(bson, at); // document, array, code with scope: their lengths include themselves
            case 0x05 -> 5 + int32(bson, at); // binary: length, subtype, bytes
            case 0x0C -> 4 + int32(bson, at) + 12; // DB pointer: string, ObjectId
            case 0x0B -> { // regular expression: two C strings
                int end = at;
                for (int strings = 0; strings < 2; strings++) {
                    while (bson[end] != 0) {
                        end++;
                    }
                    end++;
                }
                yield end - at;
            }
            default -> throw new IllegalArgumentException("unknown BSON type 0x" + Integer.toHexString(type & 0xFF));
        };
    }

    private static int int32(byte[] bson, int at) {
        return (bson[at] & 0xFF) | (bson[at + 1] & 0xFF) << 8 | (bson[at + 2] & 0xFF) << 16 | (bson[at + 3] & 0xFF) << 24;
    }
}
