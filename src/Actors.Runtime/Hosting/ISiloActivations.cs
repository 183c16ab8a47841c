namespace Actors.Hosting;

/// <summary>
/// The silo's activations, for infrastructure that must move grains away (a cluster handing a partition to another
/// silo, a graceful leave). Registered as a singleton by <see cref="SiloRuntimeServiceCollectionExtensions.AddActorsRuntime"/>.
/// </summary>
public interface ISiloActivations
{
    /// <summary>The number of activations in the catalog.</summary>
    int Count { get; }

    /// <summary>A snapshot of the grain ids activated in this silo, optionally filtered.</summary>
    IReadOnlyList<GrainId> GetActivations(Func<GrainId, bool>? filter = null);

    /// <summary>
    /// Deactivates every activation whose grain id matches <paramref name="filter"/>, including ones created while this
    /// runs: each finishes its running requests, runs <c>OnDeactivateAsync</c> and its storage teardown, and leaves the
    /// catalog; its queued requests are routed again (through the <see cref="IGrainCallRouter"/>, if any). Completes when
    /// no matching activation is left.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first; the deactivations go on.</exception>
    Task DeactivateAsync(Func<GrainId, bool> filter, DeactivationReason reason, CancellationToken cancellationToken = default);
}
