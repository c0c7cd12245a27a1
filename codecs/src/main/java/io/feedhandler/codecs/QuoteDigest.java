package io.feedhandler.codecs;

/**
 * The feed's digest: one 64-bit value chained over the quote fields (sequence, instrument, bid
 * price, bid size, ask price, ask size) in sequence order. The publisher, every subscriber and
 * {@code feed journal digest} compute it the same way, so two processes that saw the same ticks
 * print the same 16 hex digits.
 * <p>
 * Definition: {@code h = INITIAL}; for each field value {@code v} in the order above,
 * {@code h = mix(h ^ v)}, where {@code mix} is the 64-bit MurmurHash3 finaliser (a bijection, so
 * no two different chains collapse early). Timestamps are left out: they differ between a live
 * send and a replay of the same tick.
 */
public final class QuoteDigest
{
    public static final long INITIAL = 0x9E3779B97F4A7C15L;

    private long value = INITIAL;

    public void update(final Quote quote)
    {
        update(quote.sequence(), quote.instrumentId(), quote.bidPrice(), quote.bidSize(),
            quote.askPrice(), quote.askSize());
    }

    public void update(
        final long sequence,
        final int instrumentId,
        final long bidPrice,
        final long bidSize,
        final long askPrice,
        final long askSize)
    {
        long h = value;
        h = mix(h ^ sequence);
        h = mix(h ^ instrumentId);
        h = mix(h ^ bidPrice);
        h = mix(h ^ bidSize);
        h = mix(h ^ askPrice);
        h = mix(h ^ askSize);
        value = h;
    }

    public long value()
    {
        return value;
    }

    public void reset()
    {
        value = INITIAL;
    }

    public String toHex()
    {
        return toHex(value);
    }

    public static String toHex(final long digest)
    {
        final String hex = Long.toHexString(digest);
        return "0".repeat(16 - hex.length()) + hex;
    }

    static long mix(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
