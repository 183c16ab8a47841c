using Actors.Invocation;

namespace Actors.Cluster.Messaging;

/// <summary>Turns a handler's exception into an error response and back, keeping the types callers act on.</summary>
internal static class SiloErrors
{
    public static SiloError From(Exception exception) => exception switch
    {
        PartitionUnavailableException p => new SiloError(SiloErrorKind.PartitionUnavailable, p.GetType().FullName!, p.Message,
            new WireWriter().Int32(p.Partition).String(p.Owner).String(p.Reason).ToArray()),
        SiloUnavailableException s => new SiloError(SiloErrorKind.SiloUnavailable, s.GetType().FullName!, s.Message, []),
        TimeoutException t => new SiloError(SiloErrorKind.Timeout, t.GetType().FullName!, t.Message, []),
        RemoteGrainException r => new SiloError(SiloErrorKind.Remote, r.OriginalTypeName, r.OriginalMessage, []),
        AggregateException { InnerExceptions.Count: 1 } a => From(a.InnerExceptions[0]),
        _ => new SiloError(SiloErrorKind.Remote, exception.GetType().FullName ?? exception.GetType().Name, exception.Message, []),
    };

    public static Exception ToException(SiloError error)
    {
        switch (error.Kind)
        {
            case SiloErrorKind.PartitionUnavailable:
                var reader = new WireReader(error.Detail);
                int partition = reader.Int32();
                string owner = reader.String();
                string reason = reader.String();
                reader.End("a PartitionUnavailable error");
                return new PartitionUnavailableException(partition, owner, reason);
            case SiloErrorKind.SiloUnavailable:
                return new SiloUnavailableException(error.Message);
            case SiloErrorKind.Timeout:
                return new TimeoutException(error.Message);
            default:
                return new RemoteGrainException(error.Type, error.Message);
        }
    }
}
