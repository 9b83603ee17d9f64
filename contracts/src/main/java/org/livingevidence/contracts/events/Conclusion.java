package org.livingevidence.contracts.events;

/**
 * What the pooled estimate of a question says, under the question's model and alpha.
 *
 * @param direction    which arm the point estimate favours
 * @param significant  whether the (1 - alpha) confidence interval excludes the null value
 * @param statement    one sentence for people
 */
public record Conclusion(
        Direction direction,
        boolean significant,
        String model,
        double alpha,
        int k,
        double estimate,
        double ciLower,
        double ciUpper,
        double pValue,
        String statement) {

    public enum Direction { FAVOURS_INTERVENTION, FAVOURS_COMPARATOR, NO_DIFFERENCE }
}
