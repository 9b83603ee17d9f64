package org.livingevidence.contracts;

import java.util.List;

/** A payload that does not satisfy its event type's JSON Schema. */
public final class ContractViolation extends RuntimeException {

    private final transient List<String> errors;

    public ContractViolation(EventType type, List<String> errors) {
        super(type.ceType() + " payload violates " + type.schemaResource() + ": " + String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
