namespace Actors.Replication.Wal;

/// <summary>
/// A replica's materialized log could not be turned into a checkpoint state, or a checkpoint state could not be turned
/// back into a materialized log (it is damaged, of an unknown format, or the local disk failed). The message names the
/// directory and what went wrong.
/// </summary>
public sealed class MaterializedStateException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public MaterializedStateException(string directory, string problem, Exception? innerException = null)
        : base($"The materialized log in '{directory}': {problem}.", innerException)
    {
        Directory = directory;
        Problem = problem;
    }

    /// <summary>The materialized log's directory.</summary>
    public string Directory { get; }

    /// <summary>What went wrong.</summary>
    public string Problem { get; }
}
