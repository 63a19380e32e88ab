package dev.cellshop.testkit;

/** `ops/cellshop` failed; the message carries its whole output, which names the failing component's log. */
public final class PlatformCommandException extends RuntimeException {

    public PlatformCommandException(String message) {
        super(message);
    }
}
