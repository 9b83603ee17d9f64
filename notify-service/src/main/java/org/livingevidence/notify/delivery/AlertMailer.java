package org.livingevidence.notify.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micronaut.email.Email;
import io.micronaut.email.EmailException;
import io.micronaut.email.EmailSender;
import io.micronaut.email.MultipartBody;
import jakarta.inject.Singleton;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Instant;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.alerts.Alert;
import org.livingevidence.notify.PublicLinks;
import org.livingevidence.notify.questions.QuestionDirectory;
import org.livingevidence.notify.alerts.AlertText;
import org.livingevidence.notify.subscriptions.Subscription;
import org.livingevidence.support.secrets.SecretBox;

/**
 * Emails one alert over SMTP (Micronaut Email on Jakarta Mail, {@code javamail.properties.mail.smtp.*}). Every email
 * carries an unsubscribe link, in its text and as a one-click {@code List-Unsubscribe} header (RFC 8058).
 */
@Singleton
public class AlertMailer {

    /** Recorded as the attempt's status: SMTP's "requested action completed". */
    static final int SMTP_ACCEPTED = 250;

    private final EmailSender<Message, ?> sender;
    private final PublicLinks links;
    private final SecretBox secrets;
    private final Clock clock;
    private final QuestionDirectory questions;

    AlertMailer(EmailSender<Message, ?> sender, PublicLinks links, SecretBox secrets, Clock clock, QuestionDirectory questions) {
        this.sender = sender;
        this.links = links;
        this.secrets = secrets;
        this.clock = clock;
        this.questions = questions;
    }

    Delivery.Attempt send(Delivery delivery, Subscription subscription) {
        return delivery.kind() == Delivery.Kind.CONFIRMATION ? sendConfirmation(delivery, subscription) : sendAlert(delivery, subscription);
    }

    /** Asks the address's owner to confirm; nothing else is sent to an address before that. */
    private Delivery.Attempt sendConfirmation(Delivery delivery, Subscription subscription) {
        Instant at = clock.instant();
        long started = System.nanoTime();
        try {
            String link = links.confirmation(secrets.open(delivery.body(), Delivery.confirmationSealedAt(delivery.id())));
            String text = "Someone asked for evidence alerts (subscription " + subscription.id() + ") to be sent to this address.\n\n"
                    + "To receive them, confirm here: " + link + "\n\nIf it was not you, ignore this email: nothing will be sent.\n";
            String html = "<p>Someone asked for evidence alerts (subscription " + escape(subscription.id()) + ") to be sent to this address.</p>"
                    + "<p><a href=\"" + escape(link) + "\">Confirm the subscription</a></p>"
                    + "<p><small>If it was not you, ignore this email: nothing will be sent.</small></p>";
            sender.send(Email.builder().to(delivery.email()).subject("Confirm your evidence alert subscription")
                    .body(new MultipartBody(html, text)), message -> {
                try {
                    message.setHeader("X-Alert-Id", delivery.id());
                } catch (MessagingException e) {
                    throw new EmailException(e);
                }
            });
            return new Delivery.Attempt(at, SMTP_ACCEPTED, WebhookSender.elapsedMillis(started), null, null, null);
        } catch (EmailException | IllegalArgumentException | SecretBox.UnreadableSecret e) {
            return failed(at, started, e);
        }
    }

    private Delivery.Attempt sendAlert(Delivery delivery, Subscription subscription) {
        Instant at = clock.instant();
        long started = System.nanoTime();
        try {
            Alert alert = EventJson.mapper().readValue(delivery.body(), Alert.class);
            String unsubscribe = links.unsubscribe(subscription.unsubscribeToken());
            QuestionDirectory.Arms named = questions.arms(alert.data().questionId());
            AlertEmail email = new AlertEmail(alert, links, unsubscribe, new AlertEmail.Arms(named.intervention(), named.comparator()));
            sender.send(Email.builder().to(delivery.email()).subject(subject(alert))
                    .body(new MultipartBody(email.html(), email.text())), message -> {
                try {
                    message.setHeader("List-Unsubscribe", "<" + unsubscribe + ">");
                    message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
                    message.setHeader("X-Alert-Id", delivery.id());
                } catch (MessagingException e) {
                    throw new EmailException(e);
                }
            });
            return new Delivery.Attempt(at, SMTP_ACCEPTED, WebhookSender.elapsedMillis(started), null, null, null);
        } catch (EmailException | JsonProcessingException | IllegalArgumentException e) {
            return failed(at, started, e);
        }
    }

    private static Delivery.Attempt failed(Instant at, long started, Exception e) {
        String cause = e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")";
        return new Delivery.Attempt(at, null, WebhookSender.elapsedMillis(started),
                e.getClass().getSimpleName() + ": " + e.getMessage() + cause, null, null);
    }

    static String subject(Alert alert) {
        return "Evidence update (" + AlertText.kinds(alert) + "): " + AlertText.question(alert);
    }

    private static String escape(String s) {
        return AlertEmail.escape(s);
    }
}
