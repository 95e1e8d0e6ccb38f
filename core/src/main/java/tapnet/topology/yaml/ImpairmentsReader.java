package tapnet.topology.yaml;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.snakeyaml.engine.v2.nodes.Node;
import tapnet.link.DelayDistribution;
import tapnet.link.Impairments;
import tapnet.link.LossModel;

/**
 * Reads what a link entry does to the frames that cross it: its impairment keys, named as tc-netem(8) names
 * them where the idea is the same ({@code delay: 20ms, jitter: 5ms, loss: 1%, rate: 10mbit, slot: {...}}).
 * {@link LinkYaml} writes them back in the same words.
 */
final class ImpairmentsReader {
    /** Impairment keys of a link, named as tc-netem(8) names them where the idea is the same. */
    static final List<String> IMPAIRMENTS = List.of("down", "mtu", "delay", "jitter", "delayCorrelation",
            "distribution", "loss", "lossCorrelation", "gemodel", "lossState", "duplicate", "duplicateCorrelation",
            "reorder", "reorderCorrelation", "gap", "corrupt", "corruptCorrelation", "rate", "overhead", "limit",
            "limitBytes", "slot");
    static final Section.Keys GEMODEL = new Section.Keys("gemodel", List.of("p", "r", "lossInBad", "lossInGood"));
    static final Section.Keys SLOT = new Section.Keys("slot", List.of("min", "max", "packets", "bytes"));
    static final Section.Keys LOSS_STATE = new Section.Keys("lossState", List.of("p13", "p31", "p32", "p23", "p14"));

    private final Problems problems;
    private final Scalars scalars;

    ImpairmentsReader(Problems problems, Scalars scalars) {
        this.problems = problems;
        this.scalars = scalars;
    }

    /**
     * The impairments a link entry gives; null when something was reported. A combination the model refuses
     * is reported at {@code anchor}, the entry.
     */
    Impairments read(Section link, Node anchor) {
        int before = problems.count();
        Impairments i = Impairments.NONE;
        try {
            if (link.has("down")) {
                i = i.withDown(scalars.bool(link.get("down"), "down"));
            }
            if (link.has("mtu")) {
                i = i.withMtu((int) scalars.integer(link.get("mtu"), "mtu", Impairments.MIN_MTU, Impairments.MAX_MTU,
                        "an MTU from 68 to 65535", 1500));
            }
            i = delay(link, i);
            if (link.has("loss")) {
                i = i.withLoss(scalars.optionalFraction(link, "loss"), scalars.optionalFraction(link, "lossCorrelation"));
            }
            i = lossModel(link, i);
            if (link.has("duplicate")) {
                i = i.withDuplicate(scalars.optionalFraction(link, "duplicate"), scalars.optionalFraction(link, "duplicateCorrelation"));
            }
            if (link.has("reorder")) {
                i = i.withReorder(scalars.optionalFraction(link, "reorder"), scalars.optionalFraction(link, "reorderCorrelation"),
                        (int) scalars.optionalInteger(link, "gap", 0, Integer.MAX_VALUE, 0));
            }
            if (link.has("corrupt")) {
                i = i.withCorrupt(scalars.optionalFraction(link, "corrupt"), scalars.optionalFraction(link, "corruptCorrelation"));
            }
            if (link.has("rate")) {
                i = rate(link, i);
            }
            if (link.has("slot")) {
                i = slot(link, i);
            }
        } catch (IllegalArgumentException e) {
            problems.at(anchor, e.getMessage());
        }
        return problems.count() == before ? i : null;
    }

    /** {@code delay}, {@code jitter}, {@code delayCorrelation} and {@code distribution}. */
    private Impairments delay(Section link, Impairments i) {
        Duration delay = scalars.optionalDuration(link, "delay", Duration.ZERO, Impairments.MAX_DELAY, Duration.ZERO);
        Duration jitter = scalars.optionalDuration(link, "jitter", Duration.ZERO, Impairments.MAX_DELAY, Duration.ZERO);
        double delayCorrelation = scalars.optionalFraction(link, "delayCorrelation");
        if (!delay.isZero() || !jitter.isZero()) {
            i = i.withDelay(delay, jitter, delayCorrelation);
        }
        if (link.has("distribution")) {
            Node node = link.get("distribution");
            String text = scalars.text(node, "distribution", "uniform, normal, pareto or paretonormal");
            if (text != null) {
                try {
                    i = i.withDistribution(DelayDistribution.valueOf(text.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    problems.at(node, "'" + text + "' is not a delay distribution; expected uniform, normal, pareto"
                            + " or paretonormal");
                }
            }
        }
        return i;
    }

    /** {@code gemodel: {...}} and {@code lossState: {...}}, netem's two loss models with states. */
    private Impairments lossModel(Section link, Impairments i) {
        if (link.has("gemodel")) {
            Section ge = Section.read(link.get("gemodel"), link.keyNode("gemodel"), "gemodel", GEMODEL, problems);
            if (ge != null) {
                i = i.withLoss(LossModel.gilbertElliott(scalars.optionalFraction(ge, "p"),
                        ge.has("r") ? scalars.optionalFraction(ge, "r") : 1 - scalars.optionalFraction(ge, "p"),
                        ge.has("lossInBad") ? scalars.optionalFraction(ge, "lossInBad") : 1,
                        scalars.optionalFraction(ge, "lossInGood")));
            }
        }
        if (link.has("lossState")) {
            Section st = Section.read(link.get("lossState"), link.keyNode("lossState"), "lossState", LOSS_STATE, problems);
            if (st != null) {
                i = i.withLoss(LossModel.fourState(scalars.optionalFraction(st, "p13"),
                        st.has("p31") ? scalars.optionalFraction(st, "p31") : 1 - scalars.optionalFraction(st, "p13"),
                        scalars.optionalFraction(st, "p32"), scalars.optionalFraction(st, "p23"), scalars.optionalFraction(st, "p14")));
            }
        }
        return i;
    }

    /** {@code rate} with its {@code overhead}, and the queue's {@code limit} and {@code limitBytes}. */
    private Impairments rate(Section link, Impairments i) {
        Long bits = scalars.rate(link.get("rate"), "rate");
        i = i.withRate(bits == null ? 0 : bits, (int) scalars.optionalInteger(link, "overhead", -65535, 65535, 0));
        if (link.has("limit") || link.has("limitBytes")) {
            i = i.withQueueLimit((int) scalars.optionalInteger(link, "limit", 1, 1 << 24, Impairments.Rate.DEFAULT_LIMIT),
                    scalars.optionalSize(link, "limitBytes", 0, Long.MAX_VALUE, 0));
        }
        return i;
    }

    /** {@code slot: { min: 10ms, max: 20ms, packets: 4, bytes: 6KiB }}: frames leave in bursts, as netem's slot. */
    private Impairments slot(Section link, Impairments i) {
        Section slot = Section.read(link.get("slot"), link.keyNode("slot"), "slot", SLOT, problems);
        if (slot == null) {
            return i;
        }
        Duration min = scalars.optionalDuration(slot, "min", Duration.ZERO, Impairments.MAX_DELAY, Duration.ZERO);
        Duration max = slot.has("max")
                ? scalars.optionalDuration(slot, "max", Duration.ZERO, Impairments.MAX_DELAY, min) : min;
        int packets = (int) scalars.optionalInteger(slot, "packets", 0, 1 << 24, 0);
        long bytes = scalars.optionalSize(slot, "bytes", 0, Long.MAX_VALUE, 0);
        if (packets == 0 && bytes == 0) {
            problems.at(link.keyNode("slot"), "a slot needs packets or bytes, how much one slot carries;"
                    + " expected slot: { min: 10ms, packets: 4 }");
            return i;
        }
        return i.withSlot(new Impairments.Slot(min, max, packets, bytes));
    }
}
