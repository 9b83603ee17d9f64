package org.livingevidence.support.paging;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.uri.UriBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * A page as an HTTP response: the items as a JSON array, the total in {@code X-Total-Count}, and RFC 8288
 * {@code Link} headers to the next and previous pages (with every other query parameter kept).
 */
public final class PagedResponses {

    private PagedResponses() {
    }

    public static <T> MutableHttpResponse<List<T>> of(HttpRequest<?> request, Page<T> page, PageRequest paging) {
        MutableHttpResponse<List<T>> response = HttpResponse.ok(page.items());
        response.header("X-Total-Count", String.valueOf(page.total()));
        List<String> links = new ArrayList<>();
        if (paging.offset() + paging.limit() < page.total()) {
            links.add("<" + at(request, paging.offset() + paging.limit(), paging.limit()) + ">; rel=\"next\"");
        }
        if (paging.offset() > 0) {
            links.add("<" + at(request, Math.max(0, paging.offset() - paging.limit()), paging.limit()) + ">; rel=\"prev\"");
        }
        if (!links.isEmpty()) {
            response.header("Link", String.join(", ", links));
        }
        return response;
    }

    private static String at(HttpRequest<?> request, int offset, int limit) {
        UriBuilder uri = UriBuilder.of(request.getPath());
        request.getParameters().forEach((name, values) -> {
            if (!name.equals("offset") && !name.equals("limit")) {
                values.forEach(v -> uri.queryParam(name, v));
            }
        });
        return uri.queryParam("offset", offset).queryParam("limit", limit).toString();
    }
}
