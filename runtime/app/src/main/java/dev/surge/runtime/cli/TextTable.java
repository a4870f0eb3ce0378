package dev.surge.runtime.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table as {@code kubectl get} prints one: upper-case headings, columns two spaces apart, a missing
 * value as {@code -}. An optional column is left out when no row has a value in it. Pure.
 */
final class TextTable {
    private final List<String> headings = new ArrayList<>();
    private final List<Boolean> optional = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();

    TextTable column(String heading) {
        headings.add(heading);
        optional.add(false);
        return this;
    }

    TextTable optionalColumn(String heading) {
        headings.add(heading);
        optional.add(true);
        return this;
    }

    /** A row of values, one per column in order; null is shown as {@code -}. */
    TextTable row(Object... values) {
        if (values.length != headings.size()) {
            throw new IllegalArgumentException(values.length + " values for " + headings.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object v : values) {
            row.add(v == null || v.toString().isEmpty() ? "-" : v.toString().replace('\n', ' '));
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table, one line per row after the headings, each line ending in a newline; no trailing spaces. */
    String render() {
        List<Integer> shown = new ArrayList<>();
        for (int c = 0; c < headings.size(); c++) {
            int column = c;
            if (!optional.get(c) || rows.stream().anyMatch(r -> !r.get(column).equals("-"))) {
                shown.add(c);
            }
        }
        int[] width = new int[headings.size()];
        for (int c : shown) {
            width[c] = headings.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder s = new StringBuilder();
        line(s, headings, shown, width);
        rows.forEach(r -> line(s, r, shown, width));
        return s.toString();
    }

    private static void line(StringBuilder s, List<String> cells, List<Integer> shown, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < shown.size(); i++) {
            String cell = cells.get(shown.get(i));
            l.append(cell);
            if (i < shown.size() - 1) {
                l.append(" ".repeat(width[shown.get(i)] - cell.length() + 2));
            }
        }
        s.append(l.toString().stripTrailing()).append('\n');
    }
}
