package dev.cellshop.cell.http;

import dev.cellshop.kernel.money.Money;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads and validates request bodies field by field. Every mistake becomes a 400 naming the
 * field and what is wrong with it; unknown fields are ignored (clients may be newer than us).
 */
public final class JsonBody {

    private final JsonObject json;
    private final String prefix;

    private JsonBody(JsonObject json, String prefix) {
        this.json = json;
        this.prefix = prefix;
    }

    public static JsonBody of(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().length() == 0) {
            throw bad("the request needs a JSON object body");
        }
        Object value = Json.decodeValue(ctx.body().buffer()); // malformed JSON: DecodeException -> 400 in ProblemHandler
        if (!(value instanceof JsonObject object)) {
            throw bad("the request body must be a JSON object, not " + (value == null ? "null" : "a JSON " + value.getClass().getSimpleName()
                    .replace("JsonArray", "array").replace("String", "string").replace("Integer", "number")));
        }
        return new JsonBody(object, "");
    }

    public static JsonBody of(JsonObject json, String prefix) {
        return new JsonBody(json, prefix);
    }

    public boolean has(String field) {
        return json.getValue(field) != null;
    }

    public String string(String field, int maxLength) {
        Object value = required(field);
        if (!(value instanceof String s)) {
            throw bad(name(field) + " must be a string");
        }
        if (s.isBlank() || s.length() > maxLength) {
            throw bad(name(field) + " must be 1 to " + maxLength + " characters");
        }
        return s;
    }

    public long wholeNumber(String field, long min, long max) {
        Object value = required(field);
        if (!(value instanceof Integer || value instanceof Long)) {
            throw bad(name(field) + " must be a whole number" + (value instanceof Number ? ", not " + value : ""));
        }
        long n = ((Number) value).longValue();
        if (n < min || n > max) {
            throw bad(name(field) + " must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }

    /** A 64-bit id, sent as a JSON string (JavaScript loses precision above 2^53) or a number. */
    public long id(String field) {
        Object value = required(field);
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof String s && s.matches("[0-9]{1,19}")) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException tooBig) {
                // falls through to the error below
            }
        }
        throw bad(name(field) + " must be an id (a string of digits)");
    }

    /** {@code {"amount": 1999, "currency": "EUR"}}: amount in whole minor units, never a fraction of one. */
    public Money price(String field) {
        JsonBody price = object(field);
        long amount = price.wholeNumber("amount", 0, 1_000_000_000_000L);
        String currency = price.string("currency", 3);
        try {
            return Money.price(amount, currency);
        } catch (IllegalArgumentException e) {
            throw bad(name(field) + ": " + e.getMessage());
        }
    }

    public JsonBody object(String field) {
        Object value = required(field);
        if (!(value instanceof JsonObject o)) {
            throw bad(name(field) + " must be an object");
        }
        return new JsonBody(o, name(field) + ".");
    }

    public JsonArray array(String field, int minSize, int maxSize) {
        Object value = required(field);
        if (!(value instanceof JsonArray a)) {
            throw bad(name(field) + " must be an array");
        }
        if (a.size() < minSize || a.size() > maxSize) {
            throw bad(name(field) + " must hold " + minSize + " to " + maxSize + " items");
        }
        return a;
    }

    public JsonBody element(JsonArray array, String field, int index) {
        if (!(array.getValue(index) instanceof JsonObject o)) {
            throw bad(name(field) + "[" + index + "] must be an object");
        }
        return new JsonBody(o, name(field) + "[" + index + "].");
    }

    private Object required(String field) {
        Object value = json.getValue(field);
        if (value == null) {
            throw bad(name(field) + " is required");
        }
        return value;
    }

    private String name(String field) {
        return prefix + field;
    }

    public static ProblemException bad(String detail) {
        return new ProblemException(Problem.badRequest(detail));
    }
}
