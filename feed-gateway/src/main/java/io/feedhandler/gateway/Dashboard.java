package io.feedhandler.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard page: plain HTML, JavaScript and CSS served from the jar, read once. No build step:
 * what is in {@code src/main/resources/io/feedhandler/gateway/dashboard} is what the browser gets.
 */
final class Dashboard
{
    record Resource(String contentType, byte[] bytes)
    {
    }

    private static final Map<String, Resource> RESOURCES = Map.of(
        "/", load("index.html", "text/html; charset=utf-8"),
        "/index.html", load("index.html", "text/html; charset=utf-8"),
        "/dashboard.js", load("dashboard.js", "text/javascript; charset=utf-8"),
        "/dashboard.css", load("dashboard.css", "text/css; charset=utf-8"));

    private Dashboard()
    {
    }

    /** The resource served at {@code path}; null for none. */
    static Resource resource(final String path)
    {
        return RESOURCES.get(path);
    }

    private static Resource load(final String name, final String contentType)
    {
        try (InputStream in = Dashboard.class.getResourceAsStream("dashboard/" + name))
        {
            if (in == null)
            {
                throw new IllegalStateException("the dashboard's " + name + " is missing from the jar");
            }
            return new Resource(contentType, in.readAllBytes());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
