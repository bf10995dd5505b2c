package dev.mtp.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * What an app opened, in order. Closed in reverse order of opening, within one time budget shared by all: a
 * component that does not close in time is left behind with a warning, so shutdown stays bounded.
 */
final class Components {

    /** Closes one component. */
    @FunctionalInterface
    interface Closing {
        void close() throws Exception;
    }

    private record Component(String name, Closing closing) {}

    private static final Logger log = LoggerFactory.getLogger(Components.class);
    private static final long MIN_CLOSE_MS = 100;

    private final Deque<Component> opened = new ArrayDeque<>();

    synchronized void add(String name, Closing closing) {
        opened.push(new Component(name, closing));
    }

    synchronized int size() {
        return opened.size();
    }

    /** Closes everything, most recently opened first, within {@code budget}. */
    void closeAll(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        while (true) {
            Component c;
            synchronized (this) {
                c = opened.poll();
            }
            if (c == null) {
                return;
            }
            long remainingMs = Math.max(MIN_CLOSE_MS, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            closeOne(c, remainingMs);
        }
    }

    private static void closeOne(Component c, long timeoutMs) {
        long start = System.nanoTime();
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofPlatform().daemon().name("close-" + c.name()).start(() -> {
            try {
                c.closing().close();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        try {
            t.join(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (t.isAlive()) {
            log.atWarn().setMessage("{} did not close within {} ms; moving on").addArgument(c.name())
                    .addArgument(timeoutMs).addKeyValue("component", c.name()).log();
            t.interrupt();
        } else if (failure[0] != null) {
            log.atWarn().setMessage("closing {} failed: {}").addArgument(c.name()).addArgument(failure[0].toString())
                    .addKeyValue("component", c.name()).setCause(failure[0]).log();
        } else {
            log.atInfo().setMessage("closed {} in {} ms").addArgument(c.name()).addArgument(took)
                    .addKeyValue("component", c.name()).addKeyValue("durationMs", took).log();
        }
    }
}
