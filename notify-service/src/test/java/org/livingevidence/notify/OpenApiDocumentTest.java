package org.livingevidence.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document generated at build time says what the service does, as integrators read it. */
class OpenApiDocumentTest {

    private static JsonNode document;

    @BeforeAll
    static void read() throws Exception {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/META-INF/swagger/notify-service-openapi.yml")) {
            assertThat(in).as("the generated OpenAPI document").isNotNull();
            document = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    @Test
    void creatingASubscriptionDocuments201() {
        JsonNode responses = document.at("/paths/~1api~1v1~1subscriptions/post/responses");
        assertThat(names(responses)).containsExactly("201");
        assertThat(responses.at("/201/content/application~1json/schema/$ref").asText()).endsWith("/SubscriptionView");
    }

    @Test
    void noFieldOfASubscriptionRequestIsRequiredOnItsOwnAndTheDescriptionAsksForOneChannel() {
        JsonNode request = document.at("/components/schemas/SubscriptionRequest");
        assertThat(request.path("required").isMissingNode() || request.path("required").isEmpty()).isTrue();
        assertThat(names(request.path("properties"))).contains("webhook", "email", "feed", "tags", "questionIds", "estimateMovedBy");
        assertThat(request.path("description").asText()).contains("exactly one channel");
    }

    @Test
    void aViewMarksOnlyWhatIsAlwaysThereAsRequired() {
        List<String> required = new ArrayList<>();
        document.at("/components/schemas/SubscriptionView/required").forEach(n -> required.add(n.asText()));
        assertThat(required).contains("id", "owner", "channel", "status", "createdAt")
                .doesNotContain("webhook", "email", "secret", "confirmedAt", "disabledReason", "estimateMovedBy", "tags");
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
