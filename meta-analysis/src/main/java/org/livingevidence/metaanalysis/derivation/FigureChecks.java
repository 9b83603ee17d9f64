package org.livingevidence.metaanalysis.derivation;

/** Checks on single reported figures, each naming the field it checks. */
final class FigureChecks {

    private FigureChecks() {
    }

    static void positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new InvalidReportedFigures(field, "must be a finite number greater than 0, was " + value);
        }
    }

    static void finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidReportedFigures(field, "must be a finite number, was " + value);
        }
    }

    static void count(String field, double value) {
        if (!(value >= 0) || value != Math.rint(value) || Double.isInfinite(value)) {
            throw new InvalidReportedFigures(field, "must be a whole number of at least 0, was " + value);
        }
    }

    static void eventsWithinTotal(String eventsField, double events, String totalField, double total) {
        count(eventsField, events);
        count(totalField, total);
        if (total < 1) {
            throw new InvalidReportedFigures(totalField, "must be at least 1, was " + total);
        }
        if (events > total) {
            throw new InvalidReportedFigures(eventsField, "cannot exceed " + totalField + " (" + total + "), was " + events);
        }
    }

    static void proportion(String field, double value) {
        if (!(value > 0 && value < 1)) {
            throw new InvalidReportedFigures(field, "must be a proportion strictly between 0 and 1 (0.74 for 74%), was " + value);
        }
    }
}
