package tapnet.cli.control;

import java.util.List;
import java.util.Map;

/**
 * One {@code tapnet ctl} request: a command and its one argument, if it takes one, and the control API
 * request it becomes ({@link #http()}). Written as one line, {@code COMMAND [ARGUMENT]} (backslashes and
 * line breaks in the argument escaped, {@code \\}, {@code \n}), it is what the fuzzer mutates.
 */
public record ControlRequest(String command, String argument) {
    /** An API request: method, path, and body (null: none). */
    public record Http(String method, String path, String body) {
    }

    /** The commands, each with what its argument is (null when it takes none), for usage messages. */
    static final List<String[]> COMMANDS = List.of(
            new String[] {"link", "SPEC"},
            new String[] {"down", "NODE"},
            new String[] {"up", "NODE"},
            new String[] {"partition", "GROUPS"},
            new String[] {"heal", null},
            new String[] {"stop", "HOST"},
            new String[] {"start", "HOST"},
            new String[] {"stopService", "SERVICE"},
            new String[] {"startService", "SERVICE"},
            new String[] {"routeFaults", "SPEC"},
            new String[] {"dnsFaults", "FAULTS"},
            new String[] {"links", null},
            new String[] {"counters", null});

    /** An argument that is one word, a name: what it names, and an example. */
    private record Name(String what, String example) {
    }

    private static final Map<String, Name> NAMES = Map.of(
            "NODE", new Name("a node's name", "web"),
            "HOST", new Name("a host's name", "web"),
            "SERVICE", new Name("a service", "web:80"));

    public ControlRequest {
        String expected = argumentOf(command);
        if (expected == null && argument != null) {
            // the argument may hold line breaks (escaped on the wire): the message stays one line
            throw new IllegalArgumentException("'" + command + "' takes no argument; got '" + oneLine(argument) + "'");
        }
        if (expected != null && (argument == null || argument.isBlank())) {
            throw new IllegalArgumentException("'" + command + "' needs " + expected + ": " + usage(command));
        }
        Name name = expected == null ? null : NAMES.get(expected);
        if (name != null && !oneLine(argument).equals(argument)) {
            throw new IllegalArgumentException("'" + oneLine(argument) + "' is not " + name.what() + "; expected one word,"
                    + " like: " + command + " " + name.example());
        }
    }

    /** A request from the words of a command line, {@code link '{between: [tap, web]}'}. */
    public static ControlRequest of(List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no command given; expected one of: " + names());
        }
        String command = words.get(0);
        if (words.size() > 2) {
            throw new IllegalArgumentException("'" + oneLine(command) + "' takes at most one argument (quote a link spec: "
                    + "tapnet ctl link '{between: [tap, web], delay: 20ms}'); got " + (words.size() - 1));
        }
        return new ControlRequest(command, words.size() == 2 ? words.get(1) : null);
    }

    /** The request a line from the socket holds. */
    static ControlRequest parse(String line) {
        String text = line.strip();
        int space = text.indexOf(' ');
        String command = space < 0 ? text : text.substring(0, space);
        String argument = space < 0 ? null : unescape(text.substring(space + 1).strip());
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty request; expected one of: " + names());
        }
        return new ControlRequest(command, argument);
    }

    /**
     * The API request this is. A link or route faults spec goes as the file's entry it is; names go in the
     * path.
     *
     * @throws IllegalArgumentException a service that is not {@code HOST:PORT}
     */
    public Http http() {
        String name = argument == null ? null : argument.strip();
        return switch (command) {
            case "link" -> new Http("POST", "/v1/links", argument);
            case "down", "up" -> new Http("POST", "/v1/nodes/" + segment(name) + "/" + command, null);
            case "partition" -> new Http("PUT", "/v1/partition", argument);
            case "heal" -> new Http("DELETE", "/v1/partition", null);
            case "stop", "start" -> new Http("POST", "/v1/hosts/" + segment(name) + "/" + command, null);
            case "stopService", "startService" -> service(name, command.equals("stopService") ? "stop" : "start");
            case "routeFaults" -> new Http("POST", "/v1/routes/faults", argument);
            case "dnsFaults" -> new Http("PUT", "/v1/dns/faults", argument);
            case "links" -> new Http("GET", "/v1/links", null);
            case "counters" -> new Http("GET", "/v1/counters", null);
            default -> throw new IllegalStateException("a request tapnet knows but does not send: " + command);
        };
    }

    /** {@code web:80}: a host and the port of one of its services, as a script's {@code stopService:} names it. */
    private static Http service(String service, String what) {
        int colon = service.lastIndexOf(':');
        String port = colon <= 0 ? "" : service.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("'" + service + "' is not a service; expected a host and the port of one"
                    + " of its services, like web:80");
        }
        return new Http("POST", "/v1/hosts/" + segment(service.substring(0, colon)) + "/services/" + port + "/" + what, null);
    }

    /** A name as one segment of a path. */
    private static String segment(String name) {
        return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The request as one line, without the line break. */
    String line() {
        return argument == null ? command : command + " " + escape(argument);
    }

    private static String argumentOf(String command) {
        for (String[] c : COMMANDS) {
            if (c[0].equals(command)) {
                return c[1];
            }
        }
        throw new IllegalArgumentException("'" + oneLine(command) + "' is not a command; expected one of: " + names());
    }

    private static String usage(String command) {
        return switch (command) {
            case "link" -> "a link spec like '{between: [tap, web], delay: 20ms}'";
            case "routeFaults" -> "a route faults spec like '{service: web:80, route: 2, faults: [{status: 503}]}'";
            case "stop", "start" -> "a host's name, like: " + command + " web";
            case "stopService", "startService" -> "a host and the port of one of its services, like: " + command + " web:80";
            case "dnsFaults" -> "a list of DNS faults like '[ {name: db, servfail: {}} ]', or '[]' for none";
            default -> "a host or router name, like: " + command + " web";
        };
    }

    static String names() {
        return String.join(", ", COMMANDS.stream().map(c -> c[0]).toList());
    }

    /** Text for a message: line breaks and other control characters escaped, as a file's errors have them. */
    private static String oneLine(String text) {
        return tapnet.topology.yaml.TopologyError.oneLine(text);
    }

    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
    }

    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
