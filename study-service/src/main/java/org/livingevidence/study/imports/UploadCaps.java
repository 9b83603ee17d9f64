package org.livingevidence.study.imports;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.livingevidence.support.problems.BodySizeLimit;

/**
 * The caps of each upload, from when its endpoint starts reading it: bytes, rows, line length, and how long it may
 * take to arrive ({@code evidence.imports.receive-within}, 2 minutes: 16 MiB at 140 KB/s). An upload holds one of the
 * few places {@link UploadAdmission} gives while it arrives, so one trickled in slowly, a byte now and then, must not
 * keep it for as long as its client likes.
 */
@Singleton
class UploadCaps {

    private final Duration receiveWithin;

    UploadCaps(@Value("${evidence.imports.receive-within:2m}") Duration receiveWithin) {
        if (receiveWithin.isZero() || receiveWithin.isNegative()) {
            throw new IllegalArgumentException("evidence.imports.receive-within must be positive, not " + receiveWithin);
        }
        this.receiveWithin = receiveWithin;
    }

    /** The caps of an upload whose body starts to be read now. */
    ImportRows.Caps startingNow() {
        return new ImportRows.Caps(BodySizeLimit.UPLOAD_BYTES, OutcomeRecordImportController.MAX_ROWS,
                OutcomeRecordImportController.MAX_LINE_CHARS, receiveWithin, System.nanoTime() + receiveWithin.toNanos());
    }
}
