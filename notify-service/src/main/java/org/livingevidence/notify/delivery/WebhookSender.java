package org.livingevidence.notify.delivery;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * POSTs one signed alert (Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature}, with one signature per current secret). Redirects are not followed and the client
 * does not retry on its own: only a 2xx from the URL itself counts, and the delivery schedule owns retries. Names
 * are resolved through the {@link WebhookAddressGuard}, so the address connected to is one it approved.
 */
@Singleton
public class WebhookSender {

    private static final int EXCERPT = 500;

    private final CloseableHttpClient client;
    private final Clock clock;
    private final Duration deadline;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "webhook-deadlines");
        t.setDaemon(true);
        return t;
    });

    WebhookSender(DeliverySettings settings, WebhookAddressGuard guard, Clock clock) {
        this.clock = clock;
        this.deadline = settings.attemptDeadline();
        Timeout timeout = Timeout.of(settings.requestTimeout());
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(guard)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(5))
                                .setSocketTimeout(timeout).build())
                        .setMaxConnTotal(200).setMaxConnPerRoute(settings.perEndpoint())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
    }

    Delivery.Attempt send(Delivery delivery, List<String> secrets) {
        Instant at = clock.instant();
        long started = System.nanoTime();
        try {
            long timestamp = at.getEpochSecond();
            List<String> signatures = new ArrayList<>();
            for (String secret : secrets) {
                signatures.add(new Webhook(secret).sign(delivery.id(), timestamp, delivery.body()));
            }
            HttpPost post = new HttpPost(delivery.url());
            post.setHeader("user-agent", "living-evidence-notify/1");
            post.setHeader("webhook-id", delivery.id());
            post.setHeader("webhook-timestamp", Long.toString(timestamp));
            // Standard Webhooks: several signatures are space-delimited; a receiver accepts any one it can verify.
            post.setHeader("webhook-signature", String.join(" ", signatures));
            post.setEntity(new StringEntity(delivery.body(), ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
            // Per-read timeouts do not stop a receiver that answers a byte at a time: the deadline aborts the exchange.
            ScheduledFuture<?> abort = deadlines.schedule(post::cancel, deadline.toMillis(), TimeUnit.MILLISECONDS);
            try {
                return execute(post, at, started);
            } finally {
                abort.cancel(false);
            }
        } catch (IOException | IllegalArgumentException | EmptyWebhookSecretException | WebhookSigningException e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (elapsedMillis(started) >= deadline.toMillis()) {
                error = "no complete answer within the " + deadline.toSeconds() + " s deadline (" + error + ")";
            }
            return new Delivery.Attempt(at, null, elapsedMillis(started), error, null, null);
        }
    }

    private Delivery.Attempt execute(HttpPost post, Instant at, long started) throws IOException {
        return client.execute(post, response -> {
                String excerpt = "";
                if (response.getEntity() != null) {
                    try (InputStream body = response.getEntity().getContent()) {
                        // Bounded: a receiver's answer is kept for the log, not trusted to be small.
                        excerpt = new String(body.readNBytes(EXCERPT * 4), StandardCharsets.UTF_8);
                    }
                }
                Header retryAfter = response.getFirstHeader("retry-after");
                return new Delivery.Attempt(at, response.getCode(), elapsedMillis(started), null,
                        excerpt.length() > EXCERPT ? excerpt.substring(0, EXCERPT) : excerpt,
                        retryAfter == null ? null : retryAfterSeconds(retryAfter.getValue(), at));
            });
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

    static long elapsedMillis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    @PreDestroy
    void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }
}
