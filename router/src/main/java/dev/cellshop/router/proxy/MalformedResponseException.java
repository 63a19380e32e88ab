package dev.cellshop.router.proxy;

import java.io.IOException;

/** A cell sent bytes that are no HTTP/1.1 response the router can forward: its connection is closed. */
final class MalformedResponseException extends IOException {

    MalformedResponseException(String message) {
        super("malformed response: " + message);
    }
}
