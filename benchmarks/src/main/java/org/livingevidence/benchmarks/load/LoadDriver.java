package org.livingevidence.benchmarks.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drives a running stack (by default {@code ./local-stack} on this machine) and prints the figures recorded in
 * {@code docs/performance.md}. Usage: {@code benchmarks/load.sh <scenario> [--name value ...]}; options
 * {@code --study --analysis --notify} (base URLs), {@code --kafka} (bootstrap servers), {@code --key} (an API key with
 * CURATOR and READER; default {@code $EVIDENCE_BOOTSTRAP_API_KEY} or the local stack's development key).
 */
public final class LoadDriver {

    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("health", new HealthUnderAnalyses());
        SCENARIOS.put("bulk", new BulkImport());
        SCENARIOS.put("steady", new SteadyRate());
        SCENARIOS.put("curator-during-import", new CuratorDuringImport());
        SCENARIOS.put("replay", new Replay());
        SCENARIOS.put("sequential-event", new SequentialEvent());
        SCENARIOS.put("upload-flood", new UploadFlood());
    }

    private LoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !SCENARIOS.containsKey(args[0])) {
            System.err.println("usage: benchmarks/load.sh <scenario> [--name value ...]; scenarios: " + SCENARIOS.keySet());
            System.exit(2);
        }
        Arguments arguments = new Arguments(args, 1);
        SCENARIOS.get(args[0]).run(Stack.fromArguments(arguments), arguments);
        System.exit(0);
    }
}
