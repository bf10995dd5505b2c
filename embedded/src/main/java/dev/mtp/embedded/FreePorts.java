package dev.mtp.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports on 127.0.0.1, for servers that must be told their port before they bind it. */
public final class FreePorts {

    private FreePorts() {
    }

    /** One port that was free a moment ago; the caller binds it soon and retries on a bind failure. */
    public static int pick() {
        return pick(1)[0];
    }

    /** {@code count} distinct ports: every socket stays open until all are picked, so none repeats. */
    public static int[] pick(int count) {
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        } finally {
            sockets.forEach(FreePorts::closeQuietly);
        }
    }

    /** Whether something accepts TCP connections on 127.0.0.1:{@code port} right now. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // A listening socket that never accepted holds nothing to lose.
        }
    }
}
