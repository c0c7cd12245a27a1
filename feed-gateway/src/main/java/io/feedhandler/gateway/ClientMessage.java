package io.feedhandler.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One message a WebSocket client sends: a flat JSON object whose values are strings, whole numbers,
 * booleans or arrays of strings, e.g. {@code {"type":"subscribe","instruments":["AAPL","MSFT"]}}.
 * A strict reader of exactly that: anything else (nesting, escapes beyond the simple ones, trailing
 * bytes) is refused with the reason, and the client is closed with code 1007.
 */
final class ClientMessage
{
    private final Map<String, Object> fields;

    private ClientMessage(final Map<String, Object> fields)
    {
        this.fields = fields;
    }

    /** @throws IllegalArgumentException naming what is wrong. */
    static ClientMessage parse(final String text)
    {
        final Reader reader = new Reader(text);
        final Map<String, Object> fields = reader.object();
        reader.skipSpace();
        if (reader.at < text.length())
        {
            throw new IllegalArgumentException("bytes after the object at " + reader.at);
        }
        return new ClientMessage(fields);
    }

    String text(final String key)
    {
        final Object value = fields.get(key);
        return value instanceof String ? (String)value : null;
    }

    /** A whole number, or {@code missing}. */
    long number(final String key, final long missing)
    {
        final Object value = fields.get(key);
        return value instanceof Long ? (Long)value : missing;
    }

    boolean flag(final String key)
    {
        return Boolean.TRUE.equals(fields.get(key));
    }

    boolean has(final String key)
    {
        return fields.containsKey(key);
    }

    /** Symbols: an array of strings, or one string of comma-separated symbols; null when absent. */
    List<String> symbols(final String key)
    {
        final Object value = fields.get(key);
        final List<String> symbols = new ArrayList<>();
        if (value instanceof String)
        {
            for (final String symbol : ((String)value).split(","))
            {
                if (!symbol.isBlank())
                {
                    symbols.add(symbol.strip());
                }
            }
            return symbols;
        }
        if (value instanceof List<?>)
        {
            for (final Object symbol : (List<?>)value)
            {
                symbols.add((String)symbol);
            }
            return symbols;
        }
        return null;
    }

    private static final class Reader
    {
        private final String text;
        private int at;

        Reader(final String text)
        {
            this.text = text;
        }

        Map<String, Object> object()
        {
            skipSpace();
            expect('{');
            final Map<String, Object> fields = new HashMap<>();
            skipSpace();
            if (peek() == '}')
            {
                at++;
                return fields;
            }
            while (true)
            {
                skipSpace();
                final String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                if (fields.put(key, value()) != null)
                {
                    throw new IllegalArgumentException("key '" + key + "' given twice");
                }
                skipSpace();
                final char c = next();
                if (c == '}')
                {
                    return fields;
                }
                if (c != ',')
                {
                    throw new IllegalArgumentException("expected ',' or '}' at " + (at - 1));
                }
            }
        }

        private Object value()
        {
            final char c = peek();
            if (c == '"')
            {
                return string();
            }
            if (c == '[')
            {
                at++;
                final List<String> list = new ArrayList<>();
                skipSpace();
                if (peek() == ']')
                {
                    at++;
                    return list;
                }
                while (true)
                {
                    skipSpace();
                    list.add(string());
                    skipSpace();
                    final char d = next();
                    if (d == ']')
                    {
                        return list;
                    }
                    if (d != ',' || list.size() > 10_000)
                    {
                        throw new IllegalArgumentException("expected ',' or ']' at " + (at - 1));
                    }
                }
            }
            if (text.startsWith("true", at))
            {
                at += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("false", at))
            {
                at += 5;
                return Boolean.FALSE;
            }
            final int start = at;
            if (peek() == '-')
            {
                at++;
            }
            while (at < text.length() && Character.isDigit(text.charAt(at)) && at - start < 19)
            {
                at++;
            }
            if (at == start || at - start > 18 || at < text.length() && Character.isDigit(text.charAt(at)))
            {
                throw new IllegalArgumentException("expected a string, a whole number, a boolean or an array at " + start);
            }
            return Long.parseLong(text.substring(start, at));
        }

        private String string()
        {
            expect('"');
            final StringBuilder value = new StringBuilder();
            while (true)
            {
                final char c = next();
                if (c == '"')
                {
                    return value.toString();
                }
                if (c == '\\')
                {
                    final char escaped = next();
                    if (escaped != '"' && escaped != '\\' && escaped != '/')
                    {
                        throw new IllegalArgumentException("unsupported escape at " + (at - 1));
                    }
                    value.append(escaped);
                }
                else if (c < ' ')
                {
                    throw new IllegalArgumentException("control character in a string at " + (at - 1));
                }
                else
                {
                    value.append(c);
                }
                if (value.length() > 256)
                {
                    throw new IllegalArgumentException("string longer than 256 characters");
                }
            }
        }

        void skipSpace()
        {
            while (at < text.length() && Character.isWhitespace(text.charAt(at)))
            {
                at++;
            }
        }

        private char peek()
        {
            if (at >= text.length())
            {
                throw new IllegalArgumentException("unexpected end");
            }
            return text.charAt(at);
        }

        private char next()
        {
            final char c = peek();
            at++;
            return c;
        }

        private void expect(final char c)
        {
            if (next() != c)
            {
                throw new IllegalArgumentException("expected '" + c + "' at " + (at - 1));
            }
        }
    }
}
