package org.livingevidence.support.deadletters;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.livingevidence.support.events.EventConsumers;
import org.livingevidence.support.events.EventDecoder;
import org.livingevidence.support.events.EventHandler;
import org.livingevidence.support.events.Failures;
import org.livingevidence.support.events.IncomingEvent;
import org.livingevidence.support.events.UndecodableEvent;
import org.livingevidence.support.paging.PageRequest;
import org.livingevidence.support.paging.PagedResponses;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.Problem;
import org.livingevidence.support.problems.ProblemTypes;
import org.livingevidence.support.security.Caller;
import org.livingevidence.support.security.Roles;

/**
 * Operators' view of what this service's consumers set aside, and re-driving: once the cause is fixed (a bug
 * deployed, a question re-published), the record exactly as consumed goes through its consumer's handler again.
 */
@Controller("/api/v1/admin/dead-letters")
@Secured(Roles.ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class DeadLetterController {

    private static final Map<String, String> SORTS = new LinkedHashMap<>(Map.of("recordedAt", "recordedAtMillis"));

    private final DeadLetterStore store;
    private final EventConsumers consumers;

    DeadLetterController(DeadLetterStore store, EventConsumers consumers) {
        this.store = store;
        this.consumers = consumers;
    }

    /** Newest first; {@code status} OPEN (not yet re-driven) or REDRIVEN. */
    @Get
    HttpResponse<List<DeadLetterStore.DeadLetter>> list(HttpRequest<?> http, @QueryValue @Nullable DeadLetterStore.Status status,
                                                         @QueryValue @Nullable Integer offset, @QueryValue @Nullable Integer limit) {
        PageRequest paging = PageRequest.of(offset, limit, null, SORTS);
        return PagedResponses.of(http, store.page(status, paging), paging);
    }

    @Get("/{id}")
    DeadLetterStore.DeadLetter get(@PathVariable String id) {
        return store.find(id).orElseThrow(() -> InputProblem.notFound("dead letter", id));
    }

    /** Hands the record to its consumer's handler again: 200 when it now succeeds, 422 naming why when it still fails. */
    @Post("/{id}/redrive")
    DeadLetterStore.DeadLetter redrive(@PathVariable String id, Authentication admin) {
        DeadLetterStore.DeadLetter letter = store.find(id).orElseThrow(() -> InputProblem.notFound("dead letter", id));
        if (letter.status() == DeadLetterStore.Status.REDRIVEN) {
            throw InputProblem.conflict("status", "dead letter " + id + " was re-driven already");
        }
        EventHandler handler = consumers.handler(letter.event().consumerGroup()).orElseThrow(() -> InputProblem.conflict(
                "consumerGroup", "no consumer of group " + letter.event().consumerGroup() + " runs in this service instance"));
        ConsumerRecord<String, byte[]> record = store.raw(id).orElseThrow();
        try {
            IncomingEvent event = EventDecoder.decode(record);
            handler.handleAll(List.of(event));
        } catch (UndecodableEvent e) {
            throw stillFailing(id, "the record still cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
            if (Failures.isTransient(e)) {
                throw new InputProblem(409, ProblemTypes.CONFLICT, "Conflict", "re-driving " + id + " met a passing failure ("
                        + e.getMessage() + "); try again", List.of(new Problem.FieldError("id", "try again")));
            }
            throw stillFailing(id, "the handler still fails: " + e);
        }
        store.markRedriven(id, Caller.of(admin).principalId());
        return store.find(id).orElseThrow();
    }

    private InputProblem stillFailing(String id, String why) {
        store.markRedriveFailed(id, why);
        return InputProblem.invalid("id", why);
    }
}
