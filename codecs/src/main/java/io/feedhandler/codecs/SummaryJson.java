package io.feedhandler.codecs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a summary line ({@link SummaryLine}) back, for the demo, the tests and anyone scripting the
 * feed in Java. A strict JSON reader (RFC 8259) without a dependency: one object; strings, numbers,
 * true, false, null, nested objects and arrays. Anything else, text after the object, or a key set
 * twice in one object is refused, so a broken summary line fails where it is read instead of
 * reading as a missing value.
 * <p>Values: {@link String}, {@link Long} (a whole number that fits), {@link Double} (any other
 * number), {@link Boolean}, {@code null}, {@code List<Object>}, {@code Map<String, Object>} (in the
 * line's order), all unmodifiable.
 */
public final class SummaryJson
{
    /** The one-letter escapes after a backslash, and the characters they stand for. */
    private static final String ESCAPES = "\"\\/bfnrt";
    private static final String ESCAPED = "\"\\/\b\f\n\r\t";
    /** Deeper nesting than any summary has: refused rather than risk the reader's stack. */
    private static final int MAX_DEPTH = 64;

    private final Map<String, Object> fields;

    private SummaryJson(final Map<String, Object> fields)
    {
        this.fields = fields;
    }

    /**
     * @throws IllegalArgumentException naming what is wrong and where, when {@code line} is not one
     *                                  JSON object.
     */
    public static SummaryJson parse(final String line)
    {
        final Reader reader = new Reader(line);
        reader.skipBlanks();
        if (!reader.at('{'))
        {
            throw reader.error("expected a JSON object");
        }
        @SuppressWarnings("unchecked") final Map<String, Object> fields = (Map<String, Object>)reader.value(0);
        reader.skipBlanks();
        if (!reader.atEnd())
        {
            throw reader.error("text after the object");
        }
        return new SummaryJson(fields);
    }

    /** The top-level fields, in the line's order. */
    public Map<String, Object> fields()
    {
        return fields;
    }

    /** A top-level field's value; null when absent (or JSON null). */
    public Object get(final String key)
    {
        return fields.get(key);
    }

    /**
     * The first value named {@code key} at any depth, in the line's order, that is not null: a field
     * of a nested object, such as {@code p99} in {@code latencyNs} or {@code ticksSent} in
     * {@code replay}, is found by its name alone. Null when there is none.
     */
    public Object find(final String key)
    {
        return find(fields, key);
    }

    /** A whole number found by {@link #find}; {@code missing} when absent or not a number. */
    public long number(final String key, final long missing)
    {
        final Object value = find(key);
        return value instanceof Number ? ((Number)value).longValue() : missing;
    }

    /** A string found by {@link #find}; {@code missing} when absent or not a string. */
    public String text(final String key, final String missing)
    {
        final Object value = find(key);
        return value instanceof String ? (String)value : missing;
    }

    /**
     * A nested object found by {@link #find}, such as one durable subscriber's entry in
     * {@code journal stats}; an empty one when absent or not an object.
     */
    @SuppressWarnings("unchecked")
    public SummaryJson object(final String key)
    {
        final Object value = find(key);
        return new SummaryJson(value instanceof Map ? (Map<String, Object>)value : Map.of());
    }

    private static Object find(final Object value, final String key)
    {
        if (value instanceof Map)
        {
            for (final Map.Entry<?, ?> entry : ((Map<?, ?>)value).entrySet())
            {
                if (key.equals(entry.getKey()) && entry.getValue() != null)
                {
                    return entry.getValue();
                }
                final Object nested = find(entry.getValue(), key);
                if (nested != null)
                {
                    return nested;
                }
            }
        }
        else if (value instanceof List)
        {
            for (final Object element : (List<?>)value)
            {
                final Object nested = find(element, key);
                if (nested != null)
                {
                    return nested;
                }
            }
        }
        return null;
    }

    public String toString()
    {
        return fields.toString();
    }

    /** One pass over the text, by recursive descent. */
    private static final class Reader
    {
        private final String text;
        private int position;

        Reader(final String text)
        {
            this.text = text;
        }

        Object value(final int depth)
        {
            if (depth > MAX_DEPTH)
            {
                throw error("nested deeper than " + MAX_DEPTH);
            }
            skipBlanks();
            if (atEnd())
            {
                throw error("expected a value");
            }
            final char c = text.charAt(position);
            switch (c)
            {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return number();
                    }
                    throw error("unexpected '" + c + "'");
            }
        }

        private Map<String, Object> object(final int depth)
        {
            position++; // {
            final Map<String, Object> object = new LinkedHashMap<>();
            skipBlanks();
            if (at('}'))
            {
                position++;
                return Collections.unmodifiableMap(object);
            }
            while (true)
            {
                skipBlanks();
                if (!at('"'))
                {
                    throw error("expected a key in quotes");
                }
                final int keyAt = position;
                final String key = string();
                skipBlanks();
                expect(':');
                final Object value = value(depth + 1);
                if (object.containsKey(key))
                {
                    position = keyAt;
                    throw error("key '" + key + "' set twice");
                }
                object.put(key, value);
                if (endOfList('}'))
                {
                    return Collections.unmodifiableMap(object);
                }
            }
        }

        private List<Object> array(final int depth)
        {
            position++; // [
            final List<Object> array = new ArrayList<>();
            skipBlanks();
            if (at(']'))
            {
                position++;
                return Collections.unmodifiableList(array);
            }
            while (true)
            {
                array.add(value(depth + 1));
                if (endOfList(']'))
                {
                    return Collections.unmodifiableList(array);
                }
            }
        }

        /** After an element: a comma (more follow) or the closing bracket. */
        private boolean endOfList(final char close)
        {
            skipBlanks();
            if (at(','))
            {
                position++;
                return false;
            }
            expect(close);
            return true;
        }

        private String string()
        {
            position++; // "
            final StringBuilder out = new StringBuilder();
            while (true)
            {
                if (atEnd())
                {
                    throw error("unterminated string");
                }
                final char c = text.charAt(position++);
                if (c == '"')
                {
                    return out.toString();
                }
                if (c < ' ')
                {
                    position--;
                    throw error("control character in a string");
                }
                if (c != '\\')
                {
                    out.append(c);
                    continue;
                }
                if (atEnd())
                {
                    throw error("unterminated string");
                }
                final char escaped = text.charAt(position++);
                final int simple = ESCAPES.indexOf(escaped);
                if (simple >= 0)
                {
                    out.append(ESCAPED.charAt(simple));
                }
                else if (escaped == 'u')
                {
                    out.append(hex4());
                }
                else
                {
                    position--;
                    throw error("bad escape '\\" + escaped + "'");
                }
            }
        }

        private char hex4()
        {
            if (position + 4 > text.length())
            {
                throw error("short \\u escape");
            }
            int value = 0;
            for (int i = 0; i < 4; i++)
            {
                final int digit = Character.digit(text.charAt(position), 16);
                if (digit < 0)
                {
                    throw error("bad hex digit in a \\u escape");
                }
                value = value * 16 + digit;
                position++;
            }
            return (char)value;
        }

        /** JSON's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
        private Object number()
        {
            final int start = position;
            if (at('-'))
            {
                position++;
            }
            if (at('0'))
            {
                position++;
            }
            else if (digits() == 0)
            {
                throw error("expected a digit");
            }
            boolean whole = true;
            if (at('.'))
            {
                position++;
                whole = false;
                if (digits() == 0)
                {
                    throw error("expected a digit after '.'");
                }
            }
            if (at('e') || at('E'))
            {
                position++;
                whole = false;
                if (at('+') || at('-'))
                {
                    position++;
                }
                if (digits() == 0)
                {
                    throw error("expected a digit in the exponent");
                }
            }
            final String number = text.substring(start, position);
            if (whole)
            {
                try
                {
                    return Long.parseLong(number);
                }
                catch (final NumberFormatException tooLarge)
                {
                    // beyond a long: still a number
                }
            }
            return Double.parseDouble(number);
        }

        private int digits()
        {
            final int start = position;
            while (!atEnd() && text.charAt(position) >= '0' && text.charAt(position) <= '9')
            {
                position++;
            }
            return position - start;
        }

        private Object literal(final String word, final Object value)
        {
            if (!text.startsWith(word, position))
            {
                throw error("unexpected '" + text.charAt(position) + "'");
            }
            position += word.length();
            return value;
        }

        private void expect(final char c)
        {
            if (!at(c))
            {
                throw error("expected '" + c + "'");
            }
            position++;
        }

        boolean at(final char c)
        {
            return !atEnd() && text.charAt(position) == c;
        }

        boolean atEnd()
        {
            return position >= text.length();
        }

        /** JSON's white space: blank, tab, line feed, carriage return. */
        void skipBlanks()
        {
            while (!atEnd() && " \t\n\r".indexOf(text.charAt(position)) >= 0)
            {
                position++;
            }
        }

        IllegalArgumentException error(final String problem)
        {
            final int from = Math.max(0, position - 20);
            final int to = Math.min(text.length(), position + 20);
            return new IllegalArgumentException("not a JSON summary line: " + problem + " at character " + position +
                " (near '" + text.substring(from, to) + "')");
        }
    }
}
