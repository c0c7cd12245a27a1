package io.feedhandler.gateway;

import io.feedhandler.codecs.Prices;
import io.feedhandler.codecs.Quote;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * A quote as one Server-Sent Event whose {@code data:} is the JSON object every client gets (a
 * WebSocket client gets the same object as a text frame: the bytes between {@link #jsonOffset} and
 * its length). Written once per quote into the gateway's {@link EventLog}, allocating nothing.
 * <pre>
 * id: 42
 * event: quote
 * data: {"type":"quote","sequence":42,"symbol":"AAPL","bid":"189.12","bidSize":300,"ask":"189.13",
 *        "askSize":100,"exchangeTime":"1764300000123456789","publishTime":"1764300000123460000"}
 * </pre>
 * Prices are decimal strings, exactly the mantissa at exponent -8 ({@link Prices#format}), never
 * binary floats; timestamps (nanoseconds since the epoch) are strings too, since they do not fit a
 * JavaScript number exactly.
 */
final class QuoteJson
{
    /** The longest event written: every number at its widest and a symbol of escaped characters. */
    static final int MAX_EVENT_LENGTH = 340;

    private static final byte[] ID = ascii("id: ");
    private static final byte[] EVENT = ascii("\nevent: quote\ndata: ");
    private static final byte[] SEQUENCE = ascii("{\"type\":\"quote\",\"sequence\":");
    private static final byte[] SYMBOL = ascii(",\"symbol\":\"");
    private static final byte[] BID = ascii("\",\"bid\":\"");
    private static final byte[] BID_SIZE = ascii("\",\"bidSize\":");
    private static final byte[] ASK = ascii(",\"ask\":\"");
    private static final byte[] ASK_SIZE = ascii("\",\"askSize\":");
    private static final byte[] EXCHANGE_TIME = ascii(",\"exchangeTime\":\"");
    private static final byte[] PUBLISH_TIME = ascii("\",\"publishTime\":\"");
    private static final byte[] END = ascii("\"}\n\n");
    private static final byte[] MIN_PRICE = ascii(Prices.format(Long.MIN_VALUE));
    private static final long SCALE = Prices.SCALE;

    private int jsonOffset;
    private int jsonLength;

    /**
     * Write {@code quote} as an SSE event at {@code offset}.
     *
     * @param symbol the instrument's symbol, already JSON-escaped ({@link #symbolBytes}).
     * @return the event's length in bytes.
     */
    int encode(final Quote quote, final byte[] symbol, final MutableDirectBuffer buffer, final int offset)
    {
        int at = offset;
        at = put(buffer, at, ID);
        at += buffer.putLongAscii(at, quote.sequence());
        at = put(buffer, at, EVENT);
        final int json = at;
        at = put(buffer, at, SEQUENCE);
        at += buffer.putLongAscii(at, quote.sequence());
        at = put(buffer, at, SYMBOL);
        at = put(buffer, at, symbol);
        at = put(buffer, at, BID);
        at = putPrice(buffer, at, quote.bidPrice());
        at = put(buffer, at, BID_SIZE);
        at += buffer.putLongAscii(at, quote.bidSize());
        at = put(buffer, at, ASK);
        at = putPrice(buffer, at, quote.askPrice());
        at = put(buffer, at, ASK_SIZE);
        at += buffer.putLongAscii(at, quote.askSize());
        at = put(buffer, at, EXCHANGE_TIME);
        at += buffer.putLongAscii(at, quote.exchangeTimestamp());
        at = put(buffer, at, PUBLISH_TIME);
        at += buffer.putLongAscii(at, quote.sendTimestamp());
        at = put(buffer, at, END);
        jsonOffset = json - offset;
        jsonLength = at - 2 - json; // without the blank line that ends the event
        return at - offset;
    }

    /** Where the JSON object of the last event begins, from the event's start. */
    int jsonOffset()
    {
        return jsonOffset;
    }

    int jsonLength()
    {
        return jsonLength;
    }

    /**
     * A price mantissa as {@link Prices#format} writes it: a plain decimal with two to eight decimals,
     * no trailing zeros beyond two.
     */
    static int putPrice(final MutableDirectBuffer buffer, final int offset, final long mantissa)
    {
        if (mantissa == Long.MIN_VALUE)
        {
            return put(buffer, offset, MIN_PRICE);
        }
        int at = offset;
        long value = mantissa;
        if (value < 0)
        {
            buffer.putByte(at++, (byte)'-');
            value = -value;
        }
        at += buffer.putNaturalLongAscii(at, value / SCALE);
        buffer.putByte(at++, (byte)'.');
        long fraction = value % SCALE;
        int digits = 8;
        while (digits > 2 && fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }
        for (int i = digits - 1; i >= 0; i--)
        {
            buffer.putByte(at + i, (byte)('0' + fraction % 10));
            fraction /= 10;
        }
        return at + digits;
    }

    /** A symbol as it goes between the quotes of a JSON string. */
    static byte[] symbolBytes(final CharSequence symbol)
    {
        final StringBuilder escaped = new StringBuilder(symbol.length() + 8);
        for (int i = 0; i < symbol.length(); i++)
        {
            final char c = symbol.charAt(i);
            if (c == '"' || c == '\\')
            {
                escaped.append('\\').append(c);
            }
            else if (c < ' ' || c > '~')
            {
                escaped.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                escaped.append(c);
            }
        }
        return escaped.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static int put(final MutableDirectBuffer buffer, final int offset, final byte[] bytes)
    {
        buffer.putBytes(offset, bytes);
        return offset + bytes.length;
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
