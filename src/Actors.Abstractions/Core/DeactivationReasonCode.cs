namespace Actors;

/// <summary>Why an activation is deactivated.</summary>
public enum DeactivationReasonCode
{
    /// <summary>No reason given.</summary>
    None,

    /// <summary>The activation was idle longer than its collection age.</summary>
    ActivationIdle,

    /// <summary>The grain called <see cref="Grain.DeactivateOnIdle"/>.</summary>
    ApplicationRequested,

    /// <summary>The silo is shutting down gracefully.</summary>
    ShuttingDown,

    /// <summary>A storage operation failed with an uncertain outcome; the next activation reloads from storage.</summary>
    StorageFailed,

    /// <summary>The grain moves to another silo (its partition is handed off, or its silo leaves the cluster).</summary>
    Migrating,
}
