package org.livingevidence.console;

import io.micronaut.runtime.Micronaut;

/**
 * The evidence console: the browser UI for curators and subscribers, on one origin. It serves the pages, forwards
 * their API calls to the three services (which authenticate and authorise every call themselves) and streams a
 * question's new estimate versions as they are published. It stores nothing and keeps no credentials.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
