package org.livingevidence.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.alerts.AlertSchema;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.BenefitDirection;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.ConclusionShifted;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.Pico;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.contracts.events.Trigger;
import org.livingevidence.testing.EventPublisher;
import org.livingevidence.testing.RealInfrastructure;
import org.livingevidence.testing.TestJson;
import org.livingevidence.testing.WebhookReceiver;

/** Email through a real SMTP server (GreenMail), Atom feeds, following by tag, and estimate-level alerts. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubscriptionChannelsTest implements RealInfrastructure {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    MongoDatabase database;

    private GreenMail smtp;
    private EventPublisher events;
    private String subscriber;

    @Override
    public Map<String, String> getProperties() {
        // Called before the context starts, so the SMTP server is up first and its port can be configured.
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        return propertiesWith(Map.of(
                "kafka.consumer-group", "notify-" + UUID.randomUUID(),
                "evidence.delivery.poll-interval", "100ms",
                "javamail.properties.mail.smtp.host", "127.0.0.1",
                "javamail.properties.mail.smtp.port", Integer.toString(smtp.getSmtp().getPort())));
    }

    @BeforeAll
    void start() {
        events = new EventPublisher(infrastructure().kafkaBootstrapServers());
        subscriber = Subscribers.issueKey(http, "carol");
    }

    @AfterAll
    void stop() {
        events.close();
        smtp.stop();
    }

    private JsonNode subscribe(String json) {
        return TestJson.parse(http.toBlocking().retrieve(
                HttpRequest.POST("/api/v1/subscriptions", json).contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(subscriber)));
    }

    private static String newQuestionId() {
        return "q_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Conclusion conclusion(double hr, boolean significant) {
        return new Conclusion(Conclusion.Direction.FAVOURS_INTERVENTION, significant, AnalysisSettings.Model.RANDOM, 0.05, 2, hr, hr * 0.8,
                hr * 1.25, significant ? 0.001 : 0.2, "statement", null, null, null);
    }

    private static PooledEstimateComputed estimate(String questionId, long version, double hr, Trigger trigger) throws Exception {
        try (InputStream example = SubscriptionChannelsTest.class.getResourceAsStream(
                "/org/livingevidence/contracts/examples/pooled-estimate-computed/v1/two-studies-fixed.json")) {
            PooledEstimateComputed base = EventJson.mapper().readValue(example, PooledEstimateComputed.class);
            return new PooledEstimateComputed(questionId, version, Instant.now(), base.effectMeasure(), base.scale(), base.k(),
                    base.fixedEffect(), base.randomEffects(), base.heterogeneity(), base.studies(), conclusion(hr, false), trigger,
                    base.predictionInterval(), base.tau2ConfidenceInterval(), base.notes(), base.sequential(), null, null);
        }
    }

    @Test
    void anEmailSubscriptionWaitsForConsentThenAlertsCarryTheSummaryAndAnUnsubscribeLinkThatWorks() throws Exception {
        String q = newQuestionId();
        String address = "reader-" + q + "@example.org";
        JsonNode created = subscribe("{\"questionIds\": [\"" + q + "\"], \"email\": {\"address\": \"" + address + "\"}}");
        String id = created.get("id").asText();
        assertThat(created.get("status").asText()).isEqualTo("PENDING_CONFIRMATION");

        // Only the confirmation goes to the address; a shift before consent reaches nobody.
        await().atMost(Duration.ofSeconds(30)).until(() -> mailsTo(address).size() == 1);
        events.publish(Shifts.significanceFlip(q, 2), q);
        await().atMost(Duration.ofSeconds(30)).until(() -> database.getCollection("question_feed").find(Filters.eq("_id", q + ":2")).first() != null);
        MimeMessage confirmationMail = mailsTo(address).get(0);
        assertThat(confirmationMail.getSubject()).contains("Confirm");
        String body = plainText(confirmationMail);
        String confirmPath = body.substring(body.indexOf("/subscriptions/confirm?token="));
        confirmPath = confirmPath.substring(0, confirmPath.indexOf('\n')).strip();
        assertThat(status(id)).isEqualTo("PENDING_CONFIRMATION");
        assertThat(http.toBlocking().exchange(HttpRequest.GET(confirmPath), String.class).body()).contains("<form method=\"post\"");
        assertThat(status(id)).isEqualTo("PENDING_CONFIRMATION");
        http.toBlocking().exchange(HttpRequest.POST(confirmPath, "").contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE), String.class);
        assertThat(status(id)).isEqualTo("ACTIVE");
        assertThat(mailsTo(address)).hasSize(1);

        events.publish(Shifts.significanceFlip(q, 3), q);

        await().atMost(Duration.ofSeconds(30)).until(() -> mailsTo(address).size() == 2);
        MimeMessage mail = mailsTo(address).get(1);
        assertThat(mail.getSubject()).contains("significance flip");
        String text = plainText(mail);
        assertThat(text).contains("since Study B was added").contains("/unsubscribe?token=")
                .contains("Now (estimate version 3): 0.74, 95% CI 0.62 to 0.88, p < 0.001: significant, favours the intervention")
                .contains("At the last shift (or first estimate): 0.80, 95% CI 0.60 to 1.07, p = 0.13: not significant")
                .contains("/estimates/3/plots/forest.svg").contains("/estimates/2/plots/forest.svg");
        String html = html(mail);
        assertThat(html).contains("<h1").contains("95% CI 0.62 to 0.88").contains("p &lt; 0.001").contains("favours the intervention")
                .contains("/unsubscribe?token=");
        String listUnsubscribe = mail.getHeader("List-Unsubscribe")[0];
        assertThat(listUnsubscribe).startsWith("<").contains("/unsubscribe?token=");
        assertThat(listUnsubscribe).contains(created.at("/links/unsubscribe").asText().substring(created.at("/links/unsubscribe").asText().indexOf("token=")));
        JsonNode log = TestJson.parse(http.toBlocking().retrieve(HttpRequest.GET("/api/v1/subscriptions/" + id + "/deliveries").bearerAuth(subscriber)));
        assertThat(log).extracting(d -> d.get("kind").asText()).containsExactly("CONFIRMATION", "ALERT");
        assertThat(log.get(1).get("status").asText()).isEqualTo("DELIVERED");
        assertThat(log.get(1).get("channel").asText()).isEqualTo("EMAIL");
        // Neither link's token is stored readable: the confirmation delivery holds it encrypted, the subscription a digest.
        String stored = database.getCollection("subscriptions").find(Filters.eq("_id", id)).first().toJson()
                + database.getCollection("deliveries").find(Filters.eq("subscriptionId", id)).into(new java.util.ArrayList<>());
        assertThat(stored).doesNotContain(confirmPath.substring(confirmPath.indexOf("token=") + 6))
                .doesNotContain(listUnsubscribe.substring(listUnsubscribe.indexOf("token=") + 6, listUnsubscribe.length() - 1));

        String path = listUnsubscribe.substring(listUnsubscribe.indexOf("/unsubscribe"), listUnsubscribe.length() - 1);
        HttpResponse<String> confirmation = http.toBlocking().exchange(HttpRequest.GET(path), String.class);
        assertThat(confirmation.body()).contains("<form method=\"post\"");
        assertThat(status(id)).isEqualTo("ACTIVE");
        http.toBlocking().exchange(HttpRequest.POST(path, "List-Unsubscribe=One-Click").contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE), String.class);
        assertThat(status(id)).isEqualTo("DISABLED");
    }

    @Test
    void feedAndUnsubscribeTokensAreShownOnceAndRotatable() throws Exception {
        String q = newQuestionId();
        JsonNode created = subscribe("{\"questionIds\": [\"" + q + "\"], \"feed\": {}}");
        String id = created.get("id").asText();
        String oldFeed = created.at("/links/feed").asText();
        String oldUnsubscribe = created.at("/links/unsubscribe").asText();
        JsonNode read = TestJson.parse(http.toBlocking().retrieve(HttpRequest.GET("/api/v1/subscriptions/" + id).bearerAuth(subscriber)));
        assertThat(read.at("/links/feed").isMissingNode() || read.at("/links/feed").isNull()).isTrue();

        String newFeed = TestJson.parse(http.toBlocking().retrieve(HttpRequest.POST("/api/v1/subscriptions/" + id + "/feed-token-rotation", "")
                .bearerAuth(subscriber))).get("url").asText();
        String newUnsubscribe = TestJson.parse(http.toBlocking().retrieve(HttpRequest.POST("/api/v1/subscriptions/" + id
                + "/unsubscribe-token-rotation", "").bearerAuth(subscriber))).get("url").asText();

        assertThat(httpStatus(oldFeed.substring(oldFeed.indexOf("/feeds/")))).isEqualTo(404);
        assertThat(httpStatus(newFeed.substring(newFeed.indexOf("/feeds/")))).isEqualTo(200);
        assertThat(httpStatus(oldUnsubscribe.substring(oldUnsubscribe.indexOf("/unsubscribe")))).isEqualTo(404);
        assertThat(httpStatus(newUnsubscribe.substring(newUnsubscribe.indexOf("/unsubscribe")))).isEqualTo(200);
        String document = database.getCollection("subscriptions").find(Filters.eq("_id", id)).first().toJson();
        assertThat(document).doesNotContain(newFeed.substring(newFeed.indexOf("token=") + 6))
                .doesNotContain(newUnsubscribe.substring(newUnsubscribe.indexOf("token=") + 6));
    }

    /** The decoded text/plain part of a (multipart) email. */
    private static String plainText(jakarta.mail.Part part) throws Exception {
        return partOf(part, "text/plain");
    }

    /** The decoded text/html part of a (multipart) email. */
    private static String html(jakarta.mail.Part part) throws Exception {
        return partOf(part, "text/html");
    }

    private static String partOf(jakarta.mail.Part part, String mimeType) throws Exception {
        if (part.isMimeType(mimeType)) {
            return part.getContent().toString();
        }
        if (part.getContent() instanceof jakarta.mail.Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String found = partOf(multipart.getBodyPart(i), mimeType);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private int httpStatus(String path) {
        try {
            return http.toBlocking().exchange(HttpRequest.GET(path), String.class).getStatus().getCode();
        } catch (HttpClientResponseException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void aQuestionsFeedAndASubscriptionsFeedAreAtomAnyReaderCanRead() throws Exception {
        String q = newQuestionId();
        JsonNode created = subscribe("{\"questionIds\": [\"" + q + "\"], \"feed\": {}}");
        String feedUrl = created.at("/links/feed").asText();
        String feedPath = feedUrl.substring(feedUrl.indexOf("/feeds/"));

        events.publish(Shifts.significanceFlip(q), q);

        await().atMost(Duration.ofSeconds(30)).until(() -> feed("/feeds/questions/" + q).getEntries().size() == 1);
        SyndFeed questionFeed = feed("/feeds/questions/" + q);
        com.rometools.rome.feed.synd.SyndEntry entry = questionFeed.getEntries().get(0);
        assertThat(entry.getDescription().getValue()).contains("since Study B was added");
        assertThat(entry.getUri()).isEqualTo("urn:living-evidence:alert:" + q + ":2");
        // The entry links to the estimate version it announces, and to the forest plots of it and the one before.
        assertThat(entry.getLink()).endsWith("/api/v1/questions/" + q + "/estimates/2");
        assertThat(entry.getLinks()).extracting(com.rometools.rome.feed.synd.SyndLink::getHref)
                .anySatisfy(href -> assertThat(href).endsWith("/estimates/2/plots/forest.svg"))
                .anySatisfy(href -> assertThat(href).endsWith("/estimates/1/plots/forest.svg"));
        assertThat(entry.getAuthor()).isEqualTo("Living evidence registry");
        await().atMost(Duration.ofSeconds(30)).until(() -> feed(feedPath).getEntries().size() == 1);
        assertThat(feed(feedPath).getEntries().get(0).getTitle()).contains("significance flip");

        String wrongToken = feedPath.substring(0, feedPath.indexOf("token=") + 6) + "not-the-token";
        try {
            http.toBlocking().retrieve(wrongToken);
            throw new AssertionError("expected 404");
        } catch (HttpClientResponseException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(404);
        }
    }

    @Test
    void followingATagAlertsOnNewStudiesAndOnEstimatesThatMoveBeyondTheThreshold() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String q = newQuestionId();
            String tag = "tag-" + q.substring(2).toLowerCase();
            subscribe("{\"tags\": [\"" + tag + "\"], \"shiftTypes\": [\"NEW_STUDY\", \"ESTIMATE_MOVED\"], \"estimateMovedBy\": 0.10,"
                    + " \"webhook\": {\"url\": \"" + receiver.url() + "\"}}");
            events.publish(new QuestionRevised(q, 1, "Tagged question", new Pico("p", "i", "c", "o"), EffectMeasure.HR,
                    BenefitDirection.LOWER, AnalysisSettings.defaults(), QuestionRevised.QuestionStatus.ACTIVE, Instant.now(),
                    "curator:test", List.of(tag), null), q);
            await().atMost(Duration.ofSeconds(30)).until(() -> database.getCollection("questions").find(Filters.eq("_id", q)).first() != null);

            events.publish(estimate(q, 1, 0.80, new Trigger(Trigger.Kind.OUTCOME_RECORD, "r_1", 1, "Study One", Trigger.Change.ADDED)), q);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
            events.publish(estimate(q, 2, 0.78, new Trigger(Trigger.Kind.OUTCOME_RECORD, "r_1", 2, "Study One", Trigger.Change.REVISED)), q);
            PooledEstimateComputed third = estimate(q, 3, 0.70, new Trigger(Trigger.Kind.OUTCOME_RECORD, "r_1", 3, "Study One", Trigger.Change.REVISED));
            events.publish(third, q);
            events.publish(third, q);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 2);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() == 2);

            JsonNode newStudy = TestJson.parse(receiver.received().get(0).body());
            assertThat(newStudy.get("type").asText()).isEqualTo("estimate.updated");
            assertThat(AlertSchema.violations(newStudy)).isEmpty();
            assertThat(newStudy.at("/data/shiftTypes")).extracting(JsonNode::asText).containsExactly("NEW_STUDY");
            assertThat(newStudy.at("/data/summary").asText()).startsWith("Study One was added: pooled HR 0.80");
            assertThat(newStudy.at("/data/questionTitle").asText()).isEqualTo("Tagged question");
            JsonNode moved = TestJson.parse(receiver.received().get(1).body());
            assertThat(moved.at("/data/shiftTypes")).extracting(JsonNode::asText).containsExactly("ESTIMATE_MOVED");
            assertThat(AlertSchema.violations(moved)).isEmpty();
            assertThat(moved.at("/data/estimateVersion").asLong()).isEqualTo(3);
            // Measured from 0.80, what the subscriber was last told, not from 0.78.
            assertThat(moved.at("/data/summary").asText()).contains("moved 13% from 0.80");
        }
    }

    @Test
    void aShiftCarryingItsQuestionsTagsReachesTagFollowersWithoutTheQuestionEvent() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String q = newQuestionId();
            String tag = "carried-" + q.substring(2).toLowerCase();
            subscribe("{\"tags\": [\"" + tag + "\"], \"webhook\": {\"url\": \"" + receiver.url() + "\"}}");
            ConclusionShifted bare = Shifts.significanceFlip(q);
            ConclusionShifted described = new ConclusionShifted(bare.shiftId(), q, bare.estimateVersion(), bare.shiftTypes(),
                    bare.previous(), bare.current(), bare.trigger(), bare.summary(), bare.occurredAt(), "Carried title", List.of(tag));

            events.publish(described, q);

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
            assertThat(TestJson.parse(receiver.received().get(0).body()).at("/data/questionTitle").asText()).isEqualTo("Carried title");
        }
    }

    @Test
    void aShiftAndANewStudyOfTheSameEstimateAreTwoAlerts() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String q = newQuestionId();
            subscribe("{\"questionIds\": [\"" + q + "\"], \"shiftTypes\": [\"SIGNIFICANCE_FLIP\", \"NEW_STUDY\"],"
                    + " \"webhook\": {\"url\": \"" + receiver.url() + "\"}}");

            events.publish(estimate(q, 2, 0.74, new Trigger(Trigger.Kind.OUTCOME_RECORD, "r_b", 1, "Study B", Trigger.Change.ADDED)), q);
            events.publish(Shifts.significanceFlip(q), q);

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 2);
            assertThat(receiver.received()).extracting(r -> TestJson.parse(r.body()).get("type").asText())
                    .containsExactlyInAnyOrder("conclusion.shifted", "estimate.updated");
            assertThat(receiver.received()).extracting(r -> r.headers().get("webhook-id")).doesNotHaveDuplicates();
        }
    }

    private String status(String subscriptionId) {
        return TestJson.parse(http.toBlocking().retrieve(HttpRequest.GET("/api/v1/subscriptions/" + subscriptionId)
                .bearerAuth(subscriber))).get("status").asText();
    }

    private List<MimeMessage> mailsTo(String address) {
        return java.util.Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return java.util.Arrays.toString(m.getAllRecipients()).contains(address);
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        }).toList();
    }

    private SyndFeed feed(String path) throws Exception {
        HttpResponse<String> response = http.toBlocking().exchange(HttpRequest.GET(path), String.class);
        assertThat(response.getContentType().map(MediaType::toString).orElse("")).startsWith("application/atom+xml");
        return new SyndFeedInput().build(new StringReader(response.body()));
    }
}
