/**
 * Scripted runs at run time: the timeline (live, on the wall clock, or simulated on a virtual one), the
 * probes that measure what programs see, the expectations judged over their results, and what a run found
 * ({@link tapnet.script.RunReport}), which reports are written from. The script itself is model
 * ({@link tapnet.topology.Script}); its events change the engine through {@link tapnet.build.EngineActions}.
 *
 * <p>Depends on the model, build, the engine and its layers. The timeline's thread drives; engine state is
 * touched on the engine thread only.
 */
package tapnet.script;
