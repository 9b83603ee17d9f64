package org.livingevidence.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.livingevidence.contracts.Topics;
import org.livingevidence.infrastructure.launch.FreePort;
import org.livingevidence.testing.InfrastructureExtension;
import org.livingevidence.testing.TestInfrastructure;

/**
 * The console as it runs, on the real broker, in front of a stand-in for the services (a plain HTTP server that
 * records what reaches it): what the gateway forwards and drops, what it refuses, what happens while a service is
 * down, and the live stream of a question's estimates.
 */
@ExtendWith(InfrastructureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTest {

    /** What reached the stand-in service. */
    record Seen(String method, String path, String query, Map<String, List<String>> headers, String body) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private HttpServer service;
    private EmbeddedServer console;
    private String bootstrapServers;
    private final int unreachable = FreePort.pick();

    @BeforeAll
    void start(TestInfrastructure infrastructure) throws Exception {
        bootstrapServers = infrastructure.kafkaBootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(Topics.POOLED_ESTIMATES, 6, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            String path = exchange.getRequestURI().getPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            int status = 200;
            if (path.endsWith("/estimate")) {
                // analysis-service's rule, played here: only the key "lek_reader" may read q_private.
                status = path.contains("q_private") && !"Bearer lek_reader".equals(authorization) ? (authorization == null ? 401 : 403) : 404;
            }
            if (path.endsWith("/redirect")) {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + unreachable + "/collect");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
                return;
            }
            byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("X-Service", "stand-in");
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        service.start();
        String up = "http://127.0.0.1:" + service.getAddress().getPort();
        String down = "http://127.0.0.1:" + FreePort.pick();
        console = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                "kafka.bootstrap.servers", bootstrapServers, "evidence.console.study-url", up,
                "evidence.console.analysis-url", up, "evidence.console.notify-url", down, "evidence.console.max-live-streams", 5));
    }

    @AfterAll
    void stop() {
        if (console != null) {
            console.getApplicationContext().close();
        }
        if (service != null) {
            service.stop(0);
        }
    }

    @Test
    void theGatewayForwardsMethodPathQueryBodyAndTokenAndDropsWhatTheBrowserSaysAboutItself() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(console.getURL() + "/study/api/v1/questions/q_1/outcome-records?asOf=2026-01-01T00%3A00%3A00Z&limit=5"))
                .header("Authorization", "Bearer lek_someone").header("Cookie", "session=stolen").header("X-Forwarded-For", "10.0.0.1")
                .header("Content-Type", "application/json").header("If-Match", "\"3\"")
                .POST(HttpRequest.BodyPublishers.ofString("{\"studyLabel\":\"A 2024\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Service")).hasValue("stand-in");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        Seen request = seen.get(seen.size() - 1);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v1/questions/q_1/outcome-records");
        assertThat(request.query()).isEqualTo("asOf=2026-01-01T00%3A00%3A00Z&limit=5");
        assertThat(request.body()).isEqualTo("{\"studyLabel\":\"A 2024\"}");
        assertThat(request.headers().get("Authorization")).containsExactly("Bearer lek_someone");
        assertThat(request.headers().get("If-match")).containsExactly("\"3\"");
        assertThat(request.headers()).doesNotContainKeys("Cookie", "X-forwarded-for");
    }

    @Test
    void pathsOutsideTheServicesApisAreNotFoundAndADownServiceIsAProblemToRetry() throws Exception {
        int before = seen.size();
        for (String path : List.of("/study/health", "/analysis/prometheus", "/study/api/v1/%2e%2e/health", "/elsewhere/api/v1/x", "/js/nope.js")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(console.getURL() + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(path).isEqualTo("application/problem+json");
            assertThat(response.body()).as(path).contains("\"type\":\"https://livingevidence.org/problems/not-found\"").contains("\"status\":404");
        }
        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(URI.create(console.getURL() + "/live/questions/q_1"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(wrongMethod.body()).contains("\"type\":\"https://livingevidence.org/problems/http\"");
        assertThat(seen).hasSize(before);

        HttpResponse<String> down = http.send(HttpRequest.newBuilder(URI.create(console.getURL() + "/notify/api/v1/subscriptions")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(down.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(down.body()).contains("\"type\":\"https://livingevidence.org/problems/service-unavailable\"").contains("notify did not answer");
    }

    @Test
    void pagesComeWithAPolicyThatRunsOnlyTheConsolesOwnScripts() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(console.getURL() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"/js/app.js\"></script>").doesNotContain("http://").doesNotContain("https://");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'").contains("connect-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    @Test
    void aWatchedQuestionHearsOfItsNewEstimatesAndNothingElse() throws Exception {
        HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(console.getURL() + "/live/questions/q_watched")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(nextEvent(lines)).containsEntry("event", "ready");
            await().atMost(Duration.ofSeconds(20)).until(() -> console.getApplicationContext()
                    .getBean(org.livingevidence.console.live.EstimateNotices.class).following());
            publish(Topics.POOLED_ESTIMATES, "q_other", "{\"questionId\":\"q_other\",\"estimateVersion\":1}".getBytes(StandardCharsets.UTF_8));
            publish(Topics.POOLED_ESTIMATES, "q_watched", "not json at all".getBytes(StandardCharsets.UTF_8));
            publish(Topics.POOLED_ESTIMATES, "q_watched",
                    "{\"questionId\":\"q_watched\",\"estimateVersion\":7,\"computedAt\":\"2026-12-02T10:00:00Z\",\"k\":3}".getBytes(StandardCharsets.UTF_8));

            Map<String, String> event = nextEvent(lines);
            assertThat(event).containsEntry("event", "estimate").containsEntry("id", "7");
            assertThat(event.get("data")).contains("\"questionId\":\"q_watched\"").contains("\"estimateVersion\":7").contains("\"k\":3");
        }
    }

    @Test
    void aRedirectReachesThePageAsItIsAndIsNeverFollowedWithTheCallersToken() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(console.getURL() + "/study/api/v1/redirect"))
                .header("Authorization", "Bearer lek_someone").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValue("http://127.0.0.1:" + unreachable + "/collect");
    }

    @Test
    void theConsoleIsHealthyWhileItFollowsTheEstimatesAndOpensNoMoreStreamsThanItAllows() throws Exception {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(http.send(HttpRequest.newBuilder(URI.create(console.getURL() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200));

        List<HttpResponse<java.io.InputStream>> streams = new java.util.ArrayList<>();
        try {
            HttpResponse<java.io.InputStream> refused = null;
            for (int i = 0; i < 8 && refused == null; i++) {
                HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(console.getURL() + "/live/questions/q_many")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (stream.statusCode() == 200) {
                    streams.add(stream);
                } else {
                    refused = stream;
                }
            }
            assertThat(refused).as("a sixth stream is refused").isNotNull();
            assertThat(streams).hasSizeLessThanOrEqualTo(5);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
            refused.body().close();
        } finally {
            for (HttpResponse<java.io.InputStream> stream : streams) {
                stream.body().close();
            }
        }
        // Closed streams give their places back.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<java.io.InputStream> again = http.send(HttpRequest.newBuilder(URI.create(console.getURL() + "/live/questions/q_many")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            again.body().close();
            return again.statusCode() == 200;
        });
    }

    @Test
    void onlyThoseWhoMayReadAQuestionsEstimateMayWatchIt() throws Exception {
        assertThat(status("/live/questions/q_private", null)).isEqualTo(401);
        assertThat(status("/live/questions/q_private", "Bearer lek_other")).isEqualTo(403);
        assertThat(status("/live/questions/bad%20id", null)).isEqualTo(404);
        HttpResponse<java.io.InputStream> allowed = http.send(HttpRequest.newBuilder(URI.create(console.getURL() + "/live/questions/q_private"))
                .header("Authorization", "Bearer lek_reader").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(allowed.statusCode()).isEqualTo(200);
        allowed.body().close();
    }

    private void publish(String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private int status(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(console.getURL() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The next server-sent event other than a ping: its fields by name. */
    private static Map<String, String> nextEvent(BufferedReader lines) throws IOException {
        while (true) {
            Map<String, String> fields = new java.util.HashMap<>();
            String line;
            while ((line = lines.readLine()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
            if (line == null) {
                throw new IOException("the stream ended");
            }
            if (!fields.isEmpty() && !"ping".equals(fields.get("event"))) {
                return fields;
            }
        }
    }
}
