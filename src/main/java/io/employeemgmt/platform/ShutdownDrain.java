package io.employeemgmt.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The end of a graceful shutdown. On SIGTERM Spring stops accepting connections and waits for in-flight requests
 * for {@code spring.lifecycle.timeout-per-shutdown-phase} (the drain, 20 s; the pod's grace period of 45 s covers
 * the preStop sleep, the drain and JVM exit). Requests still running when the drain ends used to get no HTTP
 * response at all when the server closed their connections; this lifecycle step, which runs after the drain and
 * before the web server stops, answers each of them 503 problem+json with Retry-After (Connection: close), and
 * marks its thread so that its transaction can no longer commit ({@link #abandoned()}): a client told 503 may
 * retry without creating a duplicate. The request's own later writes are discarded.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ShutdownDrain extends OncePerRequestFilter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShutdownDrain.class);

    /** Threads whose requests were answered 503 at the end of the drain. */
    private static final Set<Thread> ABANDONED = ConcurrentHashMap.newKeySet();

    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private final ProblemWriter problems;
    private volatile boolean running;

    ShutdownDrain(ProblemWriter problems) {
        this.problems = problems;
    }

    /** Whether the current thread's request has already been answered 503 by the end of the drain. */
    static boolean abandoned() {
        return ABANDONED.contains(Thread.currentThread());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        InFlight entry = new InFlight(request, response, Thread.currentThread());
        inFlight.add(entry);
        try {
            chain.doFilter(request, entry.guarded);
        } finally {
            inFlight.remove(entry);
            ABANDONED.remove(entry.thread);
        }
    }

    /** After the web server's graceful-shutdown phase (DEFAULT_PHASE - 1024), before it stops (- 2048). */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1536;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        int answered = 0;
        for (InFlight entry : inFlight) {
            if (entry.answerUnavailable()) {
                answered++;
            }
        }
        if (answered > 0) {
            log.warn("Drain ended with {} requests still running: answered 503 and rolled back", answered);
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private final class InFlight {

        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final Thread thread;
        private final GuardedResponse guarded;

        InFlight(HttpServletRequest request, HttpServletResponse response, Thread thread) {
            this.request = request;
            this.response = response;
            this.thread = thread;
            this.guarded = new GuardedResponse(response);
        }

        boolean answerUnavailable() {
            synchronized (guarded) {
                if (response.isCommitted()) {
                    return false;
                }
                guarded.detached = true;
                ABANDONED.add(thread);
                try {
                    response.setHeader(HttpHeaders.CONNECTION, "close");
                    problems.write(
                            request,
                            response,
                            Problems.unavailable(
                                    "The service instance is shutting down and did not finish this request; nothing"
                                            + " was changed, retry",
                                    Problems.RETRY_AFTER_LOCKED));
                    return true;
                } catch (IOException | RuntimeException e) {
                    log.debug("Could not answer a request at the end of the drain", e);
                    return false;
                }
            }
        }
    }

    /** The response as the application sees it: once detached, everything it writes is discarded. */
    private static final class GuardedResponse extends HttpServletResponseWrapper {

        private volatile boolean detached;
        private ServletOutputStream stream;
        private PrintWriter writer;

        GuardedResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public synchronized ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                ServletOutputStream real = super.getOutputStream();
                stream = new ServletOutputStream() {
                    @Override
                    public boolean isReady() {
                        return real.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        real.setWriteListener(listener);
                    }

                    @Override
                    public void write(int b) throws IOException {
                        synchronized (GuardedResponse.this) {
                            if (!detached) {
                                real.write(b);
                            }
                        }
                    }

                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        synchronized (GuardedResponse.this) {
                            if (!detached) {
                                real.write(bytes, offset, length);
                            }
                        }
                    }

                    @Override
                    public void flush() throws IOException {
                        synchronized (GuardedResponse.this) {
                            if (!detached) {
                                real.flush();
                            }
                        }
                    }
                };
            }
            return stream;
        }

        @Override
        public synchronized PrintWriter getWriter() throws IOException {
            if (writer == null) {
                writer = new PrintWriter(
                        new OutputStreamWriter(getOutputStream(), Charset.forName(getCharacterEncoding())), false);
            }
            return writer;
        }

        @Override
        public synchronized void setStatus(int status) {
            if (!detached) {
                super.setStatus(status);
            }
        }

        @Override
        public synchronized void sendError(int status, String message) throws IOException {
            if (!detached) {
                super.sendError(status, message);
            }
        }

        @Override
        public synchronized void sendError(int status) throws IOException {
            if (!detached) {
                super.sendError(status);
            }
        }

        @Override
        public synchronized void setHeader(String name, String value) {
            if (!detached) {
                super.setHeader(name, value);
            }
        }

        @Override
        public synchronized void addHeader(String name, String value) {
            if (!detached) {
                super.addHeader(name, value);
            }
        }

        @Override
        public synchronized void setContentType(String type) {
            if (!detached) {
                super.setContentType(type);
            }
        }

        @Override
        public synchronized void setContentLength(int length) {
            if (!detached) {
                super.setContentLength(length);
            }
        }

        @Override
        public synchronized void setContentLengthLong(long length) {
            if (!detached) {
                super.setContentLengthLong(length);
            }
        }

        @Override
        public synchronized void flushBuffer() throws IOException {
            if (!detached) {
                if (writer != null) {
                    writer.flush();
                }
                super.flushBuffer();
            }
        }

        @Override
        public synchronized void reset() {
            if (!detached) {
                super.reset();
            }
        }

        @Override
        public synchronized void resetBuffer() {
            if (!detached) {
                super.resetBuffer();
            }
        }
    }
}
