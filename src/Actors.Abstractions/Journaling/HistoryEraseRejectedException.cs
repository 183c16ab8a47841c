namespace Actors.Journaling;

/// <summary>
/// A journal store refused to erase a grain's confirmed events (<c>EraseConfirmedEvents</c>): the checkpoint that must
/// precede the erase could not be encoded or stored, or the store cannot remove the events physically. Nothing was
/// erased: every confirmed event is still readable and the grain keeps running. The message names the grain, the store,
/// the version and the cause.
/// </summary>
[GenerateSerializer]
public sealed class HistoryEraseRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="grainId">The grain.</param>
    /// <param name="toVersion">The newest version the erase named.</param>
    /// <param name="message">What was refused and why, naming the store.</param>
    /// <param name="innerException">The store's or codec's own error, if any.</param>
    public HistoryEraseRejectedException(GrainId grainId, long toVersion, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        GrainId = grainId;
        ToVersion = toVersion;
    }

    /// <summary>The grain.</summary>
    [Id(0)]
    public GrainId GrainId { get; }

    /// <summary>The newest version the erase named.</summary>
    [Id(1)]
    public long ToVersion { get; }
}
