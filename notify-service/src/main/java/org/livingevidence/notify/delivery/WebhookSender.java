package org.livingevidence.notify.delivery;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * POSTs one signed alert (Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature}). Redirects are not followed: only a 2xx from the URL itself counts.
 */
@Singleton
public class WebhookSender {

    private static final int EXCERPT = 500;

    private final HttpClient client;
    private final DeliverySettings settings;
    private final Clock clock;

    WebhookSender(DeliverySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    Delivery.Attempt send(Delivery delivery, String secret) {
        Instant at = clock.instant();
        long started = System.nanoTime();
        try {
            long timestamp = at.getEpochSecond();
            String signature = new Webhook(secret).sign(delivery.id(), timestamp, delivery.body());
            HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.url()))
                    .timeout(settings.requestTimeout())
                    .header("content-type", "application/json")
                    .header("user-agent", "living-evidence-notify/1")
                    .header("webhook-id", delivery.id())
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.body(), StandardCharsets.UTF_8))
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body() == null ? "" : response.body();
            return new Delivery.Attempt(at, response.statusCode(), elapsedMillis(started), null,
                    body.length() > EXCERPT ? body.substring(0, EXCERPT) : body,
                    response.headers().firstValue("retry-after").map(v -> retryAfterSeconds(v, at)).orElse(null));
        } catch (IOException | IllegalArgumentException | EmptyWebhookSecretException | WebhookSigningException e) {
            return new Delivery.Attempt(at, null, elapsedMillis(started), e.getClass().getSimpleName() + ": " + e.getMessage(), null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery.Attempt(at, null, elapsedMillis(started), "interrupted", null, null);
        }
    }

    /** Retry-After as delay-seconds or an HTTP-date (RFC 9110); null when unreadable. */
    static Long retryAfterSeconds(String value, Instant now) {
        String trimmed = value.trim();
        try {
            return Math.max(0, Long.parseLong(trimmed));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant when = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.max(0, Duration.between(now, when).toSeconds());
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static long elapsedMillis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
