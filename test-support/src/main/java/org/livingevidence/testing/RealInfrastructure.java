package org.livingevidence.testing;

import io.micronaut.test.support.TestPropertyProvider;
import java.util.Map;

/**
 * Implement on a {@code @MicronautTest} class (with {@code @TestInstance(PER_CLASS)}) to run it against the shared
 * test infrastructure, with a database of its own.
 */
public interface RealInfrastructure extends TestPropertyProvider {

    @Override
    default Map<String, String> getProperties() {
        return TestInfrastructure.get().serviceProperties(getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
    }

    default TestInfrastructure infrastructure() {
        return TestInfrastructure.get();
    }
}
