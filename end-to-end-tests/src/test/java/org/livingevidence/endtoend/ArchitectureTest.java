package org.livingevidence.endtoend;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering rules, run on the production classes of every module (this module has them all on its class path).
 * A rule that matches nothing fails, so a renamed package cannot make a rule pass silently.
 */
class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.livingevidence");
    }

    @Test
    void theStatisticsEngineImportsNoFramework() {
        classes().that().resideInAPackage("org.livingevidence.metaanalysis..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.livingevidence.metaanalysis..",
                        "org.apache.commons.statistics..", "org.apache.commons.numbers..")
                .because("the engine is plain Java, read and tested alone").check(production);
    }

    @Test
    void contractsDependOnNothingInternal() {
        noClasses().that().resideInAPackage("org.livingevidence.contracts..")
                .should().dependOnClassesThat().resideInAnyPackage("org.livingevidence.metaanalysis..", "org.livingevidence.support..",
                        "org.livingevidence.study..", "org.livingevidence.analysis..", "org.livingevidence.notify..",
                        "org.livingevidence.testing..", "org.livingevidence.infrastructure..", "io.micronaut..", "com.mongodb..")
                .because("the contracts are the public wire format; integrators use them without our internals").check(production);
    }

    @Test
    void servicesDoNotDependOnEachOther() {
        String[] services = {"org.livingevidence.study..", "org.livingevidence.analysis..", "org.livingevidence.notify.."};
        for (String service : services) {
            String[] others = java.util.Arrays.stream(services).filter(s -> !s.equals(service)).toArray(String[]::new);
            noClasses().that().resideInAPackage(service).should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("services talk through Kafka topics only").check(production);
        }
    }

    @Test
    void sharedCodeDependsOnNoService() {
        noClasses().that().resideInAnyPackage("org.livingevidence.support..", "org.livingevidence.metaanalysis..")
                .should().dependOnClassesThat().resideInAnyPackage("org.livingevidence.study..", "org.livingevidence.analysis..",
                        "org.livingevidence.notify..")
                .check(production);
    }

    @Test
    void controllersDoNotTouchMongoDb() {
        noClasses().that().areAnnotatedWith("io.micronaut.http.annotation.Controller")
                .should().dependOnClassesThat().resideInAPackage("com.mongodb..")
                .because("controllers map HTTP to the feature's services and repositories, which own storage").check(production);
    }

    @Test
    void domainAndPersistenceDoNotKnowHttp() {
        ArchRule rule = noClasses().that().resideInAnyPackage("org.livingevidence.metaanalysis..",
                        "org.livingevidence.analysis.pooling..", "org.livingevidence.analysis.projections..")
                .or().haveSimpleNameEndingWith("Repository").or().haveSimpleName("RevisionedCollection")
                .or().haveSimpleName("Outbox").or().haveSimpleName("OutboxRelay")
                .should().dependOnClassesThat().resideInAnyPackage("io.micronaut.http..", "org.livingevidence.support.problems..")
                .because("domain code and persistence throw domain exceptions; problem+json is made at the HTTP edge");
        rule.check(production);
    }
}
