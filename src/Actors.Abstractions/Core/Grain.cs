using System.Globalization;
using Actors.Runtime;

namespace Actors;

/// <summary>
/// The base class of grain implementations, in the manner of Orleans' <c>Grain</c>. The runtime constructs a grain
/// (with constructor injection from the silo's services), loads its state, calls <see cref="OnActivateAsync"/>
/// before the first call, and <see cref="OnDeactivateAsync"/> when the activation is collected or the silo stops.
/// </summary>
/// <remarks>
/// All code of a grain runs on its activation's single-threaded scheduler: two turns never run in parallel, and
/// continuations after <c>await</c> return to that scheduler (do not use <c>ConfigureAwait(false)</c> in grain code).
/// Members other than the key accessors may only be used while the grain runs inside a silo.
/// </remarks>
public abstract partial class Grain
{
    private readonly ActivationData? _activation;

    /// <summary>Creates the grain; the runtime binds it to the activation being created.</summary>
    protected Grain()
    {
        _activation = ActivationData.Constructing;
    }

    /// <summary>This grain's identity.</summary>
    public GrainId GrainId => Activation.GrainId;

    /// <summary>A factory for references to other grains (and to this one).</summary>
    protected IGrainFactory GrainFactory => Activation.Runtime.GrainFactory;

    /// <summary>The silo's services.</summary>
    protected IServiceProvider ServiceProvider => Activation.Runtime.Services;

    internal ActivationData Activation => _activation
        ?? throw new InvalidOperationException($"Grain '{GetType().FullName}' was not created by the Actors runtime; it has no activation.");

    /// <summary>The string key of a grain whose interface derives from <see cref="IGrainWithStringKey"/>.</summary>
    public string GetPrimaryKeyString() => GrainId.Key;

    /// <summary>The Guid key of a grain whose interface derives from <see cref="IGrainWithGuidKey"/>.</summary>
    /// <exception cref="FormatException">The key is not a Guid.</exception>
    public Guid GetPrimaryKey() => Guid.Parse(GrainId.Key);

    /// <summary>The integer key of a grain whose interface derives from <see cref="IGrainWithIntegerKey"/>.</summary>
    /// <exception cref="FormatException">The key is not an integer.</exception>
    public long GetPrimaryKeyLong() => long.Parse(GrainId.Key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary>
    /// Called once per activation, after state is loaded and before the first call. An exception fails the call that
    /// caused the activation and leaves no activation behind.
    /// </summary>
    /// <param name="cancellationToken">Cancelled when the silo stops.</param>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Called once when the activation is deactivated gracefully (idle collection, <see cref="DeactivateOnIdle"/>,
    /// silo shutdown). Not called when the silo is killed.
    /// </summary>
    /// <param name="reason">Why the activation is deactivated.</param>
    /// <param name="cancellationToken">Cancelled when the shutdown grace period ends.</param>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation as soon as it has no running or queued request. Cancels <see cref="DelayDeactivation"/>.</summary>
    protected void DeactivateOnIdle() => Activation.DeactivateOnIdle(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called."));

    /// <summary>
    /// Keeps this activation from being collected for at least <paramref name="timeSpan"/>; a negative value cancels a
    /// previous delay so normal collection applies again.
    /// </summary>
    protected void DelayDeactivation(TimeSpan timeSpan) => Activation.DelayDeactivation(timeSpan);

    /// <summary>Loads runtime-managed state (journals) after construction and before <see cref="OnActivateAsync"/>.</summary>
    internal virtual Task SetupStateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Lets runtime-managed state observe a graceful deactivation, after <see cref="OnDeactivateAsync"/>.</summary>
    internal virtual Task TeardownStateAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
