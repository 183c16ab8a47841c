namespace Actors.Runtime;

/// <summary>The life of an activation; transitions only move forward.</summary>
internal enum ActivationState
{
    /// <summary>In the catalog, nothing started.</summary>
    Created,

    /// <summary>Constructing, loading state and running OnActivateAsync; requests queue.</summary>
    Activating,

    /// <summary>Serving requests.</summary>
    Valid,

    /// <summary>Running OnDeactivateAsync; new requests go to the next activation.</summary>
    Deactivating,

    /// <summary>Gone from the catalog.</summary>
    Invalid,
}
