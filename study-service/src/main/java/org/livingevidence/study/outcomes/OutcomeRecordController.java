package org.livingevidence.study.outcomes;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.livingevidence.contracts.events.DerivedEffect;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.study.Attribution;
import org.livingevidence.study.Ids;
import org.livingevidence.study.questions.QuestionRepository;
import org.livingevidence.support.derivation.ReportedOutcomeDerivation;
import org.livingevidence.support.problems.InputProblem;

@Controller("/api/v1")
public class OutcomeRecordController {

    private final QuestionRepository questions;
    private final OutcomeRecordRepository records;
    private final Clock clock;

    OutcomeRecordController(QuestionRepository questions, OutcomeRecordRepository records, Clock clock) {
        this.questions = questions;
        this.records = records;
        this.clock = clock;
    }

    @Post("/questions/{questionId}/outcome-records")
    HttpResponse<OutcomeRecordRevised> add(@PathVariable String questionId, @Body OutcomeRecordRequest request) {
        QuestionRevised question = questions.find(questionId).orElseThrow(() -> InputProblem.notFound("question", questionId));
        if (request == null) {
            throw InputProblem.invalid("body", "a JSON outcome record is required");
        }
        request.validate(question.effectMeasure());
        DerivedEffect derived = ReportedOutcomeDerivation.derive(request.reported());
        OutcomeRecordRevised record = new OutcomeRecordRevised(Ids.newRecordId(), questionId,
                request.studyId() == null ? Ids.newStudyId() : request.studyId(), 1,
                OutcomeRecordRevised.RecordStatus.ACTIVE, request.studyLabel().strip(), request.publicationYear(),
                request.reported(), derived, clock.instant(), Attribution.UNAUTHENTICATED, null, request.studyDesign());
        records.insert(record);
        return HttpResponse.created(record, URI.create("/api/v1/outcome-records/" + record.recordId()));
    }

    @Get("/questions/{questionId}/outcome-records")
    List<OutcomeRecordRevised> list(@PathVariable String questionId) {
        questions.find(questionId).orElseThrow(() -> InputProblem.notFound("question", questionId));
        return records.forQuestion(questionId);
    }

    @Get("/outcome-records/{recordId}")
    OutcomeRecordRevised get(@PathVariable String recordId) {
        return records.find(recordId).orElseThrow(() -> InputProblem.notFound("outcome record", recordId));
    }
}
