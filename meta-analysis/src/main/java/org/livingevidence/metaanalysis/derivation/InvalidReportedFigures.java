package org.livingevidence.metaanalysis.derivation;

/** Reported figures that cannot be right (a CI that excludes its estimate, a non-positive ratio...). */
public final class InvalidReportedFigures extends IllegalArgumentException {

    private final String field;

    public InvalidReportedFigures(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The offending input field, e.g. {@code lower}. */
    public String field() {
        return field;
    }

    /** The message without the field prefix. */
    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}
