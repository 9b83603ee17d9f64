package org.livingevidence.study.revman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.events.DerivedEffect;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.ReportedOutcome;
import org.livingevidence.support.derivation.ReportedOutcomeDerivation;

class RevManCsvAndRecordsTest {

    /**
     * RevMan 5's analysis export, in the layout meta's read.rm5 documents: a comparison row, outcome rows with their
     * data type, subgroup rows (with a df) and study rows. The aspirin trials' counts are Fleiss (1993)'s; the
     * effects and SEs beside them are what RevMan 5.0.23 computed for them (as shipped with meta's example export).
     */
    static final String EXPORT = """
            Comparison Number,Outcome Number,Subgroup Number,Name,Data Type,Statistical Method,Effect Measure,Analysis Model,Events 1,Mean 1,SD 1,Total 1,Events 2,Mean 2,SD 2,Total 2,Effect Estimate,SE,CI Start,CI End,Weight,Q,P(Q),I²(Q),Tau²,Z,P(Z),Qint,P(Qint),I²(Qint),df,Group Label 1,Group Label 2,Left Graph Label,Right Graph Label,Year of study,User defined order,Entered data are on log scale (Generic Inverse Variance only)
            1,0,0,Aspirin versus control,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
            1,1,0,Death after myocardial infarction,DIC,MH,OR,Fixed,280,,,2446,339,,,2453,0.89686556,,0.8405144,0.95699471,100,9.94605598,0.12694225,39.67458046,0,3.28763306,0.00101033,0,0,0,6,Aspirin,Control,Favours experimental,Favours control,,,
            1,1,0,MRC-1,,,,,49,0,0,615,67,0,0,624,0.71971415,0.19721981,0.48897453,1.05933628,3.17649,,,,,,,,,,,,,,,1974,1,
            1,1,0,CDP,,,,,44,0,0,758,64,0,0,771,0.6807598,0.20289717,0.4573909,1.01321191,3.10168911,,,,,,,,,,,,,,,1976,2,
            1,1,0,GASP,,,,,32,0,0,317,38,0,0,309,0.80073869,0.2544889,0.48626104,1.31859721,1.79548462,,,,,,,,,,,,,,,1979,8,
            1,2,0,Overall survival,IV,IV,Hazard Ratio,Random,,,,,,,,,0.8,,0.6,1.1,100,,,,,,,,,,1,Aspirin,Control,Favours aspirin,Favours control,,,YES
            1,2,1,Younger patients,,,,,,,,,,,,,0.7,,0.5,1.0,50,1.2,0.27,0,0,1.9,0.06,,,,1,,,,,,,
            1,2,1,Trial X 2001,,,,,,,,,,,,,0.8,0.1,,,50,,,,,,,,,,,,,,,2001,1,
            1,2,2,Older patients,,,,,,,,,,,,,0.9,,0.7,1.2,50,0.1,0.75,0,0,0.8,0.4,,,,0,,,,,,,
            1,2,2,Trial Y 2003,,,,,,,,,,,,,0.9,0.2,,,50,,,,,,,,,,,,,,,2003,2,
            """;

    @Test
    void revMansCsvExportReadsAsAnalysesWithTheirRowsAndSubgroups() throws Exception {
        RevManReview review = RevManCsv.read(new StringReader(EXPORT), 100);
        assertThat(review.analyses()).extracting(RevManReview.Analysis::number).containsExactly("1.1", "1.2");
        RevManReview.Analysis deaths = review.analyses().get(0);
        assertThat(deaths.comparisonName()).isEqualTo("Aspirin versus control");
        assertThat(deaths.dataType()).isEqualTo(RevManReview.DataType.DICHOTOMOUS);
        assertThat(deaths.method()).isEqualTo("MH");
        assertThat(deaths.random()).isFalse();
        assertThat(deaths.rows()).extracting(RevManReview.Row::studyLabel).containsExactly("MRC-1", "CDP", "GASP");
        assertThat(deaths.rows().get(0).year()).isEqualTo(1974);
        assertThat(deaths.revman().effect()).isEqualTo(0.89686556);

        RevManReview.Analysis survival = review.analyses().get(1);
        assertThat(survival.measure()).contains(EffectMeasure.HR);
        assertThat(survival.random()).isTrue();
        // "Entered data are on log scale: YES": the export shows the ratio of the entered log (meta's read.rm5 reads it so)
        assertThat(survival.naturalScale()).isTrue();
        assertThat(survival.rows()).extracting(RevManReview.Row::subgroup).containsExactly("Younger patients", "Older patients");
    }

    @Test
    void dichotomousRowsDeriveExactlyTheEffectsAndStandardErrorsRevManComputed() throws Exception {
        RevManReview.Analysis deaths = RevManCsv.read(new StringReader(EXPORT), 100).analyses().get(0);
        List<RevManRecords.Body> bodies = RevManRecords.bodies(deaths, EffectMeasure.OR);
        for (int i = 0; i < bodies.size(); i++) {
            DerivedEffect derived = derive(bodies.get(i).body());
            RevManReview.Row row = deaths.rows().get(i);
            // RevMan's export rounds to 8 significant digits
            assertThat(Math.exp(derived.estimate())).isCloseTo(row.effect(), within(1e-7));
            assertThat(derived.standardError()).isCloseTo(row.se(), within(1e-7));
        }
        // The same rows enter a risk-ratio question as risk ratios: the counts are what was reported.
        assertThat(RevManRecords.bodies(deaths, EffectMeasure.RR).get(0).body().at("/reported/measure").asText()).isEqualTo("RR");
    }

    @Test
    void genericInverseVarianceRowsAreRatiosWithTheSeOfTheirLog() throws Exception {
        RevManReview.Analysis survival = RevManCsv.read(new StringReader(EXPORT), 100).analyses().get(1);
        List<RevManRecords.Body> bodies = RevManRecords.bodies(survival, EffectMeasure.HR);
        ObjectNode first = bodies.get(0).body();
        assertThat(first.at("/reported/form").asText()).isEqualTo("ESTIMATE_WITH_SE");
        assertThat(first.at("/reported/estimate").asDouble()).isCloseTo(0.8, within(1e-15));
        assertThat(first.at("/subgroup").asText()).isEqualTo("Younger patients");
        DerivedEffect derived = derive(first);
        assertThat(derived.estimate()).isCloseTo(-0.2231435513142097, within(1e-15));
        assertThat(derived.standardError()).isEqualTo(0.1);
        assertThat(first.at("/source/table").asText()).isEqualTo("RevMan analysis 1.2 (Overall survival)");
    }

    /**
     * RevMan 5's own inverse-variance, fixed-effect analysis (its export of Fleiss (1993)'s mental-health trials, as
     * shipped with meta): the records these rows become, pooled as a FIXED question pools them, give RevMan's pooled
     * mean difference, interval, z, p and Q to the 8 digits RevMan exports.
     */
    @Test
    void continuousRowsPooledByInverseVarianceGiveRevMansOwnFixedEffectResult() throws Exception {
        String export = """
                Comparison Number,Outcome Number,Subgroup Number,Name,Data Type,Statistical Method,Effect Measure,Analysis Model,Events 1,Mean 1,SD 1,Total 1,Events 2,Mean 2,SD 2,Total 2,Effect Estimate,SE,CI Start,CI End,Weight,Q,P(Q),I²(Q),Tau²,Z,P(Z),Qint,P(Qint),I²(Qint),df,Group Label 1,Group Label 2,Left Graph Label,Right Graph Label,Year of study,User defined order
                1,2,0,Mental Health Treatment versus Control,CON,IV,MD,Fixed,0,,,106,0,,,126,-0.70938839,,-1.25848502,-0.16029176,100,5.66012379,0.22600895,29.33016758,0,2.53211477,0.01133769,0,1,0,4,Mental Health Treatment,Control,Favours experimental,Favours control,,
                1,2,0,Davis,,,,,0,5,4.7,13,0,6.5,3.8,13,-1.5,1.67630546,-4.78549833,1.78549833,2.79315513,,,,,,,,,,,,,,,1973,12
                1,2,0,Florell,,,,,0,4.9,1.71,30,0,6.1,2.3,50,-1.2,0.45085474,-2.08365906,-0.31634094,38.61251498,,,,,,,,,,,,,,,1971,13
                1,2,0,Gruen,,,,,0,22.5,3.44,35,0,24.9,10.65,35,-2.4,1.89175731,-6.10777619,1.30777619,2.19316111,,,,,,,,,,,,,,,1975,14
                1,2,0,Hart,,,,,0,12.5,1.47,20,0,12.3,1.66,20,0.2,0.49580742,-0.77176469,1.17176469,31.92826572,,,,,,,,,,,,,,,1975,15
                1,2,0,Wilson,,,,,0,6.5,0.76,8,0,7.38,1.41,8,-0.88,0.56631484,-1.98995669,0.22995669,24.47290305,,,,,,,,,,,,,,,1977,16
                """;
        RevManReview.Analysis analysis = RevManCsv.read(new StringReader(export), 100).analyses().get(0);
        assertThat(analysis.dataType()).isEqualTo(RevManReview.DataType.CONTINUOUS);
        List<org.livingevidence.metaanalysis.pooling.StudyEffect> effects = new java.util.ArrayList<>();
        for (RevManRecords.Body body : RevManRecords.bodies(analysis, EffectMeasure.MD)) {
            DerivedEffect d = derive(body.body());
            effects.add(new org.livingevidence.metaanalysis.pooling.StudyEffect(body.body().get("studyLabel").asText(), d.estimate(),
                    d.standardError() * d.standardError()));
        }
        org.livingevidence.metaanalysis.pooling.PooledEstimate pooled = org.livingevidence.metaanalysis.pooling.FixedEffect.pool(effects, 0.95).pooled();
        double q = org.livingevidence.metaanalysis.pooling.RandomEffects.fit(effects, org.livingevidence.metaanalysis.pooling.Tau2Method.DL,
                org.livingevidence.metaanalysis.pooling.CiMethod.WALD, 0.95).heterogeneity().q();
        assertThat(pooled.estimate()).isCloseTo(-0.70938839, within(5e-9));
        assertThat(pooled.ciLower()).isCloseTo(-1.25848502, within(5e-9));
        assertThat(pooled.ciUpper()).isCloseTo(-0.16029176, within(5e-9));
        assertThat(Math.abs(pooled.zValue())).isCloseTo(2.53211477, within(5e-9));
        assertThat(pooled.pValue()).isCloseTo(0.01133769, within(5e-9));
        assertThat(q).isCloseTo(5.66012379, within(5e-8));
        assertThat(analysis.revman().effect()).isEqualTo(-0.70938839);
    }

    @Test
    void withoutAScaleFlagTheIntervalDecidesWhetherAnEffectIsARatioOrItsLog() {
        RevManReview.Analysis unflagged = new RevManReview.Analysis(1, 1, null, "OS", RevManReview.DataType.GENERIC_INVERSE_VARIANCE,
                "HR", "IV", true, 0.95, false, null, null, null, null, null, null, List.of());
        assertThat(RevManRecords.naturalScale(unflagged, row(0.8, 0.6, 1.1))).isTrue();
        assertThat(RevManRecords.naturalScale(unflagged, row(-0.22, 0.6, 1.1))).isFalse();
        assertThat(RevManRecords.naturalScale(unflagged, row(-0.22, null, null))).isFalse();
    }

    @Test
    void aFileThatIsNotRevMansExportOrIsOutOfOrderIsRefused() {
        assertThatThrownBy(() -> RevManCsv.read(new StringReader("studyLabel,estimate\nA,1\n"), 10))
                .isInstanceOf(RevManXml.Unreadable.class).hasMessageContaining("Comparison Number");
        String orphan = "Comparison Number,Outcome Number,Subgroup Number,Name,Data Type\n1,3,0,Trial Z,\n";
        assertThatThrownBy(() -> RevManCsv.read(new StringReader(orphan), 10))
                .isInstanceOf(RevManXml.Unreadable.class).hasMessageContaining("before the row of its outcome 1.3");
        assertThatThrownBy(() -> RevManCsv.read(new StringReader(EXPORT), 2))
                .isInstanceOf(RevManXml.Unreadable.class).hasMessageContaining("more than 2 study rows");
    }

    private static RevManReview.Row row(double effect, Double lo, Double hi) {
        return new RevManReview.Row("A", null, null, null, null, null, null, null, null, null, null, effect, 0.1, lo, hi);
    }

    private static DerivedEffect derive(ObjectNode body) throws Exception {
        return ReportedOutcomeDerivation.derive(EventJson.mapper().treeToValue(body.get("reported"), ReportedOutcome.class));
    }
}
