using Actors.Hosting;
using Actors.Persistence.Wal;
using Actors.Runtime;
using Actors.Wal;
using StreamId = Actors.Runtime.StreamId;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Actors.Streams;

/// <content>Silo start (resume delivery of every known stream), graceful stop and abandon (a killed silo).</content>
internal sealed partial class StreamProvider
{
    /// <summary>
    /// Loads every stream of the directory, which starts delivery of whatever its subscriptions have not acknowledged.
    /// In a cluster, joins the partitioned log instead: each partition's streams are loaded when its log opens here.
    /// </summary>
    /// <exception cref="InvalidOperationException">A provider whose log belongs to this silo alone (memory streams) in a cluster.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        IEventLog log = await _logSource(cancellationToken);
        if (log is IPartitionedEventLog partitioned)
        {
            StartPartitioned(partitioned);
            return;
        }

        if (_services.GetService<IGrainCallRouter>() is not null)
        {
            // A log of this silo alone in a cluster: producers and subscribers on different silos would never meet.
            throw new InvalidOperationException(
                $"Stream provider '{Name}' keeps its streams in a log of this silo only (a memory provider), but this silo is part of a cluster, where producers and subscribers run on different silos and would silently miss each other. " +
                $"Use silo.AddWriteAheadLogStreams(\"{Name}\") in a cluster: its streams live in the cluster's partitions.");
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
