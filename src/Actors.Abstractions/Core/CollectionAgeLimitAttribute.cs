namespace Actors;

/// <summary>Overrides the silo's collection age for activations of one grain class.</summary>
/// <param name="minutes">The idle time after which an activation is collected, in minutes; greater than zero.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class CollectionAgeLimitAttribute(double minutes) : Attribute
{
    /// <summary>The idle time after which an activation is collected.</summary>
    public TimeSpan AgeLimit { get; } = minutes > 0
        ? TimeSpan.FromMinutes(minutes)
        : throw new ArgumentOutOfRangeException(nameof(minutes), minutes, "The collection age limit must be positive.");
}
