package org.livingevidence.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.livingevidence.infrastructure.launch.FreePort;
import org.livingevidence.infrastructure.launch.ServiceProcess;
import org.livingevidence.infrastructure.launch.ServiceProcess.Service;
import org.livingevidence.testing.InfrastructureExtension;
import org.livingevidence.testing.TestInfrastructure;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A living question started from a RevMan review gives RevMan's estimate, and the R script exported for it gives
 * the published estimate with metafor. The script's output was made once with R ({@code metafor-export/regenerate.sh})
 * and is committed: this test needs no R, and checks that today's export is still the script and data that made it.
 */
@ExtendWith(InfrastructureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewInteroperabilityTest {

    private static final Path ROOT = Path.of(System.getProperty("evidence.repository.root", "..")).toAbsolutePath().normalize();
    private static final Path REVIEW = ROOT.resolve("docs/examples/revman/local-therapy-example.rm5");
    private static final String FIXTURE = "/metafor-export/";

    private final Api api = new Api();
    private ServiceProcess study;
    private ServiceProcess analysis;
    private JsonNode imported;

    @BeforeAll
    void startAndImport(TestInfrastructure infrastructure) throws Exception {
        String run = TestInfrastructure.uniqueName("revman");
        Path logs = ROOT.resolve("end-to-end-tests/target/service-logs");
        study = ServiceProcess.start(ROOT, Service.STUDY, FreePort.pick(), infrastructure.serviceProcessProperties(run, "study"),
                logs.resolve("revman-study-service.log"));
        analysis = ServiceProcess.start(ROOT, Service.ANALYSIS, FreePort.pick(), infrastructure.serviceProcessProperties(run, "analysis"),
                logs.resolve("revman-analysis-service.log"));
        Api.Response response = api.post(study.baseUrl() + "/api/v1/reviews/import?analysis=1.1,1.2,1.3", Files.readString(REVIEW),
                "application/xml");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        imported = response.json();
    }

    @AfterAll
    void stop() {
        for (ServiceProcess p : new ServiceProcess[] {analysis, study}) {
            if (p != null) {
                p.close();
            }
        }
    }

    @Test
    void eachImportedAnalysisBecomesALivingEstimateEqualToRevMansForTheSameDataAndMethod() throws Exception {
        Map<String, Element> stored = revManResults();
        for (JsonNode a : imported.get("analyses")) {
            String number = a.get("analysis").asText();
            if (!stored.containsKey(number) || number.equals("1.4")) {
                continue;
            }
            Element revman = stored.get(number);
            JsonNode estimate = awaitEstimate(a.get("questionId").asText(), a.at("/records/accepted").asInt());
            JsonNode pooled = "YES".equals(revman.getAttribute("RANDOM")) ? estimate.get("randomEffects") : estimate.get("fixedEffect");
            String where = "analysis " + number;
            assertClose(where + " estimate", pooled.at("/natural/estimate").asDouble(), attr(revman, "EFFECT_SIZE"));
            assertClose(where + " CI start", pooled.at("/natural/ciLower").asDouble(), attr(revman, "CI_START"));
            assertClose(where + " CI end", pooled.at("/natural/ciUpper").asDouble(), attr(revman, "CI_END"));
            assertClose(where + " z", pooled.get("zValue").asDouble(), attr(revman, "Z"));
            assertClose(where + " p", pooled.get("pValue").asDouble(), attr(revman, "P_Z"));
            assertClose(where + " Q", estimate.at("/heterogeneity/q").asDouble(), attr(revman, "CHI2"));
            assertClose(where + " I2", estimate.at("/heterogeneity/iSquared").asDouble(), attr(revman, "I2"));
            if ("YES".equals(revman.getAttribute("RANDOM"))) {
                assertClose(where + " tau2", estimate.at("/heterogeneity/tau2").asDouble(), attr(revman, "TAU2"));
            }
        }
    }

    @Test
    void theExportedRScriptRunOnTheExportedDataGivesThePublishedEstimate() throws Exception {
        JsonNode deaths = imported.at("/analyses/1");
        String questionId = deaths.get("questionId").asText();
        JsonNode estimate = awaitEstimate(questionId, 4);

        // Today's export is the data and the script that made the committed output.
        Api.Response csv = api.get(study.baseUrl() + "/api/v1/questions/" + questionId + "/export/records.csv");
        Api.Response script = api.get(study.baseUrl() + "/api/v1/questions/" + questionId + "/export/metafor.R");
        assertThat(pooledData(csv.body())).isEqualTo(pooledData(fixture("records.csv")));
        assertThat(code(script.body())).isEqualTo(code(fixture("metafor.R")));

        Map<String, Double> output = new LinkedHashMap<>();
        fixture("metafor-output.txt").lines().map(String::strip).filter(l -> !l.isEmpty())
                .forEach(l -> output.put(l.split("\\s+")[0], Double.parseDouble(l.split("\\s+")[1])));
        assertThat(output).containsKeys("randomEffects.estimate", "heterogeneity.tau2", "predictionInterval.upper",
                "tau2ConfidenceInterval.upper");
        output.forEach((name, value) -> {
            JsonNode field = estimate.at("/" + name.replace('.', '/'));
            assertThat(field.isNumber()).as(name + " is in the estimate event").isTrue();
            assertClose(name, field.asDouble(), value, 1e-6);
        });
    }

    private JsonNode awaitEstimate(String questionId, int k) {
        String url = analysis.baseUrl() + "/api/v1/questions/" + questionId + "/estimate";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Api.Response r = api.get(url);
            return r.status() == 200 && r.json().get("k").asInt() == k;
        });
        return api.get(url).json();
    }

    /** Each pooled row's label with its effect and variance: what the script reads (record ids differ per run). */
    private static Map<String, List<String>> pooledData(String csv) throws Exception {
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv)).getRecords();
        Map<String, List<String>> data = new HashMap<>();
        rows.forEach(r -> data.put(r.get("studyLabel"), List.of(r.get("yi"), r.get("vi"))));
        return data;
    }

    /** The script without its comments, which name the question and the time of export. */
    private static String code(String script) {
        return script.lines().filter(l -> !l.strip().startsWith("#")).collect(Collectors.joining("\n"));
    }

    private static String fixture(String name) throws Exception {
        try (InputStream in = ReviewInteroperabilityTest.class.getResourceAsStream(FIXTURE + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** RevMan's stored pooled result of each analysis, by its number ("1.2"). */
    private static Map<String, Element> revManResults() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        org.w3c.dom.Document document = factory.newDocumentBuilder().parse(REVIEW.toFile());
        Map<String, Element> results = new HashMap<>();
        for (String tag : List.of("DICH_OUTCOME", "CONT_OUTCOME", "IV_OUTCOME")) {
            NodeList outcomes = document.getElementsByTagName(tag);
            for (int i = 0; i < outcomes.getLength(); i++) {
                Element outcome = (Element) outcomes.item(i);
                String comparison = ((Element) outcome.getParentNode()).getAttribute("NO");
                results.put(comparison + "." + outcome.getAttribute("NO"), outcome);
            }
        }
        return results;
    }

    private static double attr(Element e, String name) {
        return Double.parseDouble(e.getAttribute(name));
    }

    private static void assertClose(String what, double actual, double expected) {
        assertClose(what, actual, expected, 1e-9);
    }

    private static void assertClose(String what, double actual, double expected, double relative) {
        double tolerance = Math.max(Math.abs(expected) * relative, 1e-12);
        assertThat(Math.abs(actual - expected)).as(what + ": " + actual + " against " + expected).isLessThanOrEqualTo(tolerance);
    }
}
