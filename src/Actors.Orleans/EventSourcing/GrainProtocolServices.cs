using Microsoft.Extensions.Logging;
using Orleans.EventSourcing;
using Orleans.Runtime;
using Orleans.Serialization;

namespace Actors.Orleans.EventSourcing;

/// <summary>
/// The runtime services a log view adaptor uses (grain id, deep copies, error reporting), for silos whose only
/// log-consistency providers are ours (Orleans registers its own only with its own providers).
/// </summary>
internal sealed partial class GrainProtocolServices : ILogConsistencyProtocolServices
{
    private readonly IGrainContext _grain;
    private readonly DeepCopier _copier;
    private readonly ILogger _logger;

    public GrainProtocolServices(IGrainContext grain, DeepCopier copier, ILocalSiloDetails silo, ILogger<GrainProtocolServices> logger)
    {
        _grain = grain;
        _copier = copier;
        _logger = logger;
        MyClusterId = silo.ClusterId;
    }

    public GrainId GrainId => _grain.GrainId;

    public string MyClusterId { get; }

    public T DeepCopy<T>(T value) => _copier.Copy(value)!;

    public void ProtocolError(string msg, bool throwexception)
    {
        LogProtocolError(GrainId, msg);
        if (throwexception)
        {
            throw new OrleansException($"{msg} (grain {GrainId}, cluster {MyClusterId})");
        }
    }

    public void CaughtException(string where, Exception e) => LogCaughtException(e, GrainId, where);

    public void CaughtUserCodeException(string callback, string where, Exception e) => LogUserCodeException(e, GrainId, callback, where);

    public void Log(LogLevel level, string format, params object[] args)
    {
        if (_logger.IsEnabled(level))
        {
#pragma warning disable CA2254 // Orleans's adaptors pass composite formats; this is their logging contract.
            _logger.Log(level, "{GrainId} " + format, [GrainId, .. args]);
#pragma warning restore CA2254
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Error, Message = "{GrainId}: log-consistency protocol error: {Message}")]
    private partial void LogProtocolError(GrainId grainId, string message);

    [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "{GrainId}: exception caught at {Location}")]
    private partial void LogCaughtException(Exception exception, GrainId grainId, string location);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "{GrainId}: the grain's {Callback} threw, called from {Location}")]
    private partial void LogUserCodeException(Exception exception, GrainId grainId, string callback, string location);
}
