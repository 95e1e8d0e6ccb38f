/**
 * Scripted runs at run time: the timeline (live, on the wall clock, or simulated on a virtual one), the
 * probes that measure what programs see, the expectations judged over their results, and what a run found
 * ({@link tapnet.script.RunReport}), which reports are written from. The script itself is model
 * ({@link tapnet.topology.Script}); its events change the engine through {@link tapnet.build.EngineActions}.
 *
 * <p>A run ({@link tapnet.script.ScriptRun}) is a few parts with one job each: probe sampling, the events on
 * the timeline, the counter readings, all writing one record of the run; the findings and the expectations'
 * judge read it back for the report and the progress line. What a dns probe sends and how its answer reads
 * ({@link tapnet.script.DnsProbeExchange}) is shared by the kernel's probe and the virtual hosts'.
 *
 * <p>Depends on the model, build, the engine and its layers. The timeline's thread drives; engine state is
 * touched on the engine thread only; what a run records is shared through the record's one lock.
 */
package tapnet.script;
