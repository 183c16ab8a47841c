namespace Actors.Orleans.Storage;

/// <summary>What a provider's log stream id names (<see cref="GrainStreamNames"/> makes them): the kind, provider, state and grain.</summary>
/// <param name="Kind">What the stream holds.</param>
/// <param name="Provider">The provider name, unescaped.</param>
/// <param name="StateName">The grain state's name, unescaped, for a <see cref="GrainStreamKind.State"/> stream; null for a journal.</param>
/// <param name="GrainId">The grain id in Orleans's <c>type/key</c> form.</param>
/// <remarks>Parsing needs no Orleans runtime: tools that read a stopped silo's log (<c>actors-wal dump</c>) use it.</remarks>
public readonly record struct GrainStreamName(GrainStreamKind Kind, string Provider, string? StateName, string GrainId)
{
    /// <summary>Parses a stream id of the form <c>s/{provider}/{state name}/{grain id}</c> or <c>j/{provider}/{grain id}</c>.</summary>
    /// <param name="streamId">The log stream id.</param>
    /// <param name="name">What it names, when the result is true.</param>
    /// <returns>False when the stream id is not one the providers make (an engine used directly, another layer's stream).</returns>
    public static bool TryParse(string streamId, out GrainStreamName name)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        name = default;
        string[] parts = streamId.Split('/', 3);
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            return false;
        }

        string provider = GrainStreamNames.Unescape(parts[1]);
        switch (parts[0])
        {
            case "j" when IsGrainId(parts[2]):
                name = new GrainStreamName(GrainStreamKind.Journal, provider, null, parts[2]);
                return true;
            case "s":
                int end = parts[2].IndexOf('/', StringComparison.Ordinal);
                if (end <= 0 || !IsGrainId(parts[2][(end + 1)..]))
                {
                    return false;
                }

                name = new GrainStreamName(GrainStreamKind.State, provider, GrainStreamNames.Unescape(parts[2][..end]), parts[2][(end + 1)..]);
                return true;
            default:
                return false;
        }
    }

    private static bool IsGrainId(string text)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < text.Length - 1;
    }
}
