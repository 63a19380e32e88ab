package dev.cellshop.control.certification;

import dev.cellshop.control.credentials.CellCredentials;
import dev.cellshop.control.shops.CellDatabase;
import dev.cellshop.kernel.placement.CellDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first gate of a certification run: each of the cell's stores answers its own protocol
 * (MySQL validates a connection, Redis says PONG, Memcached its VERSION). A failure names
 * the cell, the component and its address, so the operator knows what to fix.
 */
public final class StoreProbes {

    private static final int TIMEOUT_MS = 3000;
    private static final Pattern HOST_PORT = Pattern.compile("(?:[a-z]+:)*//(?:[^@/]*@)?([^/?#]+)");

    private final CellDatabase databases;

    public StoreProbes(CellDatabase databases) {
        this.databases = databases;
    }

    public void probe(CellDescriptor cell) throws CertificationFailure {
        String mysql = cell.endpoints().mysqlEndpoint().address();
        try {
            databases.ping(cell);
        } catch (SQLException e) {
            throw unreachable(cell, "mysql", mysql, e);
        } catch (CellCredentials.MissingCredentials e) {
            throw new CertificationFailure(cell.cellId() + " mysql " + mysql + ": " + e.getMessage());
        }
        String redis = address(cell.endpoints().redis());
        expect(cell, "redis", redis, "PING\r\n", "+PONG");
        expect(cell, "memcached", cell.endpoints().memcached(), "version\r\n", "VERSION");
    }

    /** host:port of an endpoint given as a URL (redis://h:p) or as host:port. */
    static String address(String endpoint) {
        Matcher m = HOST_PORT.matcher(endpoint);
        return m.lookingAt() ? m.group(1) : endpoint;
    }

    private static void expect(CellDescriptor cell, String component, String address, String command, String replyPrefix)
            throws CertificationFailure {
        int colon = address.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
                    TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(command.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = firstLine(socket.getInputStream());
            if (!reply.startsWith(replyPrefix)) {
                throw new CertificationFailure(cell.cellId() + " " + component + " " + address + " answered '" + reply
                        + "' instead of " + replyPrefix);
            }
        } catch (IOException e) {
            throw unreachable(cell, component, address, e);
        }
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != -1 && b != '\n' && line.length() < 200; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static CertificationFailure unreachable(CellDescriptor cell, String component, String address, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new CertificationFailure(cell.cellId() + " " + component + " " + address + " unreachable: " + root.getMessage());
    }
}
