package dev.cellshop.chaos;

import java.util.Locale;

/** One line per event of the run on stdout, stamped with the seconds since the run began, so a log reads as a timeline. */
public final class Progress {

    private static final long START = System.nanoTime();

    private Progress() {
    }

    public static synchronized void say(String format, Object... args) {
        double seconds = (System.nanoTime() - START) / 1e9;
        System.out.printf(Locale.ROOT, "chaos [%6.1fs] %s%n", seconds, String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
