package org.livingevidence.notify.feeds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndContentImpl;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndEntryImpl;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndFeedImpl;
import com.rometools.rome.feed.synd.SyndLink;
import com.rometools.rome.feed.synd.SyndLinkImpl;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedOutput;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.alerts.Alert;
import org.livingevidence.notify.PublicLinks;
import org.livingevidence.notify.alerts.AlertText;

/**
 * Renders alerts as an Atom 1.0 feed (ROME): one entry per alert, its summary as text, linking to the estimate version
 * it announces (not the latest), with the forest plots of that version and the one before as related links.
 */
final class AtomFeeds {

    private AtomFeeds() {
    }

    /** Who the entries are by: the registry's analysis, not a person. */
    static final String AUTHOR = "Living evidence registry";

    static String render(String id, String title, String selfUrl, List<String> alertBodies, PublicLinks links) {
        List<Alert> alerts = alertBodies.stream().map(AtomFeeds::parse).toList();
        SyndFeed feed = new SyndFeedImpl();
        feed.setFeedType("atom_1.0");
        feed.setUri(id);
        feed.setTitle(xmlSafe(title));
        feed.setLink(selfUrl);
        SyndLink self = new SyndLinkImpl();
        self.setRel("self");
        self.setHref(selfUrl);
        feed.setLinks(List.of(self));
        feed.setAuthor(AUTHOR);
        // Atom needs an updated time: the newest entry's, or now for a feed with none yet.
        feed.setPublishedDate(alerts.isEmpty() ? new Date() : Date.from(alerts.get(0).timestamp()));
        List<SyndEntry> entries = new ArrayList<>();
        for (Alert alert : alerts) {
            SyndEntry entry = new SyndEntryImpl();
            entry.setUri("urn:living-evidence:alert:" + alert.data().alertId());
            entry.setTitle(xmlSafe(title(alert)));
            String questionId = alert.data().questionId();
            long version = alert.data().estimateVersion();
            entry.setLink(links.estimateVersion(questionId, version));
            entry.setAuthor(AUTHOR);
            List<SyndLink> related = new ArrayList<>();
            related.add(link("related", links.forestPlot(questionId, version), "image/svg+xml", "Forest plot, version " + version));
            if (version > 1) {
                related.add(link("related", links.forestPlot(questionId, version - 1), "image/svg+xml", "Forest plot, version " + (version - 1)));
            }
            String page = links.consoleVersion(questionId, version);
            if (page != null) {
                // related, not alternate: the entry's own link stays the estimate version (a Rome entry with an
                // alternate among its links drops the main one).
                related.add(link("related", page, "text/html", "Version " + version + " in the console"));
            }
            entry.setLinks(related);
            entry.setUpdatedDate(Date.from(alert.timestamp()));
            entry.setPublishedDate(Date.from(alert.timestamp()));
            SyndContent content = new SyndContentImpl();
            content.setType("text");
            content.setValue(xmlSafe(alert.data().summary()));
            entry.setDescription(content);
            entries.add(entry);
        }
        feed.setEntries(entries);
        try {
            return new SyndFeedOutput().outputString(feed);
        } catch (FeedException e) {
            throw new IllegalStateException("could not render the feed " + id, e);
        }
    }

    /**
     * XML 1.0 cannot carry control characters (other than tab and line breaks), unpaired surrogates or U+FFFE/FFFF:
     * one in a title would make the whole feed unreadable. New input refuses them; what older events carry is replaced
     * with U+FFFD here.
     */
    static String xmlSafe(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder safe = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            boolean allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD)
                    || cp >= 0x10000;
            safe.appendCodePoint(allowed ? cp : 0xFFFD);
            i += Character.charCount(cp);
        }
        return safe.toString();
    }

    private static SyndLink link(String rel, String href, String type, String title) {
        SyndLink link = new SyndLinkImpl();
        link.setRel(rel);
        link.setHref(href);
        link.setType(type);
        link.setTitle(title);
        return link;
    }

    private static String title(Alert alert) {
        return AlertText.question(alert) + ": " + AlertText.kinds(alert);
    }

    private static Alert parse(String body) {
        try {
            return EventJson.mapper().readValue(body, Alert.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
