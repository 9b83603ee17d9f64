package org.livingevidence.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a curator does through study-service's API: define questions, import records, enter one record. */
final class Curation {

    private final Stack stack;
    private final SyntheticRecords data;

    Curation(Stack stack, SyntheticRecords data) {
        this.stack = stack;
        this.data = data;
    }

    List<String> questions(int count, boolean sequential) throws Exception {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            JsonNode created = stack.postJson(stack.study(), "/api/v1/questions", sequential ? data.sequentialQuestion(i) : data.question(i));
            ids.add(created.get("questionId").asText());
        }
        return ids;
    }

    /** A JSON Lines upload of {@code count} records, numbered from {@code first}. */
    String importBody(int first, int count) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = first; i < first + count; i++) {
            body.append(Stack.JSON.writeValueAsString(data.record(i))).append('\n');
        }
        return body.toString();
    }

    /** Uploads an import and returns how many rows were accepted. */
    int upload(String questionId, String body) throws Exception {
        HttpResponse<String> response = stack.post(stack.study(), "/api/v1/questions/" + questionId + "/outcome-records/import",
                "application/x-ndjson", body);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("import answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode report = Stack.JSON.readTree(response.body());
        int accepted = 0;
        for (JsonNode row : report.path("rows")) {
            if ("ACCEPTED".equals(row.path("status").asText())) {
                accepted++;
            } else if ("REJECTED".equals(row.path("status").asText())) {
                throw new IllegalStateException("row rejected: " + row);
            }
        }
        return accepted;
    }

    /** Enters one record; returns its id. */
    String record(String questionId, int n) throws Exception {
        Map<String, Object> record = data.record(n);
        return stack.postJson(stack.study(), "/api/v1/questions/" + questionId + "/outcome-records", record).get("recordId").asText();
    }
}
