package dev.cellshop.control.mover;

/** Milliseconds each step of the pause took, for the log: where a long pause went. */
final class PauseSteps {

    private final StringBuilder text = new StringBuilder();
    private long last;

    PauseSteps(long start) {
        this.last = start;
    }

    void done(String step) {
        long now = System.nanoTime();
        text.append(text.isEmpty() ? "" : " ").append(step).append('=').append((now - last) / 1_000_000);
        last = now;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
