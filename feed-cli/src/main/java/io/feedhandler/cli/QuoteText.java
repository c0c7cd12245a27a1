package io.feedhandler.cli;

import io.feedhandler.codecs.Prices;
import io.feedhandler.codecs.Quote;

import java.time.Instant;

/**
 * A quote as a person reads it, one format for every command that prints quotes as text
 * ({@code subscribe --print}, {@code replay --format text}):
 * {@code SEQUENCE PUBLISH-TIME SYMBOL BIDSIZE @ BID / ASK x ASKSIZE}, e.g.
 * {@code 42 2026-11-20T14:30:00.000012345Z AAPL 300 @ 189.12 / 189.13 x 100}. An instrument whose
 * definition is not known (yet) shows as {@code #ID}. The gateway's JSON is a format for programs, not this.
 */
final class QuoteText
{
    private QuoteText()
    {
    }

    static StringBuilder append(final StringBuilder out, final Quote quote, final String symbol)
    {
        out.append(quote.sequence()).append(' ')
            .append(Instant.ofEpochSecond(0, quote.sendTimestamp())).append(' ');
        if (symbol == null || symbol.isEmpty())
        {
            out.append('#').append(quote.instrumentId());
        }
        else
        {
            out.append(symbol);
        }
        return out.append(' ')
            .append(quote.bidSize()).append(" @ ").append(Prices.format(quote.bidPrice()))
            .append(" / ")
            .append(Prices.format(quote.askPrice())).append(" x ").append(quote.askSize());
    }
}
