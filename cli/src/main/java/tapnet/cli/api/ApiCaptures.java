package tapnet.cli.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tapnet.capture.Capture;
import tapnet.capture.CaptureFiles;
import tapnet.topology.Topology;
import tapnet.topology.yaml.ApiBodies;
import tapnet.topology.yaml.TopologyException;

/**
 * {@code POST /v1/captures} and {@code DELETE /v1/captures/{id}}: pcapng captures started and stopped while
 * the run goes on, of the TAP's devices and of the links asked for, each into one file. At most
 * {@link #MAX} at once. A capture is the engine thread's: it is attached, stopped and closed there.
 */
final class ApiCaptures {
    /** Captures at once: each costs a file and a buffer, and every frame is written once per capture. */
    static final int MAX = 8;

    private record Running(int id, Path path, Capture capture) {
    }

    private final Topology topology;
    private final EngineDoor engine;
    private final Map<Integer, Running> running = new LinkedHashMap<>();
    private int lastId;

    ApiCaptures(Topology topology, EngineDoor engine) {
        this.topology = topology;
        this.engine = engine;
    }

    /** Starts a capture from the body {"path": ..., "links": [...]}: frames from now on. */
    ApiReply start(String body, String source) {
        ApiBodies.CaptureRequest request;
        try {
            request = ApiBodies.capture(source, body, topology);
        } catch (TopologyException mistakes) {
            throw ApiException.body(mistakes);
        }
        Path path = Path.of(request.path());
        int id;
        synchronized (this) {
            if (running.size() >= MAX) {
                throw new ApiException(409, MAX + " captures are running, as many as a run takes; stop one first"
                        + " (DELETE /v1/captures/ID)");
            }
            if (running.values().stream().anyMatch(r -> r.path().equals(path))) {
                throw new ApiException(409, "a capture is already writing " + path + "; expected another file");
            }
            id = ++lastId;
            running.put(id, new Running(id, path, null)); // its place, taken while the file opens
        }
        try {
            long offset = engine.call(e -> Capture.epochOffset(e.clock()));
            Capture capture = new Capture(CaptureFiles.single(path), offset, Capture.DEFAULT_SNAP_LENGTH);
            engine.call(e -> {
                e.capture(capture);
                request.links().forEach(link -> e.captureLink(link, capture));
                return null;
            });
            synchronized (this) {
                running.put(id, new Running(id, path, capture));
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                running.remove(id);
            }
            if (e instanceof ApiException api) {
                throw api;
            }
            throw new ApiException(409, "cannot capture into " + path + ": " + e.getMessage());
        }
        return ApiReply.ok(RunResources.map("id", id, "path", path.toString()));
    }

    /** Stops capture {@code idText} and closes its file: what it wrote. */
    ApiReply stop(String idText) {
        Running capture;
        synchronized (this) {
            capture = idText.matches("[0-9]{1,9}") ? running.get(Integer.parseInt(idText)) : null;
            if (capture == null || capture.capture() == null) {
                throw ApiException.notFound("there is no capture " + idText + "; expected one of: "
                        + (running.isEmpty() ? "none is running" : String.join(", ", running.keySet().stream()
                        .map(String::valueOf).toList())));
            }
            running.remove(capture.id());
        }
        return ApiReply.ok(engine.call(e -> {
            e.stopCapture(capture.capture());
            String failure = null;
            try {
                capture.capture().close();
            } catch (IOException io) {
                failure = io.getMessage();
            }
            Map<String, Object> json = RunResources.map("id", capture.id(), "path", capture.path().toString(),
                    "frames", capture.capture().frames(), "bytes", capture.capture().bytes());
            if (failure != null) {
                json.put("failure", failure);
            }
            return json;
        }));
    }

    /** Stops every capture still running: the run ends. */
    void stopAll() {
        for (Integer id : Map.copyOf(running).keySet()) {
            try {
                stop(String.valueOf(id));
            } catch (ApiException e) {
                // gone meanwhile, or the engine is not answering: the run is ending anyway
            }
        }
    }
}
