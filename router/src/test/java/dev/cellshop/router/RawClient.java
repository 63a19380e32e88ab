package dev.cellshop.router;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * A client on a plain socket, for what an HTTP client library would not send: odd request
 * targets and framing, bytes trickled one at a time, a chosen source address on the loopback
 * (127.0.0.2, 127.0.0.3 ... are all this machine).
 */
final class RawClient implements AutoCloseable {

    private final Socket socket;

    RawClient(int port) throws IOException {
        this("127.0.0.1", port);
    }

    /** Connects to the router on 127.0.0.1 from {@code sourceAddress}. */
    RawClient(String sourceAddress, int port) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(sourceAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(15_000);
        socket.setTcpNoDelay(true);
    }

    RawClient send(String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Sends one byte of {@code text} every {@code pauseMillis} until all is sent or the router closes the connection. */
    void trickle(String text, long pauseMillis) {
        try {
            OutputStream out = socket.getOutputStream();
            for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
                out.write(b);
                out.flush();
                Thread.sleep(pauseMillis); // the trickle is what is tested: a client this slow
            }
        } catch (IOException | InterruptedException closed) {
            // the router closed the connection: the trickle ends
        }
    }

    /** {@link #response()} read on another thread (the test goes on sending); a failure reads as {@code failed: …}. */
    CompletableFuture<String> responseLater() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return response();
            } catch (IOException e) {
                return "failed: " + e;
            }
        });
    }

    /** One response (head, and a Content-Length body), or null when the connection closed before a response began. */
    String response() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b;
            try {
                b = in.read();
            } catch (java.net.SocketException reset) {
                b = -1;
            }
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed after " + head.size() + " bytes of the response head");
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Whether the router has closed the connection (reads until the end, or up to the socket's timeout). */
    boolean closedByRouter() throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    /** A keep-alive GET for the shop, and its response. */
    String get(String target, Object shop, String... headerLines) throws IOException {
        StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: router\r\nX-Shop-Id: " + shop + "\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        return send(request.append("\r\n").toString()).response();
    }

    static int status(String response) {
        return response == null ? -1 : Integer.parseInt(response.substring(9, 12));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
