package org.livingevidence.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.livingevidence.contracts.alerts.Alert;
import org.livingevidence.contracts.alerts.AlertSchema;

class AlertContractTest {

    private static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(ContractResources.classpathFolder("org/livingevidence/contracts/examples/alert/v1"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void everyExampleConformsAndReadsAsTheRecordNotifyServiceWrites() throws IOException {
        List<Path> examples = examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
        for (Path example : examples) {
            JsonNode json = ContractResources.json(example);
            assertThat(AlertSchema.violations(json)).as(example.toString()).isEmpty();
            Alert alert = EventJson.mapper().treeToValue(json, Alert.class);
            assertThat(AlertSchema.violations(EventJson.mapper().valueToTree(alert))).as(example + " round trip").isEmpty();
        }
    }

    @Test
    void theReferencedConclusionSchemaIsEnforced() throws IOException {
        ObjectNode alert = (ObjectNode) ContractResources.json(examples().get(0));
        ((ObjectNode) alert.get("data").get("current")).put("significant", "very");
        ((ObjectNode) alert.get("data")).remove("summary");

        assertThat(AlertSchema.violations(alert)).hasSize(2);
    }
}
