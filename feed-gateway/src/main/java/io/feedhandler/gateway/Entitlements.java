package io.feedhandler.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may see what: bearer tokens, each entitled to a set of symbols or to all ({@code *}), read from
 * the {@code --tokens} file, one line per token: {@code TOKEN: SYM,SYM,...}. Blank lines and lines
 * starting with {@code #} are ignored. A token is compared in constant time with every one known, so
 * a guesser learns nothing from timing.
 */
final class Entitlements
{
    /** What a token may see. */
    record Grant(boolean all, Set<String> symbols)
    {
        /** What everyone may see when the gateway has no tokens. */
        static final Grant EVERYTHING = new Grant(true, Set.of());

        boolean allows(final String symbol)
        {
            return all || symbols.contains(symbol);
        }
    }

    private final Map<String, Grant> grants;

    private Entitlements(final Map<String, Grant> grants)
    {
        this.grants = grants;
    }

    /**
     * @throws IllegalArgumentException naming the file and line when a line is not {@code TOKEN: SYM,...}.
     */
    static Entitlements read(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("bad --tokens '" + file + "': cannot read it (" + ex.getMessage() + ")");
        }
        final Map<String, Grant> grants = new HashMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final int colon = line.indexOf(':');
            final String where = "bad --tokens '" + file + "' line " + (i + 1) + ": ";
            if (colon <= 0)
            {
                throw new IllegalArgumentException(where + "expected 'TOKEN: SYM,SYM,...' or 'TOKEN: *'");
            }
            final String token = line.substring(0, colon).strip();
            if (!token.matches("[A-Za-z0-9._~+/=-]{8,256}"))
            {
                throw new IllegalArgumentException(where + "a token is 8 to 256 characters of A-Z a-z 0-9 . _ ~ + / = -");
            }
            if (grants.containsKey(token))
            {
                throw new IllegalArgumentException(where + "the token is given twice");
            }
            final String list = line.substring(colon + 1).strip();
            if (list.equals("*"))
            {
                grants.put(token, new Grant(true, Set.of()));
                continue;
            }
            final Set<String> symbols = new LinkedHashSet<>();
            for (final String symbol : list.split(","))
            {
                final String s = symbol.strip();
                if (s.isEmpty() || s.length() > io.feedhandler.codecs.Instrument.MAX_SYMBOL_LENGTH || s.equals("*"))
                {
                    throw new IllegalArgumentException(where + "bad symbol '" + s + "' (use '*' alone for all)");
                }
                symbols.add(s);
            }
            grants.put(token, new Grant(false, Set.copyOf(symbols)));
        }
        if (grants.isEmpty())
        {
            throw new IllegalArgumentException("bad --tokens '" + file + "': no token in it");
        }
        return new Entitlements(Map.copyOf(grants));
    }

    /** The grant of a presented token; null when it is missing or unknown. */
    Grant grant(final String token)
    {
        if (token == null)
        {
            return null;
        }
        final byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        Grant found = null;
        for (final Map.Entry<String, Grant> entry : grants.entrySet())
        {
            if (MessageDigest.isEqual(presented, entry.getKey().getBytes(StandardCharsets.UTF_8)))
            {
                found = entry.getValue();
            }
        }
        return found;
    }

    int size()
    {
        return grants.size();
    }
}
