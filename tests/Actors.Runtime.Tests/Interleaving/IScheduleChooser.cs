namespace Actors.Runtime.Tests.Interleaving;

/// <summary>Decides, at each step of an execution, which enabled option runs next.</summary>
internal interface IScheduleChooser
{
    /// <summary>The index of the chosen option (options are ordered: continue the current thread first).</summary>
    int Choose(IReadOnlyList<ScheduleOption> options);
}
