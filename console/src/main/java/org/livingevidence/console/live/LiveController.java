package org.livingevidence.console.live;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.livingevidence.console.gateway.ConsoleProblems;
import org.livingevidence.console.gateway.ServiceRoutes;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * {@code GET /live/questions/{id}}: server-sent events, one {@code estimate} event per new estimate version of the
 * question, a {@code ready} event once the stream is open (a page reads the estimate then, so nothing published
 * while it connected is missed) and a {@code ping} every 20 seconds so idle connections stay open. Whoever may read
 * the question's estimate from analysis-service may watch it: the console asks analysis-service with the caller's
 * own token before it streams anything.
 */
@Controller("/live")
public class LiveController {

    private static final Pattern QUESTION_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    static final Duration PING = Duration.ofSeconds(20);

    private final EstimateNotices notices;
    private final ServiceRoutes routes;
    private final HttpClient client;

    LiveController(EstimateNotices notices, ServiceRoutes routes, HttpClient client) {
        this.notices = notices;
        this.routes = routes;
        this.client = client;
    }

    @Get(value = "/questions/{questionId}", produces = MediaType.TEXT_EVENT_STREAM)
    @ExecuteOn(TaskExecutors.BLOCKING)
    HttpResponse<?> watch(@PathVariable String questionId, @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization) {
        String instance = "/live/questions/" + questionId;
        if (!QUESTION_ID.matcher(questionId).matches()) {
            return ConsoleProblems.notFound(instance);
        }
        HttpResponse<?> refusal = refusal(questionId, authorization, instance);
        if (refusal != null) {
            return refusal;
        }
        Publisher<Event<?>> events = Flux.concat(
                Flux.just(Event.of((Object) Map.of("questionId", questionId)).name("ready")),
                Flux.merge(notices.watch(questionId).map(notice -> Event.of((Object) notice).name("estimate").id(Long.toString(notice.estimateVersion()))),
                        Flux.interval(PING, PING).map(tick -> Event.of((Object) Map.of()).name("ping"))));
        return HttpResponse.ok(events).contentType(MediaType.TEXT_EVENT_STREAM_TYPE).header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /** Null when the caller may read the question's estimate (or would, once it has one); else the service's answer. */
    private HttpResponse<?> refusal(String questionId, String authorization, String instance) {
        URI estimate = routes.analysis().resolve("/api/v1/questions/" + questionId + "/estimate");
        var request = HttpRequest.HEAD(estimate.toString());
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        try {
            client.toBlocking().exchange(request);
            return null;
        } catch (HttpClientResponseException e) {
            HttpStatus status = e.getStatus();
            if (status == HttpStatus.NOT_FOUND) {
                return null;
            }
            if (status == HttpStatus.UNAUTHORIZED || status == HttpStatus.FORBIDDEN) {
                return ConsoleProblems.refused(status, instance);
            }
            return ConsoleProblems.serviceUnavailable("analysis", instance);
        } catch (RuntimeException e) {
            return ConsoleProblems.serviceUnavailable("analysis", instance);
        }
    }
}
