package org.livingevidence.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.livingevidence.infrastructure.launch.FreePort;
import org.livingevidence.infrastructure.launch.ServiceProcess;
import org.livingevidence.infrastructure.launch.ServiceProcess.Service;
import org.livingevidence.testing.InfrastructureExtension;
import org.livingevidence.testing.StandardWebhooksVerifier;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.WebhookReceiver;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's chromium through chromium-driver) against the three services and the
 * console as processes on real infrastructure: a curator signs in, creates a question, adds records with the
 * derived effect previewed as they type, watches the forest plot follow an estimate published while the page is
 * open (no reload), and a subscriber follows the question and sees the webhook delivered. axe-core runs in every
 * page and may find nothing serious or critical; each page is also checked on a phone-sized viewport.
 *
 * <p>Without chromium the test is skipped, unless {@code EVIDENCE_REQUIRE_BROWSER=true} (as in .ci/run, which
 * installs it), when a missing browser fails it.
 */
@ExtendWith(InfrastructureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("EVIDENCE_CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("EVIDENCE_CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Api api = new Api();
    private final Map<String, String> keys = new HashMap<>();
    private ServiceProcess study;
    private ServiceProcess analysis;
    private ServiceProcess notify;
    private ServiceProcess console;
    private WebhookReceiver receiver;
    private ChromeDriver browser;
    private WebDriverWait waiting;
    private Path screenshots;
    private Path downloads;
    private String questionId;
    private java.time.Instant afterTwoRecords;

    @BeforeAll
    void start(TestInfrastructure infrastructure) throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("EVIDENCE_REQUIRE_BROWSER"))) {
            throw new AssertionError(CHROMIUM + " or " + CHROMEDRIVER + " is missing: apt-get install chromium chromium-driver");
        }
        assumeTrue(present, "no chromium here (apt-get install chromium chromium-driver); browser tests skipped");
        Path root = Path.of(System.getProperty("evidence.repository.root", "..")).toAbsolutePath().normalize();
        Path logs = root.resolve("end-to-end-tests/target/service-logs/console-browser");
        screenshots = Files.createDirectories(root.resolve("end-to-end-tests/target/screenshots"));
        String run = TestInfrastructure.uniqueName("console");
        study = ServiceProcess.start(root, Service.STUDY, FreePort.pick(), new HashMap<>(infrastructure.serviceProcessProperties(run, "study")), logs.resolve("study-service.log"));
        analysis = ServiceProcess.start(root, Service.ANALYSIS, FreePort.pick(), new HashMap<>(infrastructure.serviceProcessProperties(run, "analysis")), logs.resolve("analysis-service.log"));
        Map<String, String> notifyProperties = new HashMap<>(infrastructure.serviceProcessProperties(run, "notify"));
        notifyProperties.put("evidence.delivery.poll-interval", "200ms");
        int consolePort = FreePort.pick();
        notifyProperties.put("evidence.links.console-base-url", "http://localhost:" + consolePort);
        notify = ServiceProcess.start(root, Service.NOTIFY, FreePort.pick(), notifyProperties, logs.resolve("notify-service.log"));
        console = ServiceProcess.start(root, Service.CONSOLE, consolePort, Map.of("kafka.bootstrap.servers", infrastructure.kafkaBootstrapServers(),
                "evidence.console.study-url", study.baseUrl(), "evidence.console.analysis-url", analysis.baseUrl(),
                "evidence.console.notify-url", notify.baseUrl()), logs.resolve("console.log"));
        receiver = new WebhookReceiver();
        keys.put("curator", issueKey("dr-lee-" + run, "CURATOR", "SUBSCRIBER"));

        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Headless, and nothing that calls out: this machine's network is closed beyond localhost.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", "--user-data-dir=" + Files.createTempDirectory("console-chromium"));
        downloads = Files.createTempDirectory("console-downloads");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(), "download.prompt_for_download", false));
        browser = new ChromeDriver(options);
        browser.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        waiting = new WebDriverWait(browser, PATIENCE);
        // A live page redraws itself when an estimate arrives: an element found a moment ago may be gone; look again.
        waiting.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        for (AutoCloseable c : new AutoCloseable[] {console, notify, analysis, study, receiver}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    @Test
    @Order(1)
    void aCuratorSignsInWithTheKeyboardAndAWrongKeyIsRefusedInPlace() {
        browser.get(console.baseUrl() + "/");
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.name("key")));
        // The skip link is the first stop for a keyboard user.
        Object firstStop = ((JavascriptExecutor) browser).executeScript(
                "return document.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex=\"-1\"])').className;");
        assertThat(firstStop).isEqualTo("skip");
        accessible("sign-in");

        WebElement key = browser.findElement(By.name("key"));
        key.sendKeys("lek_not-a-key-anyone-issued", Keys.ENTER);
        waiting.until(ExpectedConditions.attributeToBe(By.name("key"), "aria-invalid", "true"));
        assertThat(fieldError("key")).contains("not valid");

        key.clear();
        key.sendKeys(keys.get("curator"), Keys.ENTER);
        waiting.until(ExpectedConditions.textToBe(By.tagName("h1"), "Evidence questions"));
        assertThat(browser.findElement(By.id("who")).getText()).contains("dr-lee").contains("curator");
        accessible("questions");
    }

    @Test
    @Order(2)
    void aCuratorCreatesAQuestionAndFieldErrorsAppearBesideTheirFields() {
        browser.findElement(By.linkText("New question")).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.name("title")));
        type("population", "Metastatic breast cancer");
        type("intervention", "Local therapy plus systemic therapy");
        type("comparator", "Systemic therapy alone");
        type("outcome", "Overall survival");
        type("alpha", "5");
        submit();
        waiting.until(ExpectedConditions.attributeToBe(By.name("alpha"), "aria-invalid", "true"));
        assertThat(fieldError("alpha")).isNotBlank();
        accessible("new-question-errors");

        type("alpha", "0.05");
        type("title", "Local therapy for metastatic breast cancer: overall survival (console test)");
        type("tags", "breast-cancer, console-test");
        new Select(browser.findElement(By.name("tau2Estimator"))).selectByValue("DL");
        new Select(browser.findElement(By.name("ciMethod"))).selectByValue("WALD");
        submit();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "(console test)"));
        questionId = browser.getCurrentUrl().replaceAll(".*#/questions/", "");
        assertThat(questionId).startsWith("q_");
        waiting.until(ExpectedConditions.textToBe(By.id("live-state"), "live"));
    }

    @Test
    @Order(3)
    void recordsAreAddedWithTheDerivedEffectPreviewedAndAnImpossibleIntervalNamed() {
        addRecordInTheBrowser("Shien 2025 (JCOG1017)", "2025", "0.86", "0.69", "1.07", "0.90", true);
        waitForK(1);
        addRecordInTheBrowser("Zou 2025", "2025", "0.48", "0.30", "0.77", "0.95", false);
        waitForK(2);
        afterTwoRecords = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
        assertThat(browser.findElement(By.id("statement")).getText()).startsWith("Pooled HR");
        assertThat(browser.findElements(By.cssSelector("tr[data-record]"))).hasSize(2);
        assertThat(browser.findElements(By.cssSelector("tr[data-record]"))).filteredOn(row -> row.getText().startsWith("Shien 2025"))
                .singleElement().satisfies(row -> assertThat(row.getText()).contains("HR 0.86 (90% CI 0.69 to 1.07)")
                        .contains("the normal quantile for a 90% interval"));
        accessible("question");
        screenshot("question");

        // The exports download with the curator's token: the records as CSV, ready for R.
        browser.findElement(By.cssSelector("button[data-download='records.csv']")).click();
        Path csv = downloads.resolve("records.csv");
        waiting.until(d -> Files.exists(csv) && csv.toFile().length() > 0);
        try {
            assertThat(Files.readString(csv)).contains("Shien 2025 (JCOG1017)").contains("Zou 2025");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Order(4)
    void theQuestionPageFollowsAnEstimatePublishedWhileItIsOpenWithoutAReload() throws InterruptedException {
        while (java.time.Instant.now().isBefore(afterTwoRecords.plusMillis(200))) {
            Thread.sleep(50); // so the as-of view below has an instant between the second and the third record
        }
        String versionBefore = browser.findElement(By.id("plot-forest")).getAttribute("data-version");
        String srcBefore = browser.findElement(By.id("plot-forest")).getAttribute("src");
        ((JavascriptExecutor) browser).executeScript("window.stillTheSamePage = 'yes';");

        // Another curator adds a third study through the API while this page is open.
        addRecordByApi("Trial C 2026", 2026, 0.70, 0.55, 0.89);

        waitForK(3);
        waiting.until(d -> !versionBefore.equals(d.findElement(By.id("plot-forest")).getAttribute("data-version")));
        assertThat(browser.findElement(By.id("plot-forest")).getAttribute("src")).isNotEqualTo(srcBefore);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.stillTheSamePage;")).isEqualTo("yes");
        assertThat(browser.findElements(By.cssSelector("tr[data-record]"))).hasSize(3);
        Object plotWidth = ((JavascriptExecutor) browser).executeScript("return document.getElementById('plot-forest').naturalWidth;");
        assertThat(((Number) plotWidth).intValue()).as("the forest plot SVG rendered").isPositive();
    }

    @Test
    @Order(5)
    void aSubscriberFollowsTheQuestionByWebhookCopiesTheSecretAndSeesTheDelivery() {
        browser.findElement(By.linkText("Follow this question")).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.name("webhookUrl")));
        assertThat(browser.findElement(By.name("questionIds")).getAttribute("value")).isEqualTo(questionId);
        browser.findElement(By.cssSelector("input[value=NEW_STUDY]")).click();
        type("webhookUrl", receiver.url());
        accessible("new-subscription");
        submit();
        WebElement secret = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#subscription-created input.copy-value")));
        String signingSecret = secret.getAttribute("value");
        assertThat(signingSecret).startsWith("whsec_");
        screenshot("subscription-created");
        browser.findElement(By.linkText("Open the subscription")).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("deliveries-heading")));

        addRecordByApi("Trial D 2026", 2026, 0.80, 0.60, 1.07);

        waiting.withTimeout(Duration.ofSeconds(60)).until(d -> {
            d.findElement(By.xpath("//button[normalize-space()='Refresh']")).click();
            return !d.findElements(By.cssSelector("tr[data-status=DELIVERED]")).isEmpty();
        });
        // The last Refresh may still be redrawing the log: read the row once it has settled.
        waiting.until(d -> {
            String row = d.findElement(By.cssSelector("tr[data-status=DELIVERED]")).getText();
            return row.contains("Trial D 2026") && row.contains("HTTP 2");
        });
        List<WebhookReceiver.Received> received = receiver.received();
        assertThat(received).isNotEmpty();
        WebhookReceiver.Received last = received.get(received.size() - 1);
        assertThat(StandardWebhooksVerifier.verify(signingSecret, last)).isTrue();
        accessible("subscription");
        screenshot("subscription");

        // The subscriber sends a delivery again, rotates the secret (both signatures for a day), then cancels.
        int before = receiver.received().size();
        waiting.until(d -> {
            d.findElement(By.cssSelector("tr[data-status=DELIVERED] button.link")).click();
            return true;
        });
        waiting.until(d -> receiver.received().size() > before);
        browser.findElement(By.xpath("//button[normalize-space()='Rotate the signing secret']")).click();
        browser.switchTo().alert().accept();
        String rotated = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#fresh input.copy-value"))).getAttribute("value");
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(signingSecret);
        String subscriptionPage = browser.getCurrentUrl();
        browser.findElement(By.xpath("//button[normalize-space()='Cancel subscription']")).click();
        browser.switchTo().alert().accept();
        waiting.until(ExpectedConditions.textToBe(By.tagName("h1"), "My subscriptions"));
        assertThat(browser.findElement(By.cssSelector("table.list tbody")).getText()).contains("disabled");
        browser.get(subscriptionPage);
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("subscription-status"), "disabled (cancelled by its subscriber)"));
        assertThat(browser.findElements(By.xpath("//button[normalize-space()='Cancel subscription']"))).isEmpty();

        // The alert links people to the console's page of the version it announces.
        JsonNode links = readJson(last.body()).path("data").path("links");
        assertThat(links.path("consolePage").asText()).isEqualTo(console.baseUrl() + "/#/questions/" + questionId);
        browser.get(links.path("consoleVersion").asText());
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-state"), "version " + readJson(last.body()).path("data").path("estimateVersion").asText()));
        waiting.until(d -> recordRow(d, "Trial D 2026"));
    }

    @Test
    @Order(6)
    void everyPageWorksOnAPhoneSizedScreen() {
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            for (String page : List.of("#/questions", "#/questions/" + questionId, "#/questions/" + questionId + "/records/new", "#/subscriptions")) {
                browser.get(console.baseUrl() + "/" + page);
                waiting.until(ExpectedConditions.visibilityOfElementLocated(By.tagName("h1")));
                waiting.until(ExpectedConditions.invisibilityOfElementLocated(By.className("loading")));
                Number overflow = (Number) ((JavascriptExecutor) browser).executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertThat(overflow.intValue()).as("horizontal overflow of %s on a phone", page).isLessThanOrEqualTo(0);
                accessible("phone " + page);
            }
            browser.get(console.baseUrl() + "/#/questions/" + questionId);
            waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("plot-forest")));
            screenshot("question-phone");
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    @Test
    @Order(7)
    void theAsOfViewShowsTheQuestionAsItStoodWithTheEstimateOfThatTime() {
        browser.get(console.baseUrl() + "/#/questions/" + questionId);
        WebElement when = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.name("asOf")));
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", when,
                afterTwoRecords.toString().replace("Z", ""));
        browser.findElement(By.xpath("//button[normalize-space()='Show']")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-state"), "as of"));
        waiting.until(ExpectedConditions.textToBe(By.id("estimate-k"), "2"));
        // The estimate is shown first, the records when their own request answers (CI once looked in between).
        waiting.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-record]"), 2));
        assertThat(browser.findElements(By.cssSelector("tr[data-record]"))).hasSize(2);
        assertThat(browser.findElements(By.linkText("Add a record"))).isEmpty();
        accessible("as-of");

        // An alert's link to one estimate version: that version, with the records it pooled.
        browser.get(console.baseUrl() + "/#/questions/" + questionId + "?version=1");
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-state"), "version 1"));
        waiting.until(ExpectedConditions.textToBe(By.id("estimate-k"), "1"));
        waiting.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-record]"), 1));
        assertThat(browser.findElements(By.cssSelector("tr[data-record]"))).hasSize(1);
        assertThat(browser.findElement(By.id("plot-forest")).getAttribute("data-version")).isEqualTo("1");
    }

    @Test
    @Order(9)
    void aBulkImportShowsItsProgressAndReportsTheRowsItRefusedByTheirNumberInTheFile() throws IOException {
        StringBuilder csv = new StringBuilder("studyLabel,publicationYear,form,measure,estimate,lower,upper,ciLevel\n");
        int rows = 1_100;
        for (int row = 1; row <= rows; row++) {
            // Row 1,050 (in the third chunk the console sends) has an interval that excludes its estimate.
            String estimate = row == 1_050 ? "1.50" : "0.85";
            // Quoted labels with commas and quotes in them, and one bare quote inside an unquoted label (a literal).
            String label = row == 7 ? "Registry cohort 7 (12\" follow-up)" : "\"Registry cohort %d, \"\"site\"\"\"".formatted(row);
            csv.append("%s,2020,RATIO_WITH_CI,HR,%s,0.70,1.03,0.95\n".formatted(label, estimate));
        }
        Path file = Files.writeString(screenshots.resolveSibling("console-import.csv"), csv);
        browser.get(console.baseUrl() + "/#/questions/" + questionId + "/import");
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.name("file"))).sendKeys(file.toString());
        accessible("import");
        submit();
        WebElement report = waiting.withTimeout(Duration.ofSeconds(120)).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#import-report h2")));
        assertThat(report.getText()).isEqualTo("Report");
        WebElement progress = browser.findElement(By.id("import-progress"));
        assertThat(progress.getAttribute("value")).isEqualTo(progress.getAttribute("max")).isEqualTo("1100");
        String summary = browser.findElement(By.id("import-report")).getText();
        assertThat(summary).contains("1099 accepted, 0 unchanged (already there), 1 rejected");
        assertThat(browser.findElement(By.cssSelector("#import-report tbody tr td")).getText()).isEqualTo("1050");
        accessible("import-report");
        screenshot("import");
    }

    @Test
    @Order(8)
    void aCuratorRevisesOneRecordAndRetractsAnotherAndTheirHistoriesSayWhoAndWhy() {
        browser.get(console.baseUrl() + "/#/questions/" + questionId);
        waiting.until(d -> {
            recordRow(d, "Zou 2025").findElement(By.linkText("Revise")).click();
            return true;
        });
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.name("reason")));
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview"), "Derived: HR 0.48"));
        type("estimate", "0.50");
        type("lower", "0.31");
        type("upper", "0.80");
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview"), "Derived: HR 0.5"));
        type("reason", "corrected from the full paper's table 2");
        submit();
        waiting.until(d -> recordRow(d, "Zou 2025").getText().contains("HR 0.5 (95% CI 0.31 to 0.8)")
                && recordRow(d, "Zou 2025").getText().contains("corrected from the full paper's table 2"));
        // Open the revised record's history (again, if a new estimate redrew the page meanwhile) until it lists both.
        openUntilListed(d -> recordRow(d, "Zou 2025"), By.xpath(".//button[normalize-space()='History']"), By.cssSelector(".history li"), 2);

        waiting.until(d -> {
            recordRow(d, "Trial C 2026").findElement(By.xpath(".//button[normalize-space()='Retract']")).click();
            return true;
        });
        browser.switchTo().alert().sendKeys("duplicate of a cohort already counted");
        browser.switchTo().alert().accept();
        waiting.until(d -> d.findElements(By.cssSelector("tr.retracted")).stream().anyMatch(row -> row.getText().startsWith("Trial C 2026")));
        openUntilListed(d -> d, By.cssSelector("button[aria-controls=question-history]"), By.cssSelector("#question-history li"), 1);
        assertThat(browser.findElement(By.cssSelector("#question-history li")).getText()).startsWith("revision 1 (active)");
        accessible("question-after-revisions");
    }

    /** The record row whose study label starts so; not found (yet) is what a wait tries again. */
    private static WebElement recordRow(org.openqa.selenium.WebDriver d, String label) {
        return d.findElements(By.cssSelector("tr[data-record]")).stream().filter(row -> row.getText().startsWith(label)).findFirst()
                .orElseThrow(() -> new org.openqa.selenium.NoSuchElementException(label));
    }

    /**
     * Opens a collapsed list (again, if a new estimate redrew the page meanwhile) until it shows {@code count} items:
     * {@code toggle} and {@code items} are looked up within what {@code scope} finds.
     */
    private void openUntilListed(java.util.function.Function<org.openqa.selenium.WebDriver, org.openqa.selenium.SearchContext> scope,
                                 By toggle, By items, int count) {
        waiting.until(d -> {
            org.openqa.selenium.SearchContext within = scope.apply(d);
            if (within.findElements(items).size() == count) {
                return true;
            }
            WebElement button = within.findElement(toggle);
            if (!"true".equals(button.getAttribute("aria-expanded"))) {
                button.click();
            }
            return false;
        });
    }

    private void addRecordInTheBrowser(String label, String year, String estimate, String lower, String upper, String level, boolean mistypeFirst) {
        browser.findElement(By.linkText("Add a record")).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.name("studyLabel")));
        type("studyLabel", label);
        type("publicationYear", year);
        type("ciLevel", level);
        type("lower", lower);
        type("upper", upper);
        if (mistypeFirst) {
            type("estimate", "1.86");
            waiting.until(d -> fieldError("estimate").contains("does not contain"));
            assertThat(browser.findElement(By.name("estimate")).getAttribute("aria-invalid")).isEqualTo("true");
            accessible("record-form-error");
        }
        type("estimate", estimate);
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview"), "Derived: HR " + estimate));
        assertThat(browser.findElement(By.name("estimate")).getAttribute("aria-invalid")).isNull();
        if (mistypeFirst) {
            accessible("record-form");
            screenshot("record-form");
        }
        submit();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("estimate-heading")));
    }

    private void addRecordByApi(String label, int year, double estimate, double lower, double upper) {
        Api.Response response = api.post(study.baseUrl() + "/api/v1/questions/" + questionId + "/outcome-records", """
                {"studyLabel": "%s", "publicationYear": %d, "reported": {"form": "RATIO_WITH_CI", "measure": "HR",
                 "estimate": %s, "lower": %s, "upper": %s, "ciLevel": 0.95}}""".formatted(label, year, estimate, lower, upper));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    private void waitForK(int k) {
        waiting.until(ExpectedConditions.textToBe(By.id("estimate-k"), Integer.toString(k)));
        waiting.until(d -> Integer.toString(k).equals(d.findElement(By.id("estimate-k")).getText())
                && d.findElements(By.cssSelector("tr[data-record]")).size() >= k && !d.findElements(By.id("plot-forest")).isEmpty());
    }

    private void type(String name, String text) {
        WebElement input = browser.findElement(By.name(name));
        input.clear();
        input.sendKeys(text);
    }

    private void submit() {
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
    }

    private String fieldError(String name) {
        String id = browser.findElement(By.name(name)).getAttribute("id");
        return browser.findElement(By.id(id + "-error")).getText();
    }

    /** axe-core in the page as it stands: nothing serious or critical. */
    private void accessible(String page) {
        Results results = new AxeBuilder().analyze(browser);
        List<Rule> severe = results.getViolations().stream()
                .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact())).toList();
        assertThat(severe).as("axe-core on %s: %s", page, severe.stream()
                .map(rule -> rule.getId() + " (" + rule.getImpact() + "): " + rule.getNodes().stream().map(n -> n.getHtml()).limit(3).collect(Collectors.joining(" | ")))
                .collect(Collectors.joining("; "))).isEmpty();
    }

    /** The whole page, not only the window: chromium renders beyond the viewport when asked through DevTools. */
    private void screenshot(String name) {
        try {
            Map<?, ?> size = (Map<?, ?>) ((JavascriptExecutor) browser).executeScript(
                    "return {width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight};");
            Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("captureBeyondViewport", true,
                    "clip", Map.of("x", 0, "y", 0, "width", size.get("width"), "height", Math.min(((Number) size.get("height")).intValue(), 6000), "scale", 1)));
            Files.write(screenshots.resolve("console-" + name + ".png"), java.util.Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readJson(String body) {
        try {
            return org.livingevidence.contracts.EventJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String issueKey(String name, String... roles) {
        JsonNode issued = api.created(study.baseUrl() + "/api/v1/api-keys", """
                {"name": "%s", "roles": [%s]}""".formatted(name, java.util.Arrays.stream(roles).map(r -> "\"" + r + "\"").collect(Collectors.joining(","))));
        return issued.get("apiKey").asText();
    }
}
