using System.Globalization;
using System.Text.RegularExpressions;

namespace Actors;

/// <summary>
/// A call reached a grain whose partition cannot serve now: the silo that owns the partition's log is down (or has lost
/// the partition's data) and no other silo holds that log, so activating the grain anywhere else would fork its state.
/// The call was not run. Retry after the owner restarts on its volume.
/// </summary>
/// <remarks>The message has a fixed shape (<see cref="TryParse"/> reads it back), so the type survives a gateway hop.</remarks>
[GenerateSerializer]
public sealed partial class PartitionUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="partition">The partition.</param>
    /// <param name="owner">The silo that owns it (its name), or empty when the partition has no owner yet.</param>
    /// <param name="reason">Why it cannot serve (for example "owner silo-1 is dead").</param>
    public PartitionUnavailableException(int partition, string owner, string reason)
        : base(FormatMessage(partition, owner, reason))
    {
        Partition = partition;
        Owner = owner;
        Reason = reason;
    }

    /// <summary>
    /// Rebuilds the exception from its message, as a serializer does after a network hop: partition, owner and reason are
    /// read back from a message of the shape this type writes; any other message leaves partition -1 and empty texts.
    /// </summary>
    public PartitionUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(message);
        (Partition, Owner, Reason) = TryRead(message, out int partition, out string owner, out string reason) ? (partition, owner, reason) : (-1, "", "");
    }

    /// <summary>The partition that cannot serve.</summary>
    [Id(0)]
    public int Partition { get; }

    /// <summary>The name of the silo that owns the partition ("" when unassigned).</summary>
    [Id(1)]
    public string Owner { get; }

    /// <summary>Why it cannot serve.</summary>
    [Id(2)]
    public string Reason { get; }

    /// <summary>Rebuilds the exception from its message (for example one carried by a gateway error response).</summary>
    public static bool TryParse(string message, out PartitionUnavailableException? exception)
    {
        ArgumentNullException.ThrowIfNull(message);
        exception = TryRead(message, out int partition, out string owner, out string reason) ? new PartitionUnavailableException(partition, owner, reason) : null;
        return exception is not null;
    }

    private static bool TryRead(string message, out int partition, out string owner, out string reason)
    {
        Match match = MessagePattern().Match(message);
        owner = match.Groups["owner"].Value;
        reason = match.Groups["reason"].Value;
        return int.TryParse(match.Groups["partition"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out partition) && match.Success;
    }

    private static string FormatMessage(int partition, string owner, string reason)
        => $"Partition {partition.ToString(CultureInfo.InvariantCulture)} (owner '{owner}') is unavailable: {reason}";

    [GeneratedRegex(@"^Partition (?<partition>\d+) \(owner '(?<owner>[^']*)'\) is unavailable: (?<reason>.*)$", RegexOptions.Singleline)]
    private static partial Regex MessagePattern();
}
