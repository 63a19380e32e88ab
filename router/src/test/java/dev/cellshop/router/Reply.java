package dev.cellshop.router;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/** A response as a test sees it. */
public record Reply(int status, MultiMap headers, String body, long nanos) {

    public JsonObject json() {
        return new JsonObject(body);
    }

    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
