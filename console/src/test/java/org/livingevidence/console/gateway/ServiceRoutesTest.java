package org.livingevidence.console.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ServiceRoutesTest {

    private final ServiceRoutes routes = new ServiceRoutes(URI.create("http://study:8081"), URI.create("http://analysis:8082"),
            URI.create("http://notify:8083"));

    @Test
    void eachPrefixReachesItsServicesApiOnly() {
        assertThat(routes.resolve("/study/api/v1/questions")).contains(new ServiceRoutes.Target(URI.create("http://study:8081"), "/api/v1/questions"));
        assertThat(routes.resolve("/analysis/api/v1/questions/q_1/plots/forest.svg"))
                .contains(new ServiceRoutes.Target(URI.create("http://analysis:8082"), "/api/v1/questions/q_1/plots/forest.svg"));
        assertThat(routes.resolve("/notify/feeds/questions/q_1")).contains(new ServiceRoutes.Target(URI.create("http://notify:8083"), "/feeds/questions/q_1"));
        assertThat(routes.resolve("/study/feeds/questions/q_1")).isEmpty();
        assertThat(routes.resolve("/study/health")).isEmpty();
        assertThat(routes.resolve("/analysis/prometheus")).isEmpty();
        assertThat(routes.resolve("/other/api/v1/x")).isEmpty();
        assertThat(routes.resolve("/studyx/api/v1/questions")).isEmpty();
    }

    @Test
    void nothingClimbsOutOfItsPrefix() {
        for (String path : new String[] {"/study/api/v1/../../health", "/study/api/v1/%2e%2e/health", "/study/api/v1/%2E%2E/health",
                "/study/api/v1/x%2fhealth", "/study/api/v1/x%5c..", "/study/api/v1//health", "/notify/api/v1/..%2F..%2Fhealth",
                "/study/api/v1/.\\./health"}) {
            assertThat(routes.resolve(path)).as(path).isEmpty();
        }
        assertThat(routes.resolve(null)).isEmpty();
    }
}
