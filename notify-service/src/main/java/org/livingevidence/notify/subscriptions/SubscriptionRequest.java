package org.livingevidence.notify.subscriptions;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.livingevidence.contracts.FieldLimits;
import org.livingevidence.contracts.alerts.AlertKind;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.Problem.FieldError;
import org.livingevidence.support.validation.FreeText;

/**
 * A new subscription: what to follow (question ids and/or tags, at least one of the two), what to hear about, and
 * exactly one channel ({@code webhook}, {@code email} or {@code feed}). Every field is optional on its own.
 *
 * @param shiftTypes      optional: every conclusion shift when absent; may add NEW_STUDY and ESTIMATE_MOVED
 * @param estimateMovedBy required with ESTIMATE_MOVED: the relative move that matters, 0.10 for 10%
 */
@Schema(description = "A new subscription: what to follow (questionIds and/or tags, at least one), what to hear about "
        + "(shiftTypes), and exactly one channel: webhook, email or feed.")
public record SubscriptionRequest(@Nullable List<String> questionIds, @Nullable List<String> tags,
                                  @Nullable List<AlertKind> shiftTypes, @Nullable Double estimateMovedBy,
                                  @Nullable Webhook webhook, @Nullable Email email, @Nullable Feed feed) {

    public record Webhook(String url) {
    }

    public record Email(String address) {
    }

    /** Alerts kept only in the subscription's Atom feed. */
    public record Feed() {
    }

    static final String TAG_PATTERN = "[a-z0-9][a-z0-9-]{0,49}";
    static final int MAX_QUESTIONS = 100;
    static final int MAX_URL = 2000;
    /** RFC 5321's limit on a forward path. */
    static final int MAX_EMAIL = 254;

    void validate() {
        List<FieldError> errors = new ArrayList<>();
        boolean noIds = questionIds == null || questionIds.isEmpty();
        boolean noTags = tags == null || tags.isEmpty();
        if (noIds && noTags) {
            errors.add(new FieldError("questionIds", "name at least one question id, or follow questions by tags"));
        }
        if (!noIds && FreeText.checkCount(errors, "questionIds", questionIds, MAX_QUESTIONS)) {
            for (int i = 0; i < questionIds.size(); i++) {
                String id = questionIds.get(i);
                if (id == null || !id.matches("[A-Za-z0-9_-]{1," + FieldLimits.ID + "}")) {
                    errors.add(new FieldError("questionIds[" + i + "]", "must be a question id (letters, digits, '_' and '-', at most "
                            + FieldLimits.ID + ")"));
                }
            }
        }
        if (!noTags && FreeText.checkCount(errors, "tags", tags, FieldLimits.TAGS)) {
            for (int i = 0; i < tags.size(); i++) {
                if (tags.get(i) == null || !tags.get(i).matches(TAG_PATTERN)) {
                    errors.add(new FieldError("tags[" + i + "]", "must be a question tag: lower-case letters, digits or '-'"));
                }
            }
        }
        if (shiftTypes != null && (shiftTypes.isEmpty() || shiftTypes.contains(null))) {
            errors.add(new FieldError("shiftTypes", "omit it for every conclusion shift, or list some of " + List.of(AlertKind.values())));
        }
        boolean wantsMoves = shiftTypes != null && shiftTypes.contains(AlertKind.ESTIMATE_MOVED);
        if (wantsMoves && (estimateMovedBy == null || !(estimateMovedBy > 0 && estimateMovedBy <= 10))) {
            errors.add(new FieldError("estimateMovedBy", "ESTIMATE_MOVED needs the relative move that matters, above 0 and at most 10 (0.10 for 10%)"));
        } else if (!wantsMoves && estimateMovedBy != null) {
            errors.add(new FieldError("estimateMovedBy", "applies only when shiftTypes includes ESTIMATE_MOVED"));
        }
        int channels = (webhook != null ? 1 : 0) + (email != null ? 1 : 0) + (feed != null ? 1 : 0);
        if (channels != 1) {
            errors.add(new FieldError("webhook", "give exactly one channel: webhook {url}, email {address} or feed {}"));
        }
        if (webhook != null) {
            if (webhook.url() == null || webhook.url().isBlank()) {
                errors.add(new FieldError("webhook.url", "is required"));
            } else if (webhook.url().length() > MAX_URL) {
                errors.add(new FieldError("webhook.url", "must be at most " + MAX_URL + " characters"));
            } else if (!isHttpUrl(webhook.url())) {
                errors.add(new FieldError("webhook.url", "must be an absolute http or https URL"));
            }
        }
        if (email != null && (email.address() == null || email.address().length() > MAX_EMAIL || !isEmailAddress(email.address()))) {
            errors.add(new FieldError("email.address", "must be one email address, such as curator@example.org"));
        }
        if (!errors.isEmpty()) {
            throw InputProblem.invalid(errors);
        }
    }

    Subscription.Channel channel() {
        return webhook != null ? Subscription.Channel.WEBHOOK : email != null ? Subscription.Channel.EMAIL : Subscription.Channel.FEED;
    }

    List<AlertKind> kindsOrDefault() {
        return shiftTypes == null ? AlertKind.CONCLUSION_SHIFTS : shiftTypes.stream().distinct().toList();
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isEmailAddress(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            new InternetAddress(address, true).validate();
            return address.indexOf('@') > 0 && !address.contains(",");
        } catch (AddressException e) {
            return false;
        }
    }
}
