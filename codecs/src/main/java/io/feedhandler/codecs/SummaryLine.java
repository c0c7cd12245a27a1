package io.feedhandler.codecs;

/**
 * Builds the one-line JSON object every long-running command prints last on stdout (a contract:
 * scripts and tests parse it). Keys keep the order they were added in. Only what the summaries
 * need: strings, whole numbers, and nested objects of whole numbers. {@link SummaryJson} reads it back.
 */
public final class SummaryLine
{
    private final StringBuilder json = new StringBuilder(256).append('{');
    private boolean first = true;

    public SummaryLine add(final String key, final String value)
    {
        key(key).append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\')
            {
                json.append('\\').append(c);
            }
            else if (c < ' ')
            {
                json.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                json.append(c);
            }
        }
        json.append('"');
        return this;
    }

    public SummaryLine add(final String key, final long value)
    {
        key(key).append(value);
        return this;
    }

    public SummaryLine add(final String key, final boolean value)
    {
        key(key).append(value);
        return this;
    }

    /** A nested object, already built. */
    public SummaryLine add(final String key, final SummaryLine nested)
    {
        key(key).append(nested);
        return this;
    }

    private StringBuilder key(final String key)
    {
        if (!first)
        {
            json.append(',');
        }
        first = false;
        return json.append('"').append(key).append("\":");
    }

    public String toString()
    {
        return json + "}";
    }
}
