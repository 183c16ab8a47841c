namespace Actors.Wal;

/// <summary>A write to a log opened with <see cref="WriteAheadLogOptions.ReadOnly"/>. Nothing was stored.</summary>
public sealed class LogReadOnlyException : RequestRejectedException
{
    /// <summary>Creates the exception.</summary>
    public LogReadOnlyException(string directory)
        : base(null, $"The log in '{directory}' was opened read-only; it refuses every write.")
    {
        Directory = directory;
    }

    /// <summary>The log directory.</summary>
    public string Directory { get; }
}
