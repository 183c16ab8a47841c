namespace Actors.Runtime;

/// <summary>What the stuck-grain detector reports for a call.</summary>
internal enum StuckKind
{
    /// <summary>Making progress (or not yet long enough to tell).</summary>
    None,

    /// <summary>The call has waited in its activation's queue longer than the threshold.</summary>
    Queue,

    /// <summary>The call's turn has been running longer than the threshold.</summary>
    Turn,
}
