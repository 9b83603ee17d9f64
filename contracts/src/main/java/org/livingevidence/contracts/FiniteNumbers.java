package org.livingevidence.contracts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Request bodies and event payloads carry finite numbers only. JSON has no Infinity or NaN, but a literal like
 * {@code 1e400} overflows to Infinity and the string {@code "NaN"} coerces to NaN; stored, such a value breaks every
 * computation and every event built from it (a schema's bounds do not catch it: the validator takes Infinity as above
 * any minimum). Refused while reading, so the error names the field ({@code settings.minimalImportantDifference}).
 * Registered on the services' HTTP mapping and on {@link EventJson}'s.
 */
public final class FiniteNumbers {

    private FiniteNumbers() {
    }

    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("finite-numbers");
        module.addDeserializer(Double.class, new Finite());
        module.addDeserializer(double.class, new Finite());
        return module;
    }

    private static final class Finite extends JsonDeserializer<Double> {
        @Override
        public Double deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
                return (Double) context.handleUnexpectedToken(Double.class, parser);
            }
            double value = parser.getDoubleValue();
            if (!Double.isFinite(value)) {
                return (Double) context.handleWeirdNumberValue(Double.class, value,
                        "must be a finite number (" + parser.getText() + " is out of range)");
            }
            return value;
        }
    }
}
