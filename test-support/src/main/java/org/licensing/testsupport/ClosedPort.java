package org.licensing.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * A loopback TCP port that is certainly closed while this object is open: a socket bound to it that never listens,
 * so connecting is refused and no other process can listen there meanwhile. For "nothing answers at this URL"
 * checks, instead of assuming that some fixed port (such as 9) is closed on every machine.
 */
public final class ClosedPort implements AutoCloseable {

    private static final String SHARED_PROPERTY = "licensing.closed-port";

    private final Socket socket;
    private final int heldPort;

    public ClosedPort() {
        socket = new Socket();
        try {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("could not reserve a loopback port", e);
        }
        heldPort = socket.getLocalPort();
    }

    /**
     * One per JVM, closed when the JVM exits: for configuration read before a test runs (a Quarkus test profile).
     * Its port is a system property, so a class loader of a later test profile finds the same one; the shutdown hook
     * that closes it also keeps it from being collected (and closed) with the class loader that made it.
     */
    public static ClosedPort shared() {
        synchronized (System.getProperties()) {
            String held = System.getProperty(SHARED_PROPERTY);
            if (held != null) {
                return new ClosedPort(Integer.parseInt(held));
            }
            ClosedPort port = new ClosedPort();
            Runtime.getRuntime().addShutdownHook(new Thread(port::close, "closed-port-release"));
            System.setProperty(SHARED_PROPERTY, Integer.toString(port.port()));
            return port;
        }
    }

    /** A view of the shared port, which another instance holds (seen from another class loader). */
    private ClosedPort(int held) {
        this.socket = null;
        this.heldPort = held;
    }

    public int port() {
        return heldPort;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a never-connected socket
        }
    }
}
