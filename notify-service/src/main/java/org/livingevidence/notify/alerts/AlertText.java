package org.livingevidence.notify.alerts;

import java.util.Locale;
import java.util.stream.Collectors;
import org.livingevidence.contracts.alerts.Alert;

/** How an alert reads in an email subject or a feed entry title. */
public final class AlertText {

    private AlertText() {
    }

    /** "significance flip, new study". */
    public static String kinds(Alert alert) {
        return alert.data().shiftTypes().stream().map(k -> k.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining(", "));
    }

    /** The question's title, or its id when the title is not known. */
    public static String question(Alert alert) {
        return alert.data().questionTitle() == null ? alert.data().questionId() : alert.data().questionTitle();
    }
}
