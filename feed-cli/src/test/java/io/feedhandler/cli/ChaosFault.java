package io.feedhandler.cli;

/** The kinds of fault the chaos soak injects, each made and then healed. */
enum ChaosFault
{
    /** SIGSTOP a process, SIGCONT it after a while. */
    STOP("pause (SIGSTOP/SIGCONT)"),
    /** SIGKILL a process (publisher included) and start it again. */
    KILL("kill (SIGKILL) and restart"),
    /** A host's switch port down, then up. */
    LINK_DOWN("link down"),
    /** A host's switch port shaped (tc tbf) below the feed's rate, then not. */
    THROTTLE("throttle"),
    /** The switch stops forwarding for a host (its link stays up), then resumes. */
    PARTITION("partition"),
    /** Random datagrams, some with an Aeron data frame header, at the live stream's and the replay server's ports. */
    GARBAGE("garbage datagrams"),
    /** The journal's disk fills up (below the publisher's free-space reserve), then frees. */
    DISK_FULL("disk full, then freed");

    private final String description;

    ChaosFault(final String description)
    {
        this.description = description;
    }

    String description()
    {
        return description;
    }
}
