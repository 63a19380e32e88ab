package dev.cellshop.testkit.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * One direction of a proxied connection: a reader that stamps each chunk with the time it
 * may leave, and a writer that sends it then, so a delay adds latency without cutting the
 * throughput. Both stop at the black hole's edge (the reader before reading, the writer
 * before writing), so a black hole forwards nothing, loses nothing, and the bounded queue
 * lets TCP's back-pressure reach the sender, as in a real partition.
 */
final class Pipe {

    private static final int CHUNK = 16 * 1024;
    private static final int QUEUED_CHUNKS = 64;
    private static final byte[] END = new byte[0];

    private record Chunk(byte[] bytes, long dueNanos) {
    }

    private final Socket from;
    private final Socket to;
    private final LinkState state;
    private final Runnable ended;
    private final Runnable failed;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);

    /**
     * {@code ended} runs once this direction is over (its FIN passed on, or the link cut);
     * {@code failed} when a socket fails, which ends the whole connection, as a reset does.
     */
    Pipe(Socket from, Socket to, LinkState state, Runnable ended, Runnable failed) {
        this.from = from;
        this.to = to;
        this.state = state;
        this.ended = ended;
        this.failed = failed;
    }

    private volatile Thread reader;
    private volatile Thread writer;

    void start(String name) {
        reader = Thread.ofVirtual().name(name + "-read").start(this::read);
        writer = Thread.ofVirtual().name(name + "-write").start(this::write);
    }

    /** Ends both threads, wherever they wait (the sockets are closed by the caller). */
    void stop() {
        reader.interrupt();
        writer.interrupt();
    }

    private void read() {
        byte[] buffer = new byte[CHUNK];
        try {
            InputStream in = from.getInputStream(); // not closed here: that would close the socket, and the other direction
            while (state.awaitFlowing()) {
                int n = in.read(buffer);
                if (n < 0) {
                    queue.put(new Chunk(END, 0));
                    return;
                }
                queue.put(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + state.latencyNanos()));
            }
        } catch (IOException | InterruptedException e) {
            failed.run(); // closes both sockets, which ends the writer too
        }
    }

    private void write() {
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Chunk chunk = queue.take();
                if (chunk.bytes() == END) {
                    to.shutdownOutput(); // the sender's FIN, passed on
                    return;
                }
                for (long wait = chunk.dueNanos() - System.nanoTime(); wait > 0; wait = chunk.dueNanos() - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                if (!state.awaitFlowing()) {
                    return;
                }
                out.write(chunk.bytes());
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            failed.run();
        } finally {
            ended.run();
        }
    }
}
