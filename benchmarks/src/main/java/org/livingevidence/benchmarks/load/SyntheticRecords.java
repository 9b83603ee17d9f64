package org.livingevidence.benchmarks.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Questions and hazard-ratio records as curators would enter them, different on every run. */
final class SyntheticRecords {

    private static final int FIRST_YEAR = 1990;
    private static final int YEARS = 36;

    private final String run;
    private final SplittableRandom random;
    private final int latestFrom;

    SyntheticRecords(String run, long seed) {
        this(run, new SplittableRandom(seed), Integer.MAX_VALUE);
    }

    private SyntheticRecords(String run, SplittableRandom random, int latestFrom) {
        this.run = run;
        this.random = random;
        this.latestFrom = latestFrom;
    }

    /**
     * The same records, those numbered {@code n} and above published in the last year of the span, after all the
     * others: a question's sequential looks then grow at the end, as they do while a review is kept up to date.
     */
    SyntheticRecords latestFrom(int n) {
        return new SyntheticRecords(run, random, n);
    }

    Map<String, Object> question(int n) {
        Map<String, Object> pico = new LinkedHashMap<>();
        pico.put("population", "Adults in load test " + run);
        pico.put("intervention", "Intervention " + n);
        pico.put("comparator", "Usual care");
        pico.put("outcome", "Overall survival");
        Map<String, Object> question = new LinkedHashMap<>();
        question.put("title", "Load question " + n + " of run " + run);
        question.put("pico", pico);
        question.put("effectMeasure", "HR");
        question.put("benefitDirection", "LOWER");
        question.put("tags", List.of("load-test"));
        return question;
    }

    /** A question with a trial sequential analysis plan and REML with HKSJ. */
    Map<String, Object> sequentialQuestion(int n) {
        Map<String, Object> question = question(n);
        question.put("settings", Map.of("alpha", 0.05, "model", "RANDOM", "tau2Estimator", "REML", "ciMethod", "HKSJ",
                "tsa", Map.of("anticipatedEffect", 0.80, "power", 0.90)));
        return question;
    }

    /** One record: an HR with its 95% CI, as a paper reports it. */
    Map<String, Object> record(int n) {
        double logHr = -0.2 + 0.3 * random.nextDouble(-1, 1);
        double se = 0.08 + 0.3 * random.nextDouble();
        Map<String, Object> reported = new LinkedHashMap<>();
        reported.put("form", "RATIO_WITH_CI");
        reported.put("measure", "HR");
        reported.put("estimate", round(Math.exp(logHr)));
        reported.put("lower", round(Math.exp(logHr - 1.959964 * se)));
        reported.put("upper", round(Math.exp(logHr + 1.959964 * se)));
        reported.put("ciLevel", 0.95);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("studyLabel", "Load study " + n + " (" + run + ")");
        record.put("publicationYear", n >= latestFrom ? FIRST_YEAR + YEARS : FIRST_YEAR + n % YEARS);
        record.put("reported", reported);
        return record;
    }

    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
