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
        return infrastructureProperties();
    }

    /** Where the shared broker and MongoDB server are, and this test's own database. */
    default Map<String, String> infrastructureProperties() {
        return TestInfrastructure.get().serviceProperties(getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
    }

    /** The infrastructure's properties with a test's own settings on top: what a test overriding getProperties returns. */
    default Map<String, String> propertiesWith(Map<String, String> settings) {
        Map<String, String> properties = new java.util.HashMap<>(infrastructureProperties());
        properties.putAll(settings);
        return properties;
    }

    default TestInfrastructure infrastructure() {
        return TestInfrastructure.get();
    }
}
