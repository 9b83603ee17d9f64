package org.livingevidence.support.outbox;

import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbox relay's settings ({@code evidence.outbox.*}), checked at start-up: a value the relay cannot work with
 * stops the service with a message naming each such setting and its environment variable, instead of a relay that
 * spins (a poll interval of 0), reads every waiting entry per pass (a batch of 0 is MongoDB's "no limit") or never
 * paces (a lag bound of 0).
 */
record RelaySettings(Duration pollInterval, int batchDocuments, long maxLag, long personMaxLag, Duration personWindow,
                     Duration stalledAfter, Duration rescanInterval) {

    private static final String PREFIX = "evidence.outbox.";

    RelaySettings {
        List<String> problems = new ArrayList<>();
        positive(problems, "poll-interval", pollInterval);
        if (batchDocuments < 1) {
            problems.add(named("batch-documents") + " must be at least 1, was " + batchDocuments);
        }
        if (maxLag < 1) {
            problems.add(named("bulk-pacing.max-lag") + " must be at least 1, was " + maxLag);
        }
        if (personMaxLag < 1) {
            problems.add(named("bulk-pacing.person-max-lag") + " must be at least 1, was " + personMaxLag);
        }
        notNegative(problems, "bulk-pacing.person-window", personWindow);
        positive(problems, "bulk-pacing.stalled-after", stalledAfter);
        notNegative(problems, "rescan-interval", rescanInterval);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("; ", problems));
        }
    }

    private static void positive(List<String> problems, String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(named(name) + " must be longer than 0s, was " + value);
        }
    }

    private static void notNegative(List<String> problems, String name, Duration value) {
        if (value.isNegative()) {
            problems.add(named(name) + " must be 0s or longer, was " + value);
        }
    }

    /**
     * The setting and the variable that sets it: study-service's application.yml names the pacing's variables
     * {@code EVIDENCE_BULK_PACING_*}; the others are Micronaut's mapping of the property.
     */
    private static String named(String name) {
        String variable = name.startsWith("bulk-pacing.") ? "EVIDENCE_" + name.replace('.', '_').replace('-', '_')
                : "EVIDENCE_OUTBOX_" + name.replace('-', '_');
        return PREFIX + name + " (" + variable.toUpperCase(java.util.Locale.ROOT) + ")";
    }
}
