package io.feedhandler.subscriber;

/**
 * One of the two network paths the same live messages travel on: A ({@code --channel}) and, for a
 * redundant feed, B ({@code --b-channel}). Both carry the same sequences; the subscriber delivers each
 * once, from whichever line brings it first.
 */
public enum Line
{
    A, B;

    /** The line's name in summaries and counters: {@code a} or {@code b}. */
    public String summaryName()
    {
        return this == A ? "a" : "b";
    }
}
