using Orleans.EventSourcing.Common;

namespace Actors.Orleans.EventSourcing;

/// <summary>A raised event with its record, encoded when the event was raised (a value that cannot be encoded is refused there).</summary>
internal sealed class EncodedSubmission<TEntry> : SubmissionEntry<TEntry>
{
    /// <summary>The event's log value record.</summary>
    public required byte[] Record { get; init; }
}
