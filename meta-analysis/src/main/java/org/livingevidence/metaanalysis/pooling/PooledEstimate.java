package org.livingevidence.metaanalysis.pooling;

/**
 * One model's pooled estimate on the analysis scale.
 *
 * @param ciLevel coverage of {@code ciLower}..{@code ciUpper}, e.g. 0.95
 */
public record PooledEstimate(String method, double estimate, double standardError, double ciLower, double ciUpper,
                             double ciLevel, double zValue, double pValue) {

    static PooledEstimate wald(String method, double estimate, double standardError, double ciLevel) {
        double z = StandardNormal.quantile(0.5 + ciLevel / 2);
        double zValue = estimate / standardError;
        return new PooledEstimate(method, estimate, standardError, estimate - z * standardError,
                estimate + z * standardError, ciLevel, zValue, StandardNormal.twoSidedP(zValue));
    }
}
