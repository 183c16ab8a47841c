namespace Actors.Orleans;

/// <summary>A write-ahead-log log-consistency provider for <c>JournaledGrain</c> (<c>AddWriteAheadLogLogConsistencyProvider</c>).</summary>
public sealed class WriteAheadLogLogConsistencyOptions : WalProviderOptions
{
    /// <summary>Default of <see cref="CheckpointEveryEvents"/>.</summary>
    public const int DefaultCheckpointEveryEvents = 100;

    /// <summary>
    /// A grain writes a checkpoint (snapshot of its confirmed state) about every this many events, staggered per grain so
    /// grains driven together do not checkpoint together; activation reads the checkpoint and replays only later events.
    /// 0 disables the trigger. Default 100. <see cref="WriteAheadLogAttribute.CheckpointEveryEvents"/> overrides it per class.
    /// </summary>
    public int CheckpointEveryEvents { get; set; } = DefaultCheckpointEveryEvents;

    /// <summary>A grain writes a checkpoint after about this many event bytes since its latest one; 0 (default) disables the trigger.</summary>
    public long CheckpointEveryBytes { get; set; }

    /// <summary>
    /// What the log keeps of a grain's events once a checkpoint covers them. Default <see cref="WriteAheadLogHistory.KeepAll"/>:
    /// <c>RetrieveConfirmedEvents</c> works for the grain's whole life. <see cref="WriteAheadLogAttribute.EventHistory"/>
    /// overrides it per class.
    /// </summary>
    public WriteAheadLogHistory EventHistory { get; set; } = WriteAheadLogHistory.KeepAll;

    /// <summary>The failures of these settings, each naming it.</summary>
    internal List<string> Validate(string name)
    {
        var failures = new List<string>();
        string section = $"WriteAheadLog log-consistency provider '{name}'";
        Validate(section, failures);
        if (CheckpointEveryEvents < 0)
        {
            failures.Add($"{section}: {nameof(CheckpointEveryEvents)} must be 0 (off) or more; it is {CheckpointEveryEvents}.");
        }

        if (CheckpointEveryBytes < 0)
        {
            failures.Add($"{section}: {nameof(CheckpointEveryBytes)} must be 0 (off) or more; it is {CheckpointEveryBytes}.");
        }

        if (EventHistory is not (WriteAheadLogHistory.KeepAll or WriteAheadLogHistory.ReclaimAfterCheckpoint))
        {
            failures.Add($"{section}: {nameof(EventHistory)} '{EventHistory}' is not one of KeepAll, ReclaimAfterCheckpoint.");
        }

        return failures;
    }
}
