/**
 * Links: what an emulated link does to each frame, per direction, as Linux's netem does it (tc-netem(8),
 * {@code net/sched/sch_netem.c}) and with netem's parameter names: delay with jitter, correlation and a
 * distribution; loss (random, Gilbert-Elliott, 4-state Markov); duplication; reordering; corruption; a
 * rate with per-packet overhead and a bounded queue; plus an MTU and up/down.
 *
 * <p>{@link tapnet.link.Impairments} holds one direction's settings (immutable, validated).
 * {@link tapnet.link.LinkDirection} applies them: the engine calls
 * {@link tapnet.link.LinkDirection#decide decide(frameLength, nowNanos, verdict)} once per frame and
 * reads the reusable {@link tapnet.link.Verdict}: dropped and why, or one or two copies, each with a
 * release time and maybe a bit to flip. {@link tapnet.link.LinkDirection#set set} changes settings while
 * frames flow; {@link tapnet.link.LinkCounters} counts what happened. Hot path: no allocation, primitives,
 * one owning thread.
 *
 * <p>Every random choice comes from the direction's seed through one generator per fault kind
 * ({@link tapnet.link.Xoshiro256StarStar}, seeded by {@link tapnet.link.SplitMix64#derive}), so a seed
 * replays a run and changing one fault does not disturb the others' draws.
 *
 * <p>Where tapnet differs from netem, on purpose:
 * <ul>
 *   <li>the rate limiter's queue comes before the delay (queue, transmission, propagation); netem delays
 *       first. The queue's {@code limit} counts frames waiting to be sent, not frames travelling the delay;
 *   <li>delay distributions are computed by formula, not by table lookup, and correlation is applied to
 *       the whole correlated value (the kernel's modulo keeps only its low bits);
 *   <li>no ECN marking, no {@code slot}, no per-link distribution tables from files.
 * </ul>
 */
package tapnet.link;
