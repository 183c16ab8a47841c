namespace Actors.Persistence.Wal;

/// <summary>
/// Gives an event type its stable name on disk. Every event a write-ahead-logged grain raises must carry one:
/// the name, never the CLR type name, is stored with the event, so classes can be renamed or moved freely.
/// </summary>
/// <remarks>
/// Names are case-sensitive, 1 to <see cref="MaxNameLength"/> UTF-8 bytes, and must be unique within a codec.
/// A kebab-case "aggregate-verb" form such as <c>account-deposited</c> is the convention. To change an event's
/// shape incompatibly, give the new shape a new name and register an upcaster from the old name.
/// </remarks>
/// <param name="name">The stable type name.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class EventTypeAttribute(string name) : Attribute
{
    /// <summary>The longest allowed type name, in UTF-8 bytes.</summary>
    public const int MaxNameLength = 255;

    /// <summary>The stable type name.</summary>
    public string Name { get; } = name;
}
