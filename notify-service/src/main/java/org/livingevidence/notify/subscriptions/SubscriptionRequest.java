package org.livingevidence.notify.subscriptions;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.livingevidence.contracts.events.ConclusionShifted.ShiftType;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.Problem.FieldError;

/**
 * @param shiftTypes optional: every shift type when absent
 */
public record SubscriptionRequest(List<String> questionIds, List<ShiftType> shiftTypes, Webhook webhook) {

    public record Webhook(String url) {
    }

    void validate() {
        List<FieldError> errors = new ArrayList<>();
        if (questionIds == null || questionIds.isEmpty()) {
            errors.add(new FieldError("questionIds", "name at least one question id"));
        } else {
            for (int i = 0; i < questionIds.size(); i++) {
                String id = questionIds.get(i);
                if (id == null || id.isBlank()) {
                    errors.add(new FieldError("questionIds[" + i + "]", "must not be blank"));
                }
            }
        }
        if (shiftTypes != null && (shiftTypes.isEmpty() || shiftTypes.contains(null))) {
            errors.add(new FieldError("shiftTypes", "omit it for every type, or list some of " + List.of(ShiftType.values())));
        }
        if (webhook == null || webhook.url() == null || webhook.url().isBlank()) {
            errors.add(new FieldError("webhook.url", "is required"));
        } else if (!isHttpUrl(webhook.url())) {
            errors.add(new FieldError("webhook.url", "must be an absolute http or https URL"));
        }
        if (!errors.isEmpty()) {
            throw InputProblem.invalid(errors);
        }
    }

    List<ShiftType> shiftTypesOrAll() {
        return shiftTypes == null ? List.of(ShiftType.values()) : List.copyOf(shiftTypes);
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
}
