package tapnet.cli.probe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tapnet.tap.NetworkNamespace;

/**
 * A bounded pool of platform threads that live inside one network namespace (or the current one), so that
 * every socket a job opens belongs to that namespace's kernel stack.
 *
 * <p>NetworkNamespace keeps its setns private and offers {@link NetworkNamespace#call}, which runs a task on a
 * new thread that enters the namespace first. A worker here is one long call: its thread enters once and then
 * serves the queue until the pool closes. The thread that made the call waits in it, parked; that costs a
 * second thread per worker, which the small bound keeps cheap.
 */
final class NamespaceWorkers implements AutoCloseable {
    /** Work for the pool; {@link #abandon} tells it it will never run. */
    interface Job extends Runnable {
        void abandon(String outcome);
    }

    private final NetworkNamespace namespace; // null: the current namespace
    private final int maxThreads;
    private final int maxQueued;
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final Set<Thread> inside = new HashSet<>();
    private int threads;
    private int idle;
    private boolean closed;
    private String failure; // why the namespace cannot be entered, once a worker found out

    NamespaceWorkers(NetworkNamespace namespace, int maxThreads, int maxQueued) {
        if (maxThreads < 1 || maxQueued < 1) {
            throw new IllegalArgumentException("a pool needs at least one thread and one queue slot");
        }
        this.namespace = namespace;
        this.maxThreads = maxThreads;
        this.maxQueued = maxQueued;
    }

    /**
     * Queues {@code job} without blocking. Returns null when it will run, else the outcome in a word that
     * says why it will not (the caller tells the job, on a thread of its choice).
     */
    synchronized String submit(Job job) {
        if (closed) {
            return "closed";
        }
        if (failure != null) {
            return failure;
        }
        if (queue.size() >= maxQueued) {
            return "busy"; // every thread is stuck on slow samples and the backlog is full: skip, do not pile up
        }
        queue.add(job);
        if (idle >= queue.size()) {
            notify();
        } else if (threads < maxThreads) {
            startWorker();
        }
        return null;
    }

    private void startWorker() {
        threads++;
        String name = "tapnet-probe-" + (namespace == null ? "current" : namespace.name());
        Thread thread = new Thread(() -> {
            try {
                if (namespace == null) {
                    serve();
                } else {
                    namespace.call(() -> {
                        serve();
                        return null;
                    });
                }
            } catch (Exception e) {
                enterFailed(e); // serve() throws nothing: this is setns (or the thread) failing
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The worker's loop, on the thread inside the namespace. */
    private void serve() {
        Thread self = Thread.currentThread();
        synchronized (this) {
            inside.add(self);
        }
        try {
            Job job;
            while ((job = next()) != null) {
                try {
                    job.run();
                } catch (RuntimeException e) {
                    // a job reports its own failures; one that escapes must not end the worker
                }
                Thread.interrupted(); // an interrupt meant for the job that ended is not for the next one
            }
        } finally {
            synchronized (this) {
                inside.remove(self);
                threads--;
            }
        }
    }

    private synchronized Job next() {
        while (queue.isEmpty() && !closed) {
            idle++;
            try {
                wait();
            } catch (InterruptedException e) {
                // close() interrupts; the loop checks closed
            } finally {
                idle--;
            }
        }
        return closed ? null : queue.poll();
    }

    private void enterFailed(Exception e) {
        List<Job> abandoned;
        synchronized (this) {
            threads--;
            failure = "error: cannot enter " + namespace + ": " + e.getMessage();
            abandoned = drain();
        }
        abandoned.forEach(job -> job.abandon(failure));
    }

    private List<Job> drain() {
        List<Job> jobs = new ArrayList<>(queue);
        queue.clear();
        return jobs;
    }

    /**
     * Stops taking jobs, abandons the queued ones and interrupts those running (a ping stops waiting; a
     * socket sample ends at its deadline). Does not wait for the threads.
     */
    @Override
    public void close() {
        List<Job> abandoned;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            abandoned = drain();
            inside.forEach(Thread::interrupt);
            notifyAll();
        }
        abandoned.forEach(job -> job.abandon("closed"));
    }
}
