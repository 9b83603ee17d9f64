package org.livingevidence.benchmarks.load;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs after the scenario name. */
final class Arguments {

    private final Map<String, String> values = new HashMap<>();

    Arguments(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            values.put(args[i].substring(2), args[++i]);
        }
    }

    String get(String name, String absent) {
        return values.getOrDefault(name, absent);
    }

    int getInt(String name, int absent) {
        return Integer.parseInt(get(name, Integer.toString(absent)));
    }

    /** {@code --name true}; absent, or any other value, is false. */
    boolean isTrue(String name) {
        return Boolean.parseBoolean(get(name, "false"));
    }
}
