using Actors.Orleans.Storage;
using Actors.Orleans.Tests.Grains;
using Actors.Wal;
using Orleans.Runtime;

namespace Actors.Orleans.Tests.Support;

/// <summary>Opens a stopped silo's log directly to look at (or plant) a grain's streams.</summary>
public sealed class ProviderHarnessForJournals : IAsyncDisposable
{
    private readonly WriteAheadLog _log;

    private ProviderHarnessForJournals(WriteAheadLog log) => _log = log;

    public static async Task<ProviderHarnessForJournals> OpenAsync(string directory) =>
        new(await WriteAheadLog.OpenAsync(new WriteAheadLogOptions { Directory = directory, RetainCheckpointedEvents = true }));

    /// <summary>The stream of the <see cref="CounterJournalGrain"/> with <paramref name="key"/>.</summary>
    public StreamInfo Info(string key) =>
        _log.GetStreamInfo(GrainStreamNames.Journal(WriteAheadLogAttribute.ProviderName, GrainId.Create("counterjournal", key)));

    /// <summary>The stored events of the <see cref="CounterJournalGrain"/> with <paramref name="key"/> (stream versions).</summary>
    public ValueTask<IReadOnlyList<StoredEvent>> ReadEventsAsync(string key, long from, long to) =>
        _log.ReadEventsAsync(GrainStreamNames.Journal(WriteAheadLogAttribute.ProviderName, GrainId.Create("counterjournal", key)), from, to);

    /// <summary>
    /// Appends the stored events of the <see cref="CounterJournalGrain"/> with <paramref name="fromKey"/> to the journal
    /// of the one with <paramref name="toKey"/> under <paramref name="provider"/>: what that grain's journal holds after
    /// its class was stored under that provider.
    /// </summary>
    public async Task CopyJournalAsync(string fromKey, string provider, string toKey)
    {
        StreamInfo from = Info(fromKey);
        IReadOnlyList<StoredEvent> events = await ReadEventsAsync(fromKey, 1, from.Version);
        await _log.AppendAsync(GrainStreamNames.Journal(provider, GrainId.Create("counterjournal", toKey)), ExpectedVersion.NoStream, [.. events.Select(e => e.Payload)]);
    }

    /// <summary>Appends the newest stored event of stream <paramref name="from"/> as the first of stream <paramref name="to"/>.</summary>
    public async Task CopyNewestAsync(string from, string to)
    {
        StreamInfo info = _log.GetStreamInfo(from);
        Assert.True(info.Version > 0, $"stream '{from}' holds nothing to copy");
        IReadOnlyList<StoredEvent> newest = await _log.ReadEventsAsync(from, info.Version, info.Version);
        await _log.AppendAsync(to, ExpectedVersion.NoStream, [newest[0].Payload]);
    }

    /// <summary>Appends <paramref name="payload"/> as the next event of the <see cref="CounterJournalGrain"/> with <paramref name="key"/>.</summary>
    public async Task AppendEventAsync(string key, byte[] payload)
    {
        StreamInfo info = Info(key);
        await _log.AppendAsync(GrainStreamNames.Journal(WriteAheadLogAttribute.ProviderName, GrainId.Create("counterjournal", key)), info.Version, [payload]);
    }

    public ValueTask DisposeAsync() => _log.DisposeAsync();
}
