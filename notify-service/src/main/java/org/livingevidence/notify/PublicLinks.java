package org.livingevidence.notify;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The absolute URLs alerts, feeds and emails point to, from each service's public base URL ({@code evidence.links.*}). */
@Singleton
public class PublicLinks {

    private final String notify;
    private final String analysis;
    private final String study;
    private final String console;

    @jakarta.inject.Inject
    public PublicLinks(@Value("${evidence.links.notify-base-url:`http://localhost:8083`}") String notify,
                @Value("${evidence.links.analysis-base-url:`http://localhost:8082`}") String analysis,
                @Value("${evidence.links.study-base-url:`http://localhost:8081`}") String study,
                @Value("${evidence.links.console-base-url:}") String console) {
        this.notify = trim(notify);
        this.analysis = trim(analysis);
        this.study = trim(study);
        this.console = console == null || console.isBlank() ? null : trim(console.trim());
    }

    /** Without a console: alerts link to the services' APIs only. */
    public PublicLinks(String notify, String analysis, String study) {
        this(notify, analysis, study, null);
    }

    /** The question's page in the web console, or null where the deployment names none. */
    public String consolePage(String questionId) {
        return console == null ? null : console + "/#/questions/" + encode(questionId);
    }

    /** One estimate version's page in the web console, or null where the deployment names none. */
    public String consoleVersion(String questionId, long estimateVersion) {
        return console == null ? null : console + "/#/questions/" + encode(questionId) + "?version=" + estimateVersion;
    }

    public String estimate(String questionId) {
        return analysis + "/api/v1/questions/" + encode(questionId) + "/estimate";
    }

    /** One estimate version, as published (analysis-service keeps every version). */
    public String estimateVersion(String questionId, long estimateVersion) {
        return analysis + "/api/v1/questions/" + encode(questionId) + "/estimates/" + estimateVersion;
    }

    /** The forest plot of one estimate version (SVG, drawn by analysis-service). */
    public String forestPlot(String questionId, long estimateVersion) {
        return analysis + "/api/v1/questions/" + encode(questionId) + "/estimates/" + estimateVersion + "/plots/forest.svg";
    }

    /** The same forest plot as a PNG, for email clients that show no SVG. */
    public String forestPlotPng(String questionId, long estimateVersion) {
        return analysis + "/api/v1/questions/" + encode(questionId) + "/estimates/" + estimateVersion + "/plots/forest.png";
    }

    /** The pooled estimate over its versions, with each conclusion shift marked (SVG). */
    public String historyPlot(String questionId) {
        return analysis + "/api/v1/questions/" + encode(questionId) + "/plots/history.svg";
    }

    public String question(String questionId) {
        return study + "/api/v1/questions/" + encode(questionId);
    }

    public String record(String recordId) {
        return study + "/api/v1/outcome-records/" + encode(recordId);
    }

    /** Every alert-worthy change of a question, as Atom: open to anyone, like the registry itself. */
    public String questionFeed(String questionId) {
        return notify + "/feeds/questions/" + encode(questionId);
    }

    /** The subscription's own alerts, as Atom; the token in it stands in for a key, as feed readers cannot send one. */
    public String subscriptionFeed(String subscriptionId, String feedToken) {
        return notify + "/feeds/subscriptions/" + encode(subscriptionId) + "?token=" + encode(feedToken);
    }

    /** One click stops the subscription: the link in every email. */
    public String unsubscribe(String unsubscribeToken) {
        return notify + "/unsubscribe?token=" + encode(unsubscribeToken);
    }

    /** The link that confirms an email subscription: sent to the address, and only there. */
    public String confirmation(String confirmationToken) {
        return notify + "/subscriptions/confirm?token=" + encode(confirmationToken);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String trim(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
