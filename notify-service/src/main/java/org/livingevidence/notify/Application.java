package org.livingevidence.notify;

import io.micronaut.runtime.Micronaut;

/** notify-service: alerts subscribers when a question's conclusion shifts. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
