package io.feedhandler.codecs;

/** Why a received message was dropped as malformed. Counted, never fatal. */
public enum MalformedReason
{
    /** Shorter than a message header, or than the block the header announces. */
    TRUNCATED,
    /** The header names another SBE schema: not our feed. */
    WRONG_SCHEMA,
    /** A template this reader does not know. */
    UNKNOWN_TEMPLATE,
    /** The header's block length is smaller than the fields this reader must read. */
    BAD_BLOCK_LENGTH,
    /** Decodes, but a field is out of range (sequence below 1, instrument id below 1, bad symbol). */
    BAD_VALUE
}
