package org.livingevidence.study;

import io.micronaut.runtime.Micronaut;

/** study-service: curators' questions and outcome records, stored in MongoDB and published to Kafka. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
