package org.livingevidence.study.revman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livingevidence.contracts.events.EffectMeasure;

class RevManXmlTest {

    static final Path WORKED_EXAMPLE = Path.of(System.getProperty("evidence.repository.root", ".."))
            .resolve("docs/examples/revman/local-therapy-example.rm5");

    @Test
    void theWorkedExampleReadsAsItsFourAnalysesWithStudiesSubgroupsAndRevMansResults() throws Exception {
        RevManReview review;
        try (InputStream in = Files.newInputStream(WORKED_EXAMPLE)) {
            review = RevManXml.read(in, 5000);
        }
        assertThat(review.title()).startsWith("Local therapy of the primary tumour");
        assertThat(review.analyses()).extracting(RevManReview.Analysis::number).containsExactly("1.1", "1.2", "1.3", "1.4");

        RevManReview.Analysis survival = review.analyses().get(0);
        assertThat(survival.dataType()).isEqualTo(RevManReview.DataType.GENERIC_INVERSE_VARIANCE);
        assertThat(survival.measure()).contains(EffectMeasure.HR);
        assertThat(survival.random()).isTrue();
        assertThat(survival.naturalScale()).isTrue();
        assertThat(survival.comparisonName()).isEqualTo("Local therapy plus systemic therapy versus systemic therapy alone");
        assertThat(survival.rows()).extracting(RevManReview.Row::studyLabel)
                .containsExactly("Shien 2025 (JCOG1017)", "Zou 2025", "Trial A 2019 (fictitious)");
        assertThat(survival.rows().get(0).year()).isEqualTo(2025);
        assertThat(survival.rows().get(1).effect()).isEqualTo(0.48);
        assertThat(survival.revman().effect()).isCloseTo(0.774, within(0.001));

        RevManReview.Analysis deaths = review.analyses().get(1);
        assertThat(deaths.dataType()).isEqualTo(RevManReview.DataType.DICHOTOMOUS);
        assertThat(deaths.measure()).contains(EffectMeasure.RR);
        assertThat(deaths.method()).isEqualTo("IV");
        assertThat(deaths.rows()).extracting(RevManReview.Row::subgroup).containsExactly("Resection of the primary tumour",
                "Resection of the primary tumour", "Ablation of metastases", "Ablation of metastases");
        assertThat(deaths.rows().get(2).events1()).isZero();
        assertThat(deaths.rows().get(2).total2()).isEqualTo(41);

        RevManReview.Analysis quality = review.analyses().get(2);
        assertThat(quality.dataType()).isEqualTo(RevManReview.DataType.CONTINUOUS);
        assertThat(quality.random()).isFalse();
        assertThat(quality.rows().get(0).mean1()).isEqualTo(102.3);
        assertThat(quality.rows().get(0).sd2()).isEqualTo(16.4);

        assertThat(review.analyses().get(3).dataType()).isEqualTo(RevManReview.DataType.O_E_AND_VARIANCE);
    }

    @Test
    void aReviewInLatin1WithEscapedStudyIdsAndNoNamesReadsItsLabelsFromTheIds() throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<COCHRANE_REVIEW><ANALYSES_AND_DATA><COMPARISON NO=\"2\">"
                + "<NAME>Aspirin versus placebo</NAME><DICH_OUTCOME EFFECT_MEASURE=\"OR\" METHOD=\"MH\" NO=\"1\" RANDOM=\"NO\">"
                + "<NAME>Death (Müller's definition)</NAME>"
                + "<DICH_DATA EVENTS_1=\"49\" EVENTS_2=\"67\" STUDY_ID=\"STD-MRC_x002d_1\" TOTAL_1=\"615\" TOTAL_2=\"624\"/>"
                + "</DICH_OUTCOME></COMPARISON></ANALYSES_AND_DATA></COCHRANE_REVIEW>";
        RevManReview review = RevManXml.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.ISO_8859_1)), 10);
        RevManReview.Analysis a = review.analyses().get(0);
        assertThat(a.number()).isEqualTo("2.1");
        assertThat(a.name()).isEqualTo("Death (Müller's definition)");
        assertThat(a.rows().get(0).studyLabel()).isEqualTo("MRC-1");
        assertThat(a.method()).isEqualTo("MH");
    }

    @Test
    void entityExpansionIsRefusedBeforeAnythingExpands() {
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE COCHRANE_REVIEW [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                + "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
                + "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>"
                + "<COCHRANE_REVIEW><COVER_SHEET><TITLE>&g;</TITLE></COVER_SHEET></COCHRANE_REVIEW>";
        assertThatThrownBy(() -> RevManXml.read(stream(laughs), 10)).isInstanceOf(RevManXml.Unreadable.class)
                .hasMessageContaining("document type declaration");
    }

    @Test
    void anExternalEntityIsNeverFetched(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE COCHRANE_REVIEW [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<COCHRANE_REVIEW><ANALYSES_AND_DATA><COMPARISON NO=\"1\"><IV_OUTCOME NO=\"1\"><NAME>&x;</NAME>"
                + "</IV_OUTCOME></COMPARISON></ANALYSES_AND_DATA></COCHRANE_REVIEW>";
        assertThatThrownBy(() -> RevManXml.read(stream(xxe), 10)).isInstanceOf(RevManXml.Unreadable.class)
                .hasMessageNotContaining("TOP-SECRET");
        // An undeclared entity without a DOCTYPE is refused too.
        String undeclared = "<COCHRANE_REVIEW><COVER_SHEET><TITLE>&x;</TITLE></COVER_SHEET></COCHRANE_REVIEW>";
        assertThatThrownBy(() -> RevManXml.read(stream(undeclared), 10)).isInstanceOf(RevManXml.Unreadable.class);
    }

    @Test
    void truncatedMalformedForeignAndEmptyDocumentsAreRefusedWithAReason() throws Exception {
        String whole = Files.readString(WORKED_EXAMPLE);
        assertThatThrownBy(() -> RevManXml.read(stream(whole.substring(0, whole.length() / 2)), 5000))
                .isInstanceOf(RevManXml.Unreadable.class).hasMessageContaining("not well-formed XML");
        assertThatThrownBy(() -> RevManXml.read(stream("<COCHRANE_REVIEW><A></B></COCHRANE_REVIEW>"), 10))
                .isInstanceOf(RevManXml.Unreadable.class).hasMessageContaining("line 1");
        assertThatThrownBy(() -> RevManXml.read(stream("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), 10))
                .isInstanceOf(RevManXml.Unreadable.class).hasMessageContaining("<COCHRANE_REVIEW>");
        assertThatThrownBy(() -> RevManXml.read(stream("<COCHRANE_REVIEW/>"), 10))
                .isInstanceOf(RevManXml.Unreadable.class).hasMessageContaining("no analyses");
        assertThatThrownBy(() -> RevManXml.read(stream(""), 10)).isInstanceOf(RevManXml.Unreadable.class);
        assertThatThrownBy(() -> RevManXml.read(stream("not xml at all"), 10)).isInstanceOf(RevManXml.Unreadable.class);
    }

    @Test
    void rowsDepthAndTextAreCapped() throws Exception {
        assertThatThrownBy(() -> RevManXml.read(Files.newInputStream(WORKED_EXAMPLE), 5))
                .isInstanceOf(RevManXml.Unreadable.class).hasMessageContaining("more than 5 study rows");
        String deep = "<COCHRANE_REVIEW>" + "<X>".repeat(100) + "</X>".repeat(100) + "</COCHRANE_REVIEW>";
        assertThatThrownBy(() -> RevManXml.read(stream(deep), 10)).isInstanceOf(RevManXml.Unreadable.class)
                .hasMessageContaining("deeper than");
        String deepInsideAName = "<COCHRANE_REVIEW><ANALYSES_AND_DATA><COMPARISON NO=\"1\"><NAME>" + "<a>".repeat(100);
        assertThatThrownBy(() -> RevManXml.read(stream(deepInsideAName), 10)).isInstanceOf(RevManXml.Unreadable.class)
                .hasMessageContaining("deeper than");
        String manyAnalyses = "<COCHRANE_REVIEW><ANALYSES_AND_DATA><COMPARISON NO=\"1\">"
                + "<DICH_OUTCOME NO=\"1\" EFFECT_MEASURE=\"RR\"/>".repeat(RevManReview.MAX_ANALYSES + 1) + "</COMPARISON></ANALYSES_AND_DATA></COCHRANE_REVIEW>";
        assertThatThrownBy(() -> RevManXml.read(stream(manyAnalyses), 10)).isInstanceOf(RevManXml.Unreadable.class)
                .hasMessageContaining("more than " + RevManReview.MAX_ANALYSES + " analyses");
        String manyStudies = "<COCHRANE_REVIEW><STUDIES>" + "<STUDY ID=\"S\" NAME=\"x\"/>".repeat(RevManReview.MAX_STUDIES + 1) + "</STUDIES></COCHRANE_REVIEW>";
        assertThatThrownBy(() -> RevManXml.read(stream(manyStudies), 10)).isInstanceOf(RevManXml.Unreadable.class)
                .hasMessageContaining("more than " + RevManReview.MAX_STUDIES + " studies");
        String longName = "<COCHRANE_REVIEW><COVER_SHEET><TITLE>" + "x".repeat(20_000) + "</TITLE></COVER_SHEET></COCHRANE_REVIEW>";
        assertThatThrownBy(() -> RevManXml.read(stream(longName), 10)).isInstanceOf(RevManXml.Unreadable.class)
                .hasMessageContaining("longer than");
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
