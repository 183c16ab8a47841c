using Actors.Runtime;
using Actors.Timers;
using Microsoft.Extensions.DependencyInjection;

namespace Actors;

/// <summary>
/// The base class of grain implementations, in the manner of Orleans' <c>Grain</c>. The runtime constructs a grain
/// (with constructor injection from the silo's services), loads its state, calls <see cref="OnActivateAsync"/>
/// before the first call, and <see cref="OnDeactivateAsync"/> when the activation is collected or the silo stops.
/// </summary>
/// <remarks>
/// All code of a grain runs on its activation's single-threaded scheduler: two turns never run in parallel, and
/// continuations after <c>await</c> return to that scheduler (do not use <c>ConfigureAwait(false)</c> in grain code).
/// Members other than the key accessors may only be used while the grain runs inside a silo. The grain reaches its
/// activation only through <see cref="GrainContext"/>, bound at construction (<see cref="RuntimeContext.Current"/>).
/// </remarks>
public abstract partial class Grain : IGrainBase, IAddressable, ILifecycleParticipant<IGrainLifecycle>
{
    private readonly IGrainContext? _context;

    /// <summary>Creates the grain; binds it to the activation the runtime is constructing (<see cref="RuntimeContext.Current"/>).</summary>
    protected Grain()
    {
        _context = RuntimeContext.Current;
    }

    /// <summary>Creates the grain bound to <paramref name="grainContext"/> (for runtimes and tests that construct grains themselves).</summary>
    protected Grain(IGrainContext grainContext)
    {
        ArgumentNullException.ThrowIfNull(grainContext);
        _context = grainContext;
    }

    /// <summary>The activation this grain belongs to.</summary>
    /// <exception cref="InvalidOperationException">The grain was not created by a runtime.</exception>
    public IGrainContext GrainContext => _context
        ?? throw new InvalidOperationException($"Grain '{GetType().FullName}' was not created by the Actors runtime; it has no activation.");

    /// <summary>This grain's identity.</summary>
    public GrainId GrainId => GrainContext.GrainId;

    /// <summary>A factory for references to other grains (and to this one).</summary>
    protected IGrainFactory GrainFactory => GrainContext.GrainFactory;

    /// <summary>The silo's services.</summary>
    protected IServiceProvider ServiceProvider => GrainContext.ActivationServices;

    /// <summary>The key as a string: a string key as is, other keys in their canonical form (see <see cref="GrainIdKeyExtensions"/>).</summary>
    public string GetPrimaryKeyString() => GrainId.Key;

    /// <summary>The Guid key of a grain whose interface derives from <see cref="IGrainWithGuidKey"/>; an integer key is widened into a Guid.</summary>
    /// <exception cref="InvalidOperationException">The key is neither a Guid nor an integer.</exception>
    public Guid GetPrimaryKey() => GrainExtensions.GuidKeyOf(GrainId, out _);

    /// <summary>The Guid key and key extension of a grain whose interface derives from <see cref="IGrainWithGuidCompoundKey"/>.</summary>
    /// <exception cref="InvalidOperationException">The key is neither a Guid nor an integer.</exception>
    public Guid GetPrimaryKey(out string? keyExt) => GrainExtensions.GuidKeyOf(GrainId, out keyExt);

    /// <summary>The integer key of a grain whose interface derives from <see cref="IGrainWithIntegerKey"/>.</summary>
    /// <exception cref="InvalidOperationException">The key is not an integer.</exception>
    public long GetPrimaryKeyLong() => GrainExtensions.IntegerKeyOf(GrainId, out _);

    /// <summary>The integer key and key extension of a grain whose interface derives from <see cref="IGrainWithIntegerCompoundKey"/>.</summary>
    /// <exception cref="InvalidOperationException">The key is not an integer.</exception>
    public long GetPrimaryKeyLong(out string? keyExt) => GrainExtensions.IntegerKeyOf(GrainId, out keyExt);

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
    protected void DeactivateOnIdle() => GrainContext.DeactivateOnIdle(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called."));

    /// <summary>
    /// Keeps this activation from being collected for at least <paramref name="timeSpan"/>; a negative value cancels a
    /// previous delay so normal collection applies again.
    /// </summary>
    protected void DelayDeactivation(TimeSpan timeSpan) => GrainContext.DelayDeactivation(timeSpan);

    /// <summary>
    /// The older timer API (Orleans' <c>Grain.RegisterTimer</c>): a timer whose callbacks interleave with requests
    /// awaiting on the activation and do not delay idle collection. Equivalent to
    /// <c>this.RegisterGrainTimer(callback, state, new() { DueTime = dueTime, Period = period, Interleave = true })</c>.
    /// </summary>
    /// <returns>A handle whose disposal stops the timer.</returns>
    [Obsolete("Use 'this.RegisterGrainTimer(callback, state, new() { DueTime = dueTime, Period = period, Interleave = true })' instead.")]
    protected IDisposable RegisterTimer(Func<object?, Task> callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return GrainContext.ActivationServices.GetRequiredService<ITimerRegistry>().RegisterGrainTimer(
            GrainContext,
            static (s, _) => s.Callback(s.State),
            (Callback: callback, State: state),
            new GrainTimerCreationOptions(dueTime, period) { Interleave = true });
    }

    /// <summary>
    /// Subscribes grain-side participants (journals, states) to the activation's lifecycle; called by the runtime right
    /// after construction. Overrides call the base.
    /// </summary>
    protected virtual void Participate(IGrainLifecycle lifecycle)
    {
    }

    /// <inheritdoc />
    void ILifecycleParticipant<IGrainLifecycle>.Participate(IGrainLifecycle lifecycle) => Participate(lifecycle);
}
