using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Transport;

/// <summary>
/// This silo's end of the replication transport inside Orleans: the grain service (a system target) that peers' frames
/// arrive at, and the context this silo's frames are sent from.
/// </summary>
/// <remarks>
/// <para>Receiving: Orleans runs an incoming call filter that a system target implements (as it does for grains), and
/// only the filter sees the call's source (<c>IGrainCallContext.SourceId</c>); so the filter receives the
/// frame and hands it with its source to <see cref="OrleansReplicaMessaging.Receive"/>, which decides. The method body
/// is never reached through Orleans; if it were, the frame would be refused as having no known caller.</para>
/// <para>Sending: frames are sent from this system target's own scheduler (<see cref="SendFrom"/>), so each call's source
/// is this silo's system target, which a receiving silo can tell from a client's call.</para>
/// </remarks>
internal sealed class ReplicaFrameService : GrainService, IReplicaFrameService, IIncomingGrainCallFilter
{
    private readonly OrleansReplicaMessaging _messaging;

    public ReplicaFrameService(GrainId grainId, Silo silo, ILoggerFactory loggerFactory, OrleansReplicaMessaging messaging)
        : base(grainId, silo, loggerFactory)
    {
        _messaging = messaging;
        messaging.Attach(this);
    }

    /// <inheritdoc />
    public Task Receive(byte[] frame)
    {
        _messaging.Receive(frame, source: null);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.MethodName == nameof(Receive) && context.Request.GetArgumentCount() == 1)
        {
            _messaging.Receive(context.Request.GetArgument(0) as byte[], context.SourceId);
            context.Result = null;
            return Task.CompletedTask;
        }

        return context.Invoke();
    }

    /// <summary>Runs <paramref name="send"/> on this system target's scheduler (calls it makes have this service as source).</summary>
    public void SendFrom(Action send) => Scheduler.QueueAction(send);
}
