package dev.cellshop.chaos.check;

import java.util.ArrayList;
import java.util.List;

/** One invariant's verdict: its name, how many things it checked, and each violation in words. */
public final class Invariant {

    private static final int EXAMPLES = 5;

    private final String name;
    private final List<String> violations = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int checked;

    public Invariant(String name) {
        this.name = name;
    }

    public void checked() {
        checked++;
    }

    public void violation(String what) {
        violations.add(what);
    }

    /** A limit of this check (what it could not see), printed with it. */
    public void note(String what) {
        notes.add(what);
    }

    public int violations() {
        return violations.size();
    }

    public List<String> report() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("invariant %-58s %6d checked, %d violation(s)", name + ":", checked, violations.size()));
        violations.stream().limit(EXAMPLES).forEach(v -> lines.add("    violation: " + v));
        if (violations.size() > EXAMPLES) {
            lines.add("    ... and " + (violations.size() - EXAMPLES) + " more");
        }
        notes.forEach(n -> lines.add("    note: " + n));
        return lines;
    }
}
