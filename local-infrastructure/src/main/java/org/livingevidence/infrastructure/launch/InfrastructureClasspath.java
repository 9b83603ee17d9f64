package org.livingevidence.infrastructure.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The classpath of the infrastructure child JVMs: this module's own classes plus the runtime dependencies that
 * the build wrote to {@code runtime.classpath} (absolute paths into the local Maven repository).
 */
final class InfrastructureClasspath {

    private InfrastructureClasspath() {
    }

    static String get() {
        try (InputStream in = InfrastructureClasspath.class.getResourceAsStream("/org/livingevidence/infrastructure/runtime.classpath")) {
            if (in == null) {
                throw new IllegalStateException("runtime.classpath is missing: build local-infrastructure with Maven first");
            }
            String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            Path ownClasses = Path.of(InfrastructureClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return ownClasses + java.io.File.pathSeparator + dependencies;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
