namespace Actors;

/// <summary>Why an activation is deactivated, passed to <see cref="Grain.OnDeactivateAsync"/>.</summary>
/// <param name="ReasonCode">The reason.</param>
/// <param name="Description">A human-readable description.</param>
/// <param name="Exception">The failure that caused the deactivation, if any (for example a storage failure).</param>
public readonly record struct DeactivationReason(DeactivationReasonCode ReasonCode, string Description, Exception? Exception = null)
{
    /// <inheritdoc />
    public override string ToString() => $"{ReasonCode}: {Description}";
}
