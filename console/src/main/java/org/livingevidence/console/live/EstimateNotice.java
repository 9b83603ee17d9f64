package org.livingevidence.console.live;

import java.time.Instant;

/** That a question has a new estimate version: the page then reads it through the API, with its reader's rights. */
public record EstimateNotice(String questionId, long estimateVersion, Instant computedAt, int k) {
}
