package org.livingevidence.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.livingevidence.contracts.events.ConclusionShifted;

/** The AsyncAPI document describes exactly the topics and event types the code publishes. */
class AsyncApiDocumentTest {

    private static JsonNode doc;

    @BeforeAll
    static void read() throws Exception {
        doc = new ObjectMapper(new YAMLFactory()).readTree(ContractResources.moduleDir().resolve("asyncapi.yaml").toFile());
    }

    @Test
    void isAsyncApi3() {
        assertThat(doc.path("asyncapi").asText()).startsWith("3.");
    }

    @Test
    void everyTopicIsAChannelWithItsPartitionsAndRetention() {
        List<String> addresses = new ArrayList<>();
        doc.path("channels").forEach(c -> addresses.add(c.path("address").asText()));
        assertThat(addresses).containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
        for (Topics.TopicSpec spec : Topics.ALL) {
            JsonNode channel = channel(spec.name());
            JsonNode kafka = channel.path("bindings").path("kafka");
            assertThat(kafka.path("partitions").asInt()).as(spec.name()).isEqualTo(spec.partitions());
            assertThat(kafka.path("topicConfiguration").path("retention.ms").asLong()).isEqualTo(spec.retentionMs());
            assertThat(kafka.path("topicConfiguration").path("cleanup.policy").get(0).asText()).isEqualTo(spec.cleanupPolicy());
            JsonNode maxBytes = kafka.path("topicConfiguration").path("max.message.bytes");
            assertThat(maxBytes.isMissingNode() ? null : maxBytes.asInt()).as(spec.name()).isEqualTo(spec.maxMessageBytes());
        }
    }

    @Test
    void theConclusionShiftsChannelNamesEveryShiftKindAndWhatPreviousIs() {
        String description = channel(Topics.CONCLUSION_SHIFTS).path("description").asText();
        for (ConclusionShifted.ShiftType kind : ConclusionShifted.ShiftType.values()) {
            assertThat(description).contains(kind.name());
        }
        assertThat(description).contains("`previous`");
        JsonNode schema = ContractResources.json(ContractResources.classpathFolder(EventType.CONCLUSION_SHIFTED.schemaResource()));
        assertThat(schema.at("/properties/previous/description").asText()).contains("baseline");
    }

    @Test
    void everyEventTypeIsAMessageOnItsTopicWithItsSchemaAndAnExistingExample() {
        for (EventType type : EventType.values()) {
            JsonNode message = null;
            for (JsonNode m : doc.path("components").path("messages")) {
                if (m.path("name").asText().equals(type.ceType())) {
                    message = m;
                }
            }
            assertThat(message).as(type.ceType()).isNotNull();
            String schemaRef = message.path("payload").path("schema").path("$ref").asText();
            assertThat(schemaRef).endsWith(type.schemaResource());
            assertThat(ContractResources.moduleDir().resolve(schemaRef)).exists();
            message.path("examples").forEach(e ->
                    assertThat(ContractResources.moduleDir().resolve(e.path("payload").path("$ref").asText())).exists());

            String messageKey = null;
            var names = doc.path("components").path("messages").fieldNames();
            while (names.hasNext()) {
                String key = names.next();
                if (doc.path("components").path("messages").get(key) == message) {
                    messageKey = key;
                }
            }
            JsonNode channel = channel(type.topic());
            assertThat(channel.path("messages").path(messageKey).path("$ref").asText())
                    .isEqualTo("#/components/messages/" + messageKey);
        }
    }

    private static JsonNode channel(String address) {
        for (JsonNode c : doc.path("channels")) {
            if (c.path("address").asText().equals(address)) {
                return c;
            }
        }
        throw new AssertionError("no channel for " + address);
    }

    @Test
    void moduleDirIsTheContractsFolder() {
        assertThat(Path.of("asyncapi.yaml")).exists();
    }
}
