package org.livingevidence.study.imports;

import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.livingevidence.support.problems.BodySizeLimit;

/**
 * The caps of each upload, from when its endpoint starts reading it: bytes, rows, line length, and how long it may
 * take to arrive ({@code evidence.imports.receive-within}, 2 minutes: 16 MiB at 140 KB/s). An upload holds one of the
 * few places {@link UploadAdmission} gives while it arrives, so one trickled in slowly, a byte now and then, must not
 * keep it for as long as its client likes; nor one whose client stops sending altogether.
 */
@Singleton
class UploadCaps implements AutoCloseable {

    private final Duration receiveWithin;
    /** Wakes the readers of uploads still waiting for bytes at their deadline. */
    private final ScheduledExecutorService alarms;

    UploadCaps(@Value("${evidence.imports.receive-within:2m}") Duration receiveWithin) {
        if (receiveWithin.isZero() || receiveWithin.isNegative()) {
            throw new IllegalArgumentException("evidence.imports.receive-within must be positive, not " + receiveWithin);
        }
        this.receiveWithin = receiveWithin;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "upload-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.alarms = executor;
    }

    /**
     * Reads an upload with {@code read} under its caps. A read that checks the deadline only when bytes arrive would
     * wait for a silent client until the connection's idle timeout closed it (5 minutes), holding its place and its
     * request thread all along: at the deadline a read still under way is woken instead (interrupted: Micronaut's
     * body stream wakes a waiting reader for nothing else), and the upload is answered 408 as one arriving too slowly.
     */
    <T> T read(Function<ImportRows.Caps, T> read) {
        ImportRows.Caps caps = new ImportRows.Caps(BodySizeLimit.UPLOAD_BYTES, OutcomeRecordImportController.MAX_ROWS,
                OutcomeRecordImportController.MAX_LINE_CHARS, receiveWithin, System.nanoTime() + receiveWithin.toNanos());
        Reader reader = new Reader(Thread.currentThread());
        ScheduledFuture<?> alarm;
        try {
            alarm = alarms.schedule(reader::wake, receiveWithin.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // The service is stopping: the read goes on without its alarm (the deadline is still checked as bytes
            // arrive), rather than the upload failing with a fault of ours.
            alarm = null;
        }
        try {
            return read.apply(caps);
        } catch (RuntimeException e) {
            if (reader.woken()) {
                throw OutcomeRecordImportController.tooSlow(new ImportRows.TooSlow(tooSlowly(caps)));
            }
            throw e;
        } finally {
            if (alarm != null) {
                alarm.cancel(false);
            }
            reader.done();
        }
    }

    static String tooSlowly(ImportRows.Caps caps) {
        return "was still arriving after " + caps.receiveWithin().toSeconds() + " seconds; send it faster or in smaller uploads";
    }

    /**
     * The thread reading one upload. Waking and finishing hold its lock, so an interrupt is never delivered after the
     * read has finished: it would reach whatever the pooled request thread does next.
     */
    private static final class Reader {
        private final Thread thread;
        private boolean reading = true;
        private boolean woken;

        Reader(Thread thread) {
            this.thread = thread;
        }

        synchronized void wake() {
            if (reading) {
                woken = true;
                thread.interrupt();
            }
        }

        synchronized boolean woken() {
            return woken;
        }

        synchronized void done() {
            reading = false;
            if (woken) {
                Thread.interrupted();
            }
        }
    }

    @PreDestroy
    @Override
    public void close() {
        alarms.shutdownNow();
    }
}
