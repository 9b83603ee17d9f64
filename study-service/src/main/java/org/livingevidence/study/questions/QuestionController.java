package org.livingevidence.study.questions;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.study.Attribution;
import org.livingevidence.study.Ids;
import org.livingevidence.support.problems.InputProblem;

@Controller("/api/v1/questions")
public class QuestionController {

    private final QuestionRepository repository;
    private final Clock clock;

    QuestionController(QuestionRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    @Post
    HttpResponse<QuestionRevised> define(@Body QuestionRequest request) {
        if (request == null) {
            throw InputProblem.invalid("body", "a JSON question is required");
        }
        request.validate();
        QuestionRevised question = new QuestionRevised(Ids.newQuestionId(), 1, request.title().strip(), request.pico(),
                request.effectMeasure(), request.benefitDirection(), request.settingsOrDefaults(),
                QuestionRevised.QuestionStatus.ACTIVE, clock.instant(), Attribution.UNAUTHENTICATED);
        repository.insert(question);
        return HttpResponse.created(question, URI.create("/api/v1/questions/" + question.questionId()));
    }

    @Get
    List<QuestionRevised> list() {
        return repository.all();
    }

    @Get("/{questionId}")
    QuestionRevised get(@PathVariable String questionId) {
        return repository.find(questionId).orElseThrow(() -> InputProblem.notFound("question", questionId));
    }
}
