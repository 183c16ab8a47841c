namespace Actors.Runtime.Tests.Interleaving;

/// <summary>One thing the explorer may do next: resume a thread, or flush the oldest buffered store of a thread.</summary>
/// <param name="Thread">The thread.</param>
/// <param name="Flush">True to flush the thread's oldest buffered store instead of resuming it.</param>
/// <param name="Preempts">True when choosing it switches away from a thread that could have continued.</param>
internal readonly record struct ScheduleOption(ModelThread Thread, bool Flush, bool Preempts);
