package org.livingevidence.console.live;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.sse.Event;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.livingevidence.console.gateway.ConsoleProblems;
import org.livingevidence.console.gateway.ServiceRoutes;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /live/questions/{id}}: server-sent events, one {@code estimate} event per new estimate version of the
 * question, a {@code ready} event once the stream is open (and again whenever the console resumed following the
 * topic: a page reads the estimate then, so nothing published meanwhile is missed) and a {@code ping} every 20
 * seconds so idle connections stay open.
 *
 * <p>Whoever may read the question's estimate from analysis-service may watch it: the console asks analysis-service
 * with the caller's own token before it streams anything (without blocking a thread, for at most
 * {@link #ACCESS_CHECK_TIMEOUT}). A stream ends after {@link #STREAM_LIFETIME}, so the page reconnects and a revoked
 * key stops hearing; at most {@code evidence.console.max-live-streams} are open at once (then 503, retry later).
 */
@Controller("/live")
public class LiveController {

    private static final Pattern QUESTION_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    static final Duration PING = Duration.ofSeconds(20);
    static final Duration ACCESS_CHECK_TIMEOUT = Duration.ofSeconds(3);
    static final Duration STREAM_LIFETIME = Duration.ofMinutes(15);

    private final EstimateNotices notices;
    private final ServiceRoutes routes;
    private final HttpClient client;
    private final int maxStreams;
    private final AtomicInteger open = new AtomicInteger();

    LiveController(EstimateNotices notices, ServiceRoutes routes, HttpClient client,
                   @Value("${evidence.console.max-live-streams:1000}") int maxStreams) {
        this.notices = notices;
        this.routes = routes;
        this.client = client;
        this.maxStreams = maxStreams;
    }

    @Get(value = "/questions/{questionId}", produces = MediaType.TEXT_EVENT_STREAM)
    Mono<MutableHttpResponse<?>> watch(@PathVariable String questionId, @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization) {
        String instance = "/live/questions/" + questionId;
        if (!QUESTION_ID.matcher(questionId).matches()) {
            return Mono.just(ConsoleProblems.notFound(instance));
        }
        return access(questionId, authorization, instance).switchIfEmpty(Mono.fromSupplier(() -> stream(questionId, instance)));
    }

    private MutableHttpResponse<?> stream(String questionId, String instance) {
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            return ConsoleProblems.busy("live streams", instance);
        }
        Flux<Event<?>> events = Flux.concat(
                        Flux.just(ready(questionId)),
                        Flux.merge(notices.watch(questionId).map(notice -> notice.questionId() == null ? ready(questionId)
                                        : Event.of((Object) notice).name("estimate").id(Long.toString(notice.estimateVersion()))),
                                Flux.interval(PING, PING).map(tick -> Event.of((Object) Map.of()).name("ping"))))
                .take(STREAM_LIFETIME)
                .doFinally(signal -> open.decrementAndGet());
        return HttpResponse.ok(events).contentType(MediaType.TEXT_EVENT_STREAM_TYPE).header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    private static Event<?> ready(String questionId) {
        return Event.of((Object) Map.of("questionId", questionId)).name("ready");
    }

    /**
     * Empty when the caller may read the question's estimate (a 404 too: no estimate yet, and reads are not per
     * question today, see docs/security.md); else the refusal to answer with.
     */
    private Mono<MutableHttpResponse<?>> access(String questionId, String authorization, String instance) {
        URI estimate = routes.analysis().resolve("/api/v1/questions/" + questionId + "/estimate");
        var request = HttpRequest.HEAD(estimate.toString());
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return Mono.from(client.exchange(request)).timeout(ACCESS_CHECK_TIMEOUT).then(Mono.<MutableHttpResponse<?>>empty())
                .onErrorResume(e -> {
                    if (e instanceof HttpClientResponseException refused) {
                        HttpStatus status = refused.getStatus();
                        if (status == HttpStatus.NOT_FOUND) {
                            return Mono.empty();
                        }
                        if (status == HttpStatus.UNAUTHORIZED || status == HttpStatus.FORBIDDEN) {
                            return Mono.just(ConsoleProblems.refused(status, instance));
                        }
                    }
                    return Mono.just(ConsoleProblems.serviceUnavailable("analysis", instance));
                });
    }
}
