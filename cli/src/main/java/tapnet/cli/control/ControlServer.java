package tapnet.cli.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import tapnet.topology.yaml.Units;

/**
 * The control socket of a running tapnet: a Unix domain socket at a path, one request per connection (a
 * line in, the reply's lines out, then close).
 *
 * <p>Two threads, however many clients come: {@code tapnet-control} does all the socket work with a
 * selector (accepting, reading request lines, writing replies, closing clients that are too slow), and
 * {@code tapnet-control-request} runs the handler on one whole request at a time (the engine takes them
 * one at a time anyway). Its bounds ({@link Limits}): {@code clients} connections at once; each has
 * {@code timeout} to send its line and again to take its reply; a line longer than {@code requestBytes}
 * is answered with an error. A client past a bound is answered with one error line and closed, and counted
 * ({@link #counters()}): when every place is taken, the client that has been waiting longest for its
 * line is closed to make room (a well-behaved client sends its line as soon as it connects, so a pile of
 * stalled ones cannot keep it out); only when every place holds a request already read is the newcomer
 * answered busy.
 */
public final class ControlServer implements AutoCloseable {
    /**
     * How much the control socket takes in. {@code clients}: connections held at once (a control client
     * is a person or a script, one request at a time; 16 serves several scripts at once and costs at most
     * 16 lines of {@code requestBytes}). {@code requestBytes}: the longest request line (a link spec is a
     * few hundred bytes). {@code timeout}: how long a client has to send its line, and again to take its
     * reply ({@code tapnet ctl} sends at once and reads at once; 5 s is as long as a request waits for the
     * engine).
     */
    record Limits(int clients, int requestBytes, Duration timeout) {
        static final Limits DEFAULT = new Limits(16, 64 * 1024, Duration.ofSeconds(ControlHandler.ENGINE_TIMEOUT_SECONDS));

        Limits {
            if (clients < 1 || requestBytes < 1 || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("control limits must be positive: " + clients + " clients, "
                        + requestBytes + " bytes, " + timeout);
            }
        }
    }

    /** Where a connection is in its one exchange. */
    private enum Phase {
        /** Waiting for the request line, until its deadline. */
        READING,
        /** The line is read; the handler has it (bounded by the handler's own engine timeout). */
        HANDLING,
        /** Sending the reply, until its deadline. */
        WRITING
    }

    /** One connection. Owned by the selector thread, except that the handler thread fills in the reply. */
    private static final class Client {
        final SocketChannel channel;
        final SelectionKey key;
        Phase phase = Phase.READING;
        long deadline;
        ByteBuffer request;
        String line;
        volatile ByteBuffer reply;

        Client(SocketChannel channel, SelectionKey key, long deadline, int firstBuffer) {
            this.channel = channel;
            this.key = key;
            this.deadline = deadline;
            this.request = ByteBuffer.allocate(firstBuffer);
        }
    }

    /** Put on the request queue by {@link #close()} to end the handler thread once it is idle. */
    private static final Client END = new Client(null, null, 0, 0);

    private final Path path;
    private final ServerSocketChannel channel;
    private final Limits limits;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Requests read, for the handler thread; one per client at most, plus {@link #END}. */
    private final BlockingQueue<Client> requests;
    /** Requests answered, for the selector thread to send. */
    private final Queue<Client> answered = new ConcurrentLinkedQueue<>();
    /** Every open connection, oldest first. Selector thread. */
    private final List<Client> clients = new ArrayList<>();
    private final Selector selector;
    private Thread selectorThread;
    private Thread handlerThread;

    // Counters: the selector thread writes, any thread reads.
    private volatile long requestsRead;
    private volatile long evicted;
    private volatile long busy;
    private volatile long timedOut;
    private volatile long tooLong;

    private ControlServer(Path path, ServerSocketChannel channel, Selector selector, Limits limits) {
        this.path = path;
        this.channel = channel;
        this.selector = selector;
        this.limits = limits;
        this.requests = new ArrayBlockingQueue<>(limits.clients() + 1);
    }

    /** {@link #bind(Path, Limits)} with {@link Limits#DEFAULT}. */
    public static ControlServer bind(Path path) throws IOException {
        return bind(path, Limits.DEFAULT);
    }

    /**
     * Binds the socket at {@code path} ({@link ControlSocket#listen}: its directory made, only its owner may
     * connect, a stale file replaced, a live one refused) and readies it for {@link #serve}.
     */
    static ControlServer bind(Path path, Limits limits) throws IOException {
        ServerSocketChannel channel = ControlSocket.listen(path);
        Selector selector = null;
        try {
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            if (selector != null) {
                selector.close();
            }
            throw ControlSocket.abandon(channel, path, true, e);
        }
        return new ControlServer(path, channel, selector, limits);
    }

    public Path path() {
        return path;
    }

    /** Starts answering requests with {@code handler}, on the server's two daemon threads. */
    public void serve(Function<String, ControlReply> handler) {
        selectorThread = new Thread(this::runSelector, "tapnet-control");
        selectorThread.setDaemon(true);
        handlerThread = new Thread(() -> runHandler(handler), "tapnet-control-request");
        handlerThread.setDaemon(true);
        handlerThread.start();
        selectorThread.start();
    }

    /**
     * What the socket has refused or cut short since it started, by name, the non-zero ones:
     * {@code control.requests} read whole; {@code control.evicted} closed before their line came to make
     * room for a newer client; {@code control.busy} refused with every place holding a request;
     * {@code control.timed_out} that sent no line, or took no reply, within the timeout;
     * {@code control.too_long} whose line was longer than the limit.
     */
    public Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        long[] values = {requestsRead, evicted, busy, timedOut, tooLong};
        String[] names = {"control.requests", "control.evicted", "control.busy", "control.timed_out", "control.too_long"};
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0) {
                out.put(names[i], values[i]);
            }
        }
        return out;
    }

    private void runSelector() {
        try {
            while (!closed.get()) {
                long untilDeadline = closeExpired(System.nanoTime());
                // select(0) waits for ever: with no deadline ahead, only a client or close() wakes this thread
                selector.select(untilDeadline == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(untilDeadline) + 1));
                sendAnswered();
                boolean acceptable = false;
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        acceptable = true;
                    } else if (key.isReadable()) {
                        read((Client) key.attachment());
                    } else if (key.isWritable()) {
                        write((Client) key.attachment());
                    }
                }
                if (acceptable) {
                    acceptAll(); // after reading: a line that has come is taken before a newcomer may evict its client
                }
            }
        } catch (IOException e) {
            if (!closed.get()) {
                System.err.println("tapnet: control socket stopped: " + e.getMessage());
            }
        } finally {
            for (Client client : List.copyOf(clients)) {
                drop(client);
            }
            closeQuietly(channel);
            closeQuietly(selector);
        }
    }

    private void acceptAll() {
        while (true) {
            SocketChannel accepted;
            try {
                accepted = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // out of file descriptors, say: the connection stays in the backlog; try again shortly, not in a spin
                System.err.println("tapnet: control socket: " + e.getMessage());
                sleepQuietly(100);
                return;
            }
            if (accepted == null) {
                return;
            }
            if (clients.size() >= limits.clients() && !makeRoom()) {
                busy++;
                answerAndClose(accepted, "tapnet is busy: " + limits.clients() + " control requests are in progress; try again");
                continue;
            }
            try {
                accepted.configureBlocking(false);
                SelectionKey key = accepted.register(selector, SelectionKey.OP_READ);
                Client client = new Client(accepted, key, System.nanoTime() + limits.timeout().toNanos(),
                        Math.min(512, limits.requestBytes() + 1));
                key.attach(client);
                clients.add(client);
            } catch (IOException e) {
                closeQuietly(accepted);
            }
        }
    }

    /** Closes the client that has waited longest for its line; false when every client has sent one. */
    private boolean makeRoom() {
        for (Client client : clients) {
            if (client.phase == Phase.READING) {
                evicted++;
                drop(client, "closed before a request line came, to make room for a newer client (" + limits.clients()
                        + " at most at once)");
                return true;
            }
        }
        return false;
    }

    private void read(Client client) {
        ByteBuffer in = client.request;
        int from = in.position();
        int n;
        try {
            n = client.channel.read(in);
        } catch (IOException e) {
            drop(client);
            return;
        }
        if (n < 0) {
            if (in.position() == 0) {
                drop(client); // connected and left without a word: a liveness check (another tapnet starting, say)
            } else {
                handOver(client, in.position()); // the last line may lack its break
            }
            return;
        }
        for (int i = from; i < in.position(); i++) {
            if (in.get(i) == '\n') {
                handOver(client, i);
                return;
            }
        }
        if (in.hasRemaining()) {
            return;
        }
        if (in.capacity() > limits.requestBytes()) { // full, one byte past the limit, and no line break
            tooLong++;
            answer(client, ControlReply.error("the request is longer than " + limits.requestBytes() + " bytes; expected one line"));
            return;
        }
        client.request = ByteBuffer.allocate((int) Math.min(2L * in.capacity(), limits.requestBytes() + 1L)).put(in.flip());
    }

    /** The line is whole: to the handler thread, with no deadline of ours (the handler has its own). */
    private void handOver(Client client, int length) {
        client.line = new String(client.request.array(), 0, length, StandardCharsets.UTF_8);
        client.request = null;
        client.phase = Phase.HANDLING;
        client.deadline = Long.MAX_VALUE;
        client.key.interestOps(0);
        requestsRead++;
        requests.add(client); // never full: one request per client, clients bounded, one place for END
    }

    private void runHandler(Function<String, ControlReply> handler) {
        while (true) {
            Client client;
            try {
                client = requests.take();
            } catch (InterruptedException e) {
                return;
            }
            if (client == END) {
                return;
            }
            ControlReply reply;
            try {
                reply = handler.apply(client.line);
            } catch (Throwable e) { // this thread answers every request: one request's failure must not end it
                reply = ControlReply.error("tapnet could not do it: " + e);
            }
            client.reply = ByteBuffer.wrap(reply.text().getBytes(StandardCharsets.UTF_8));
            answered.add(client);
            if (closed.get()) {
                closeQuietly(client.channel);
            } else {
                selector.wakeup();
            }
        }
    }

    private void sendAnswered() {
        Client client;
        while ((client = answered.poll()) != null) {
            if (client.channel.isOpen()) {
                startWriting(client, client.reply);
            }
        }
    }

    /** Answers without asking the handler (a line too long), with the same deadline as any reply. */
    private void answer(Client client, ControlReply reply) {
        client.request = null;
        startWriting(client, ByteBuffer.wrap(reply.text().getBytes(StandardCharsets.UTF_8)));
    }

    private void startWriting(Client client, ByteBuffer reply) {
        client.reply = reply;
        client.phase = Phase.WRITING;
        client.deadline = System.nanoTime() + limits.timeout().toNanos();
        write(client);
        if (client.channel.isOpen()) {
            client.key.interestOps(SelectionKey.OP_WRITE);
        }
    }

    private void write(Client client) {
        try {
            client.channel.write(client.reply);
        } catch (IOException e) {
            drop(client); // the client went away; nothing to answer
            return;
        }
        if (!client.reply.hasRemaining()) {
            drop(client);
        }
    }

    /** Closes the clients past their deadline; the nanoseconds until the next deadline, or Long.MAX_VALUE. */
    private long closeExpired(long now) {
        long next = Long.MAX_VALUE;
        for (Client client : List.copyOf(clients)) {
            if (client.deadline != Long.MAX_VALUE && client.deadline - now <= 0) {
                timedOut++;
                if (client.phase == Phase.READING) {
                    drop(client, "no request line within " + Units.format(limits.timeout()) + "; a request is one line");
                } else {
                    drop(client); // it took no reply: nothing more to say to it
                }
            } else if (client.deadline != Long.MAX_VALUE) {
                next = Math.min(next, client.deadline - now);
            }
        }
        return next;
    }

    private void drop(Client client, String why) {
        answerAndClose(client.channel, why);
        drop(client);
    }

    private void drop(Client client) {
        clients.remove(client);
        closeQuietly(client.channel); // cancels its key
    }

    /**
     * One error line, written without waiting, then close: the socket's buffer is empty (nothing was written
     * to it before), so a line this short goes whole, or the client is gone.
     */
    private static void answerAndClose(SocketChannel client, String why) {
        try {
            client.configureBlocking(false);
            client.write(ByteBuffer.wrap(ControlReply.error(why).text().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // gone already
        }
        closeQuietly(client);
    }

    /**
     * Stops listening, closes every client and removes the socket file. A request the handler has already
     * taken finishes (its engine call is not cut short), but its reply goes nowhere.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (selectorThread == null) {
            closeQuietly(channel); // never served
            closeQuietly(selector);
        } else {
            requests.offer(END);
            selector.wakeup();
            try {
                selectorThread.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            System.err.println("tapnet: could not remove control socket " + path + ": " + e.getMessage());
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
