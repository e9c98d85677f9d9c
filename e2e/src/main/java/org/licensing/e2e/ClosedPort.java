package org.licensing.e2e;

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

    private final Socket socket = new Socket();

    public ClosedPort() {
        try {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("could not reserve a loopback port", e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a never-connected socket
        }
    }
}
