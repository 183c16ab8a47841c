using Actors.Persistence.Wal;
using Actors.Runtime;
using Actors.Wal;
using StreamId = Actors.Runtime.StreamId;
using Microsoft.Extensions.Logging;

namespace Actors.Streams;

/// <content>Silo start (resume delivery of every known stream), graceful stop and abandon (a killed silo).</content>
internal sealed partial class StreamProvider
{
    /// <summary>
    /// Loads every stream of the directory, which starts delivery of whatever its subscriptions have not acknowledged.
    /// In a cluster, joins the partitioned log instead: each partition's streams are loaded when its log opens here.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        IEventLog log = await _logSource(cancellationToken);
        if (log is IPartitionedEventLog partitioned)
        {
            StartPartitioned(partitioned);
            return;
        }

        StreamId[] known = await ReadDirectoryAsync(DirectoryOf(-1));
        foreach (StreamId streamId in known)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await GetLoadedAsync(streamId);
        }

        LogStarted(_logger, Name, known.Length);
    }

    /// <summary>Stops delivery and records the cursors acknowledged so far (graceful stop, before the log closes).</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        _participation?.Dispose();
        foreach (StreamState state in _streams.Values)
        {
            await WriterIdleAsync(state);
            KickWriter(state);
            await WriterIdleAsync(state);
        }
    }

    /// <summary>Stops delivery and writes nothing more (the silo is killed; what the log holds is what survives).</summary>
    public void Abandon()
    {
        _abandoned = true;
        _stopping.Cancel();
    }

    [LoggerMessage(20, LogLevel.Information, "Stream provider {Provider} started with {Streams} known streams")]
    private static partial void LogStarted(ILogger logger, string provider, int streams);
}
