package org.livingevidence.analysis;

import io.micronaut.http.client.HttpClient;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * A test context starts on an empty database, so as a rebuild of what earlier tests left on the topics: it is ready
 * once the rebuild has ended, and events published from then on are published as usual.
 */
public final class ServiceReadiness {

    private ServiceReadiness() {
    }

    public static void await(HttpClient http) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> http.toBlocking().exchange("/health").getStatus().getCode() == 200);
    }
}
