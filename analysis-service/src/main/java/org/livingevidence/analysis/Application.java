package org.livingevidence.analysis;

import io.micronaut.runtime.Micronaut;

/** analysis-service: recomputes each question's pooled estimate as records arrive, and publishes conclusion shifts. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
