package org.livingevidence.study.imports;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.RouteMatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.livingevidence.study.outcomes.RecordsByHand;
import org.livingevidence.support.problems.BodySizeLimit;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.Problem;
import org.livingevidence.support.problems.ProblemResponses;
import org.livingevidence.support.problems.UploadEndpoint;

/**
 * At most {@code evidence.imports.concurrent-uploads} uploads in progress on this instance, each counted from its
 * headers to its response; one more is answered 429 with {@code Retry-After} before its body is read. An upload holds
 * a request thread while it is parsed and while its batches wait their turn to be written ({@link RowImport}), and
 * those are the threads a curator's single record needs too: 100 uploads sent at once took every one of them, and a
 * curator's record waited up to 11.65 s behind them (docs/performance.md). After security, so a request without a
 * valid key is answered 401 and never takes a place, and after {@link BodySizeLimit}, so an oversized upload is told
 * 413, not to retry. Only requests the router gives to an {@link UploadEndpoint} take a place: by route, not by
 * path, so that neither a path the router matches more loosely (a trailing slash) bypasses the bound nor a request
 * no endpoint takes (a media type it does not consume, answered 415 without security's check) takes a place.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class UploadAdmission implements Ordered {

    static final int RETRY_AFTER_SECONDS = 2;
    /** Set on a request that took a place, and cleared when it gives it back, so that a place is given back once. */
    private static final String PLACE = UploadAdmission.class.getName() + ".place";

    private final int concurrentUploads;
    /** Told of each upload in progress: a record entered by hand meanwhile makes imports give way (ImportPace). */
    private final RecordsByHand byHand;
    private final Semaphore places;
    private final Counter turnedAway;

    UploadAdmission(@Value("${evidence.imports.concurrent-uploads:8}") int concurrentUploads, RecordsByHand byHand,
                    MeterRegistry registry) {
        if (concurrentUploads < 1) {
            throw new IllegalArgumentException("evidence.imports.concurrent-uploads must be at least 1, not " + concurrentUploads);
        }
        this.concurrentUploads = concurrentUploads;
        this.byHand = byHand;
        this.places = new Semaphore(concurrentUploads);
        Gauge.builder("evidence.imports.uploads.in.progress", places, p -> concurrentUploads - p.availablePermits())
                .description("uploads being received, parsed or written on this instance (evidence.imports.concurrent-uploads)")
                .register(registry);
        this.turnedAway = Counter.builder("evidence.imports.uploads.turned.away")
                .description("uploads answered 429 because every place was taken").register(registry);
    }

    @Override
    public int getOrder() {
        return BodySizeLimit.ORDER + 1;
    }

    @RequestFilter
    @Nullable
    HttpResponse<Problem> admit(HttpRequest<?> request, @Nullable RouteMatch<?> route) {
        if (route == null || !route.getAnnotationMetadata().hasAnnotation(UploadEndpoint.class)) {
            return null;
        }
        if (!places.tryAcquire()) {
            turnedAway.increment();
            return ProblemResponses.of(request, InputProblem.tooManyRequests("this instance is taking " + concurrentUploads
                    + " uploads already", "not read: every upload place is taken", RETRY_AFTER_SECONDS));
        }
        request.setAttribute(PLACE, new AtomicBoolean(true));
        byHand.uploadBegan();
        return null;
    }

    @ResponseFilter
    void giveBack(HttpRequest<?> request) {
        request.getAttribute(PLACE, AtomicBoolean.class).filter(held -> held.compareAndSet(true, false))
                .ifPresent(held -> {
                    byHand.uploadEnded();
                    places.release();
                });
    }
}
