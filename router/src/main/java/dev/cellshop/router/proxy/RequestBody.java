package dev.cellshop.router.proxy;

import dev.cellshop.kernel.problem.Problem;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Set;

/**
 * What the router does with a request's body, decided from its head alone: refuse it (400
 * or 413), keep it (small enough to send again after a 421 or
 * a closed connection) or stream it; and whether the request may be repeated at all.
 * A kept body is also the one the router can sign (its digest goes in the signature); a
 * chunked body is kept too, while it fits the replay limit ({@link #streamed()} once it
 * does not), so every body a cell takes, whatever its framing, is signed.
 *
 * @param declaredLength Content-Length, -1 without one; below -1 the head's framing is refused (see {@link #framed})
 * @param chunked a body of unknown length
 * @param keep read in full before routing, and kept until the exchange ends (a chunked one: while it fits)
 * @param replayable may be sent again even though a cell may have processed it (idempotent or keyed)
 */
record RequestBody(long declaredLength, boolean chunked, boolean keep, boolean replayable) {

    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE);
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final long INVALID = -2;
    /** A Transfer-Encoding other than exactly {@code chunked}: the router cannot tell where the body ends (RFC 9112 6.1). */
    private static final long UNKNOWN_CODING = -3;
    /** Both Content-Length and Transfer-Encoding: a smuggling attempt more often than not (RFC 9112 6.3); see {@link RequestHeadDecoder}. */
    private static final long LENGTH_AND_CODING = -4;

    /** Reads the head's framing; {@link #refusal} says whether the router takes the body at all. */
    static RequestBody of(HttpRequest request, int replayBodyBytes) {
        HttpHeaders headers = request.headers();
        String lengthHeader = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        long length = -1;
        if (lengthHeader != null) {
            try {
                length = Long.parseLong(lengthHeader.trim());
            } catch (NumberFormatException e) {
                length = INVALID;
            }
            length = length < 0 ? INVALID : length;
        }
        boolean chunked = false;
        String coding = headers.get(HttpHeaderNames.TRANSFER_ENCODING);
        if (coding != null) {
            // Only "chunked" alone: another coding (or "chunked" not last) leaves the body's end unknown to a
            // server that reads it otherwise, and that difference is how requests are smuggled.
            if (lengthHeader != null) {
                length = LENGTH_AND_CODING;
            } else if (coding.trim().equalsIgnoreCase("chunked") && headers.getAll(HttpHeaderNames.TRANSFER_ENCODING).size() == 1) {
                chunked = true;
            } else {
                length = UNKNOWN_CODING;
            }
        }
        boolean present = length > 0 || chunked;
        boolean keep = present && (chunked || length <= replayBodyBytes);
        boolean retryable = IDEMPOTENT.contains(request.method()) || headers.contains(IDEMPOTENCY_KEY);
        return new RequestBody(length, chunked, keep, retryable && (!present || keep));
    }

    /** Why the router refuses this body (400, 413), or null when it takes it. */
    Problem refusal(HttpRequest request, long maxBodyBytes) {
        if (declaredLength == INVALID) {
            return Problem.badRequest("Content-Length '" + request.headers().get(HttpHeaderNames.CONTENT_LENGTH)
                    + "' is not a byte count");
        }
        if (declaredLength == UNKNOWN_CODING) {
            return Problem.badRequest("Transfer-Encoding '" + String.join(", ", request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING))
                    + "' is not supported: only 'chunked' (alone) is");
        }
        if (declaredLength == LENGTH_AND_CODING) {
            return Problem.badRequest("A request may have Content-Length or Transfer-Encoding, not both");
        }
        if (declaredLength > maxBodyBytes) {
            return Problem.payloadTooLarge("The request body is " + declaredLength + " bytes; at most " + maxBodyBytes
                    + " are accepted");
        }
        return null;
    }

    /** A chunked body that outgrew the replay limit: it streams on from here, unsigned, and is never sent twice. */
    RequestBody streamed() {
        return new RequestBody(declaredLength, chunked, false, false);
    }

    /** Whether the body goes to the cell with chunk framing: only one that streams (a kept one has its length). */
    boolean chunkedToCell() {
        return chunked && !keep;
    }

    /** Whether the head says where the body ends; when not, the connection cannot carry another request. */
    boolean framed() {
        return declaredLength >= -1;
    }

    boolean present() {
        return declaredLength > 0 || chunked;
    }

    /** Whether the whole request can be sent again: nothing of it streamed past the router. */
    boolean resendable() {
        return !present() || keep;
    }
}
