namespace Actors.Storage;

/// <summary>A write or clear carried a stale ETag: the stored record changed since it was read. Nothing was stored.</summary>
[GenerateSerializer]
public sealed class InconsistentStateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InconsistentStateException(string message, string? storedEtag, string? currentEtag, Exception? innerException = null)
        : base(message, innerException)
    {
        StoredEtag = storedEtag;
        CurrentEtag = currentEtag;
    }

    /// <summary>The tag of the stored record (null when none).</summary>
    [Id(0)]
    public string? StoredEtag { get; }

    /// <summary>The tag the caller presented.</summary>
    [Id(1)]
    public string? CurrentEtag { get; }
}
