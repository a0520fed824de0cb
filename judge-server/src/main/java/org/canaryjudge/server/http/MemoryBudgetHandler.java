package org.canaryjudge.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Admits requests with a body only while the memory they will take fits a budget, so that large
 * bodies arriving together wait their turn instead of exhausting the heap (an
 * {@code OutOfMemoryError} answers nobody). A request costs {@link #COST_PER_BODY_BYTE} times its
 * declared length (the body, its parsed series, the judge's working copies; measured in
 * docs/performance.md), the body limit's worth when it declares none. One that does not fit waits,
 * holding no thread, in arrival order; after {@code maxWait}, or when {@link #MAX_WAITING} are
 * waiting already, it is answered {@code 503} with {@code Retry-After} and never read. A request
 * larger than the whole budget is admitted alone when nothing else is in flight. A body declared
 * larger than its path's limit is refused ({@code 413}) here, before anything reads it.
 */
final class MemoryBudgetHandler extends Handler.Wrapper {

    /**
     * Bytes of heap a request takes per byte of body: a 12 MB body of a million points a side
     * judged in 160 MiB of heap and failed in 120 MiB (docs/performance.md), so 10 with room.
     */
    static final long COST_PER_BODY_BYTE = 10;
    /** Requests that may wait for the budget at once; beyond, 503 at once. */
    static final int MAX_WAITING = 64;
    /** The least a request with a body costs: the headers, the parser, the judgement. */
    static final long MIN_COST = 256 << 10;

    private final long budget;
    private final long maxBodyBytes;
    private final long flaggerMaxBodyBytes;
    private final Duration maxWait;
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private long inUse;

    private record Waiting(Request request, Response response, Callback callback, long cost, AtomicBoolean done) {
    }

    /**
     * @param budget the heap bytes that requests in flight may take together
     * @param maxBodyBytes the body limit, the cost basis of a request that declares no length
     * @param flaggerMaxBodyBytes the body limit of the Flagger paths, refused (413) here before anything is read
     * @param maxWait how long a request may wait for the budget before it is told to retry
     */
    MemoryBudgetHandler(long budget, long maxBodyBytes, long flaggerMaxBodyBytes, Duration maxWait) {
        this.budget = budget;
        this.maxBodyBytes = maxBodyBytes;
        this.flaggerMaxBodyBytes = flaggerMaxBodyBytes;
        this.maxWait = maxWait;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!HttpMethod.POST.is(request.getMethod())) {
            return super.handle(request, response, callback);
        }
        long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        boolean flagger = request.getHttpURI().getPath() != null && request.getHttpURI().getPath().startsWith("/flagger/");
        long limit = flagger ? flaggerMaxBodyBytes : maxBodyBytes;
        if (declared > limit) {
            // Refused on its declared length, before anything waits for or reads the body.
            return refuse(response, callback, 413, Problem.bodyTooLarge(limit), null);
        }
        long cost = Math.max(MIN_COST, COST_PER_BODY_BYTE * (declared >= 0 ? Math.min(declared, limit) : limit));
        Waiting w = new Waiting(request, response, callback, cost, new AtomicBoolean());
        boolean admit;
        synchronized (this) {
            admit = waiting.isEmpty() && fits(cost);
            if (admit) {
                inUse += cost;
            } else if (waiting.size() >= MAX_WAITING) {
                return busy(w);
            } else {
                waiting.addLast(w);
            }
        }
        if (admit) {
            return run(w);
        }
        getServer().getScheduler().schedule(() -> expire(w), maxWait.toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    private boolean fits(long cost) {
        return inUse + cost <= budget || inUse == 0;
    }

    private boolean run(Waiting w) throws Exception {
        Callback release = new Callback() {
            @Override
            public void succeeded() {
                release(w.cost());
                w.callback().succeeded();
            }

            @Override
            public void failed(Throwable x) {
                release(w.cost());
                w.callback().failed(x);
            }

            @Override
            public Invocable.InvocationType getInvocationType() {
                return w.callback().getInvocationType();
            }
        };
        boolean handled;
        try {
            handled = super.handle(w.request(), w.response(), release);
        } catch (Exception | Error e) {
            release(w.cost());
            throw e;
        }
        if (!handled) {
            release(w.cost());
        }
        return handled;
    }

    private void release(long cost) {
        List<Waiting> admitted = new ArrayList<>();
        synchronized (this) {
            inUse -= cost;
            while (!waiting.isEmpty() && fits(waiting.peekFirst().cost())) {
                Waiting next = waiting.pollFirst();
                if (next.done().compareAndSet(false, true)) {
                    inUse += next.cost();
                    admitted.add(next);
                }
            }
        }
        for (Waiting next : admitted) {
            getServer().getThreadPool().execute(() -> dispatch(next));
        }
    }

    private void dispatch(Waiting w) {
        try {
            if (!run(w)) {
                Response.writeError(w.request(), w.response(), w.callback(), 404);
            }
        } catch (Exception | Error e) {
            Response.writeError(w.request(), w.response(), w.callback(), e);
        }
    }

    private void expire(Waiting w) {
        boolean expired;
        synchronized (this) {
            expired = w.done().compareAndSet(false, true);
            if (expired) {
                waiting.remove(w);
            }
        }
        if (expired) {
            busy(w);
        }
    }

    private boolean busy(Waiting w) {
        return refuse(w.response(), w.callback(), 503,
            Problem.unavailable("the server is busy with other large requests; retry in a few seconds"), "5");
    }

    private static boolean refuse(Response response, Callback callback, int status, Problem problem, String retryAfter) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        if (retryAfter != null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, retryAfter);
        }
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(problem.toJson().getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
