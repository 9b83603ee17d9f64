package org.livingevidence.support.outbox;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelaySettingsTest {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Duration STALLED = Duration.ofSeconds(30);
    private static final Duration RESCAN = Duration.ofSeconds(1);

    @Test
    void acceptsTheDefaultsAndTheDocumentedWaysToSwitchThingsOff() {
        assertThatCode(() -> new RelaySettings(POLL, 500, 2000, 300, WINDOW, STALLED, RESCAN)).doesNotThrowAnyException();
        // A person window of 0s switches the person bound off; a rescan interval of 0s scans on every pass.
        assertThatCode(() -> new RelaySettings(POLL, 1, 1, 1, Duration.ZERO, STALLED, Duration.ZERO)).doesNotThrowAnyException();
        // A person bound above the max lag is allowed: the tighter of the two applies.
        assertThatCode(() -> new RelaySettings(POLL, 500, 200, 300, WINDOW, STALLED, RESCAN)).doesNotThrowAnyException();
    }

    @Test
    void refusesEachValueTheRelayCannotWorkWithByItsSettingsName() {
        assertThatThrownBy(() -> new RelaySettings(Duration.ZERO, 500, 2000, 300, WINDOW, STALLED, RESCAN))
                .isInstanceOf(ConfigurationException.class).hasMessage("evidence.outbox.poll-interval (EVIDENCE_OUTBOX_POLL_INTERVAL) must be longer than 0s, was PT0S");
        assertThatThrownBy(() -> new RelaySettings(POLL, 0, 2000, 300, WINDOW, STALLED, RESCAN))
                .hasMessage("evidence.outbox.batch-documents (EVIDENCE_OUTBOX_BATCH_DOCUMENTS) must be at least 1, was 0");
        assertThatThrownBy(() -> new RelaySettings(POLL, 500, 0, 300, WINDOW, STALLED, RESCAN))
                .hasMessage("evidence.outbox.bulk-pacing.max-lag (EVIDENCE_BULK_PACING_MAX_LAG) must be at least 1, was 0");
        assertThatThrownBy(() -> new RelaySettings(POLL, 500, 2000, -5, WINDOW, STALLED, RESCAN))
                .hasMessage("evidence.outbox.bulk-pacing.person-max-lag (EVIDENCE_BULK_PACING_PERSON_MAX_LAG) must be at least 1, was -5");
        assertThatThrownBy(() -> new RelaySettings(POLL, 500, 2000, 300, Duration.ofSeconds(-1), STALLED, RESCAN))
                .hasMessage("evidence.outbox.bulk-pacing.person-window (EVIDENCE_BULK_PACING_PERSON_WINDOW) must be 0s or longer, was PT-1S");
        assertThatThrownBy(() -> new RelaySettings(POLL, 500, 2000, 300, WINDOW, Duration.ZERO, RESCAN))
                .hasMessage("evidence.outbox.bulk-pacing.stalled-after (EVIDENCE_BULK_PACING_STALLED_AFTER) must be longer than 0s, was PT0S");
        assertThatThrownBy(() -> new RelaySettings(POLL, 500, 2000, 300, WINDOW, STALLED, Duration.ofMillis(-1)))
                .hasMessage("evidence.outbox.rescan-interval (EVIDENCE_OUTBOX_RESCAN_INTERVAL) must be 0s or longer, was PT-0.001S");
    }

    @Test
    void namesEveryProblemAtOnce() {
        assertThatThrownBy(() -> new RelaySettings(Duration.ofMillis(-100), -1, 2000, 300, WINDOW, STALLED, RESCAN))
                .hasMessage("evidence.outbox.poll-interval (EVIDENCE_OUTBOX_POLL_INTERVAL) must be longer than 0s, was PT-0.1S; "
                        + "evidence.outbox.batch-documents (EVIDENCE_OUTBOX_BATCH_DOCUMENTS) must be at least 1, was -1");
    }
}
