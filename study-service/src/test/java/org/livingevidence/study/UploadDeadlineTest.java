package org.livingevidence.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.testing.RealInfrastructure;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.TestJson;

/**
 * An upload whose body is still arriving {@code evidence.imports.receive-within} (3 s here) after its endpoint began
 * reading it is answered 408, stores nothing and gives its place back (one here): whether its client trickles it or
 * has fallen silent, which before waited for the connection's 5-minute idle timeout with the place held.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadDeadlineTest implements RealInfrastructure {

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    EmbeddedServer server;
    @Inject
    MeterRegistry registry;

    @Override
    public Map<String, String> getProperties() {
        return propertiesWith(Map.of("evidence.imports.concurrent-uploads", "1", "evidence.imports.receive-within", "3s"));
    }

    @Test
    void aTrickledUploadIsAnswered408AtItsDeadlineStoresNothingAndGivesItsPlaceBack() throws Exception {
        String questionId = UploadSockets.newQuestion(http);
        AtomicBoolean answered = new AtomicBoolean();
        try (Socket trickling = new Socket("localhost", server.getPort())) {
            UploadSockets.sendHeadersAndFirstRow(trickling.getOutputStream(), questionId);
            Thread trickle = new Thread(() -> {
                try {
                    for (int n = 2; !answered.get() && n < 100; n++) {
                        Thread.sleep(400);
                        UploadSockets.sendRow(trickling.getOutputStream(), n);
                    }
                } catch (Exception stopped) {
                    // The server answered and stopped reading, or the test closed the socket.
                }
            });
            trickle.start();
            trickling.setSoTimeout(20_000);
            String answer = UploadSockets.answerOf(trickling);
            answered.set(true);
            trickle.join(5_000);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("application/problem+json").contains("request-timeout")
                    .contains("was still arriving after 3 seconds");
        }
        assertPlaceBackAndNothingStored(questionId);
    }

    @Test
    void anUploadWhoseClientFallsSilentIsAnswered408AtItsDeadlineStoresNothingAndGivesItsPlaceBack() throws Exception {
        String questionId = UploadSockets.newQuestion(http);
        try (Socket silent = new Socket("localhost", server.getPort())) {
            UploadSockets.sendHeadersAndFirstRow(silent.getOutputStream(), questionId);
            await().atMost(Duration.ofSeconds(10)).until(() -> UploadSockets.inProgress(registry) == 1);
            long waiting = System.nanoTime();
            // Not another byte.
            silent.setSoTimeout(20_000);
            assertThat(UploadSockets.answerOf(silent)).startsWith("HTTP/1.1 408").contains("application/problem+json")
                    .contains("request-timeout").contains("was still arriving after 3 seconds");
            assertThat(Duration.ofNanos(System.nanoTime() - waiting)).isLessThan(Duration.ofSeconds(15));
        }
        assertPlaceBackAndNothingStored(questionId);
    }

    private void assertPlaceBackAndNothingStored(String questionId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> UploadSockets.inProgress(registry) == 0);
        String records = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/questions/" + questionId + "/outcome-records")
                .bearerAuth(TestInfrastructure.ADMIN_API_KEY));
        assertThat(records).doesNotContain("Trial ");
        // The place is free again: the next upload is taken, not turned away.
        assertThat(TestJson.parse(UploadSockets.upload(http, questionId, String.format(UploadSockets.ROW, 500)).body())
                .get("accepted").asInt()).isEqualTo(1);
    }
}
