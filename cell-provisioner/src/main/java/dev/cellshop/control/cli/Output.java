package dev.cellshop.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.kernel.json.Json;
import java.io.PrintWriter;
import java.util.List;

/** Writes a result: pretty JSON for scripts ({@code --json}) or an aligned table for people. */
final class Output {

    private Output() {
    }

    static void json(PrintWriter out, JsonNode node) {
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Columns padded to their widest cell. */
    static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        line(out, header, widths);
        rows.forEach(row -> line(out, row, widths));
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            b.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + (widths[i] + 2) + "s", cells.get(i)));
        }
        out.println(b.toString().stripTrailing());
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "-" : value.asText();
    }

    static String percent(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isNumber() ? "-" : String.format(java.util.Locale.ROOT, "%.1f%%", value.asDouble() * 100);
    }
}
