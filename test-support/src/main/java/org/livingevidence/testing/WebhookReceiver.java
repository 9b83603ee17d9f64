package org.livingevidence.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A subscriber's webhook endpoint on loopback: records every request and answers with the queued status codes
 * (then 200), so tests can make it fail a few times before it succeeds.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One received request; header names in lower case. */
    public record Received(Map<String, String> headers, String body, Instant at) {
    }

    private record Response(int status, Map<String, String> headers, long delayMillis, long trickleMillis) {
        Response(int status, Map<String, String> headers, long delayMillis) {
            this(status, headers, delayMillis, 0);
        }
    }

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Response> responses = new ArrayDeque<>();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(headers, body, Instant.now()));
            Response response;
            synchronized (responses) {
                response = responses.isEmpty() ? new Response(200, Map.of(), 0) : responses.poll();
            }
            if (response.delayMillis() > 0) {
                try {
                    Thread.sleep(response.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            if (response.trickleMillis() > 0) {
                // A status, then a body one byte at a time, for as long as the sender waits: every read succeeds.
                exchange.sendResponseHeaders(response.status(), 0);
                try {
                    while (!executor.isShutdown()) {
                        exchange.getResponseBody().write('.');
                        exchange.getResponseBody().flush();
                        Thread.sleep(response.trickleMillis());
                    }
                } catch (IOException | InterruptedException e) {
                    // The sender gave up.
                }
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(response.status(), -1);
            exchange.close();
        });
        // A hanging answer must not hold up the next request, as with any real endpoint.
        server.setExecutor(executor);
        server.start();
    }

    /** Answers the next requests with these statuses, in order, before returning to 200. */
    public void respondWith(int... codes) {
        synchronized (responses) {
            for (int code : codes) {
                responses.add(new Response(code, Map.of(), 0));
            }
        }
    }

    /** Answers the next request with {@code code} and a Retry-After of {@code seconds}. */
    public void respondWithRetryAfter(int code, long seconds) {
        synchronized (responses) {
            responses.add(new Response(code, Map.of("Retry-After", Long.toString(seconds)), 0));
        }
    }

    /** Answers the next request with a 307 redirect to {@code location}. */
    public void redirectTo(String location) {
        synchronized (responses) {
            responses.add(new Response(307, Map.of("Location", location), 0));
        }
    }

    /** Answers the next request with 200, but only after {@code millis}: longer than a sender's timeout, a hang. */
    public void answerAfter(long millis) {
        synchronized (responses) {
            responses.add(new Response(200, Map.of(), millis));
        }
    }

    /** Answers every request with 200 and then a body of one byte every {@code millis}, never ending. */
    public void trickleEvery(long millis) {
        synchronized (responses) {
            for (int i = 0; i < 1000; i++) {
                responses.add(new Response(200, Map.of(), 0, millis));
            }
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/evidence";
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
