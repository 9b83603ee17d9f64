package org.livingevidence.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads the committed contract files in tests. */
final class ContractResources {

    private ContractResources() {
    }

    static Path moduleDir() {
        return Path.of(System.getProperty("user.dir"));
    }

    static JsonNode json(Path file) {
        try {
            return EventJson.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path classpathFolder(String folder) {
        URL url = ContractResources.class.getClassLoader().getResource(folder);
        if (url == null) {
            throw new IllegalStateException("missing classpath folder " + folder);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> examples(EventType type) {
        try (Stream<Path> files = Files.list(classpathFolder(type.examplesFolder()))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
