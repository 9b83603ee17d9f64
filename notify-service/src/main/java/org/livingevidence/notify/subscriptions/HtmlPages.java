package org.livingevidence.notify.subscriptions;

/** The small HTML pages behind email links (confirm, unsubscribe). */
final class HtmlPages {

    private HtmlPages() {
    }

    static String page(String content) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Living evidence alerts</title></head><body><p>"
                + content + "</p></body></html>";
    }

    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
