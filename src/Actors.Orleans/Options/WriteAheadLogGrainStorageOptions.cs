namespace Actors.Orleans;

/// <summary>A write-ahead-log grain storage provider (<c>AddWriteAheadLogGrainStorage</c>).</summary>
public sealed class WriteAheadLogGrainStorageOptions : WalProviderOptions
{
    /// <summary>Default of <see cref="CheckpointEveryWrites"/>.</summary>
    public const int DefaultCheckpointEveryWrites = 16;

    /// <summary>
    /// Every this many writes of a state, the provider also stores the state as the stream's checkpoint, which lets the
    /// log reclaim the older versions (only the newest value of a state is ever read): at the stream versions that are
    /// multiples of it, and at the next write after a checkpoint failed. At least 1. Default 16.
    /// </summary>
    public int CheckpointEveryWrites { get; set; } = DefaultCheckpointEveryWrites;

    /// <summary>The failures of these settings, each naming it.</summary>
    internal List<string> Validate(string name)
    {
        var failures = new List<string>();
        string section = $"WriteAheadLog grain storage '{name}'";
        Validate(section, failures);
        if (CheckpointEveryWrites < 1)
        {
            failures.Add($"{section}: {nameof(CheckpointEveryWrites)} must be at least 1; it is {CheckpointEveryWrites}.");
        }

        return failures;
    }
}
