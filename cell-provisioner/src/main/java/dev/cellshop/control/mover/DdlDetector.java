package dev.cellshop.control.mover;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Recognises, in a binlog QUERY event, a statement that changes or removes a moving table
 * (ALTER, DROP, RENAME, TRUNCATE, CREATE/DROP INDEX ... ON): after it the rows the applier
 * writes no longer fit the table the copy read, so the move must abort. Matching is on the
 * statement's words, comments removed and names unquoted; a statement naming another
 * schema explicitly is not ours.
 */
public final class DdlDetector {

    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|--[^\\n]*|#[^\\n]*", Pattern.DOTALL);
    private static final Pattern DDL = Pattern.compile(
            "^\\s*(ALTER\\s+(?:ONLINE\\s+|IGNORE\\s+)*TABLE|DROP\\s+(?:TEMPORARY\\s+)?TABLE|RENAME\\s+TABLE|TRUNCATE(?:\\s+TABLE)?"
                    + "|(?:CREATE|DROP)\\s+(?:ONLINE\\s+|OR\\s+REPLACE\\s+)*(?:UNIQUE\\s+|FULLTEXT\\s+|SPATIAL\\s+)?INDEX)\\b",
            Pattern.CASE_INSENSITIVE);
    // a table reference: optional schema, each part optionally back-quoted
    private static final Pattern NAME = Pattern.compile("(?:(`(?:[^`]|``)+`|[A-Za-z0-9_$]+)\\s*\\.\\s*)?(`(?:[^`]|``)+`|[A-Za-z0-9_$]+)");

    private final String schema;
    private final Set<String> tables;

    public DdlDetector(String schema, Set<String> tables) {
        this.schema = schema.toLowerCase(Locale.ROOT);
        this.tables = tables.stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The moving table the statement changes, if any. {@code defaultSchema} is the session's
     * database when the statement ran (the QUERY event carries it), used for unqualified names.
     */
    public Optional<String> changedTable(String defaultSchema, String sql) {
        String text = COMMENTS.matcher(sql).replaceAll(" ");
        Matcher ddl = DDL.matcher(text);
        if (!ddl.find()) {
            return Optional.empty();
        }
        String sessionSchema = defaultSchema == null ? "" : defaultSchema.toLowerCase(Locale.ROOT);
        Matcher name = NAME.matcher(text);
        int from = ddl.end();
        while (name.find(from)) {
            from = name.end();
            if (name.end() == name.start()) {
                from++;
                continue;
            }
            String table = unquote(name.group(2));
            String tableSchema = name.group(1) == null ? sessionSchema : unquote(name.group(1));
            if (tableSchema.equals(schema) && tables.contains(table)) {
                return Optional.of(table);
            }
        }
        return Optional.empty();
    }

    private static String unquote(String part) {
        String p = part.startsWith("`") ? part.substring(1, part.length() - 1).replace("``", "`") : part;
        return p.toLowerCase(Locale.ROOT);
    }
}
