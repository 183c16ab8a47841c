using System.Text;
using Actors.Orleans.EventSourcing;
using Actors.Orleans.Log;
using Actors.Orleans.Storage;
using Actors.Orleans.Tests.Support;
using Actors.Wal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Actors.Orleans.Tests.Log;

/// <summary>
/// The log records every configured provider's stream prefix; a silo that lacks a recorded provider does not open
/// instead of serving that provider's grains as never written.
/// </summary>
public sealed class ProviderPrefixLedgerTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task OpenAsync_LogRecordedAStorageProviderNoLongerConfigured_RefusesNamingItsPrefix()
    {
        await OpenAndCloseAsync(new StateRetentionSource("before"));

        SiloLog renamed = NewLog([new StateRetentionSource("after")]);
        var error = await Assert.ThrowsAsync<WriteAheadLogUnavailableException>(() => renamed.OpenAsync(CancellationToken.None));

        var unconfigured = Assert.IsType<UnconfiguredProviderDataException>(error.InnerException);
        Assert.Equal(["s/before/"], unconfigured.UnconfiguredPrefixes);
        Assert.Contains("'s/after/'", unconfigured.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SiloLogOptions.RetiredProviders), unconfigured.Message, StringComparison.Ordinal);
        Assert.Equal(SiloLogState.OpenFailed, renamed.GetStatus().State);
        Assert.Throws<WriteAheadLogUnavailableException>(() => renamed.Log);
    }

    [Fact]
    public async Task OpenAsync_JournalProviderMovedToTheDefaultName_Refuses()
    {
        // [WriteAheadLog] (provider "WriteAheadLog") switched to AddWriteAheadLogLogConsistencyProviderAsDefault ("Default").
        await OpenAndCloseAsync(Journal(WriteAheadLogAttribute.ProviderName), new StateRetentionSource(WriteAheadLogAttribute.ProviderName));

        SiloLog moved = NewLog([Journal("Default"), new StateRetentionSource(WriteAheadLogAttribute.ProviderName)]);
        var error = await Assert.ThrowsAsync<WriteAheadLogUnavailableException>(() => moved.OpenAsync(CancellationToken.None));

        Assert.Equal(["j/WriteAheadLog/"], Assert.IsType<UnconfiguredProviderDataException>(error.InnerException).UnconfiguredPrefixes);
    }

    [Fact]
    public async Task OpenAsync_RecordedProviderNamedRetired_OpensAndStillRefusesOnceNoLongerRetired()
    {
        await OpenAndCloseAsync(new StateRetentionSource("before"));

        await OpenAndCloseAsync([new StateRetentionSource("after")], retired: "before");

        SiloLog withoutRetirement = NewLog([new StateRetentionSource("after")]);
        var error = await Assert.ThrowsAsync<WriteAheadLogUnavailableException>(() => withoutRetirement.OpenAsync(CancellationToken.None));
        Assert.Equal(["s/before/"], Assert.IsType<UnconfiguredProviderDataException>(error.InnerException).UnconfiguredPrefixes);
    }

    [Fact]
    public async Task OpenAsync_ProviderAdded_RecordsItSoThatRemovingItLaterRefuses()
    {
        await OpenAndCloseAsync(new StateRetentionSource("a"));
        await OpenAndCloseAsync(new StateRetentionSource("a"), new StateRetentionSource("b"));
        await OpenAndCloseAsync(new StateRetentionSource("b"), new StateRetentionSource("a"));

        SiloLog withoutB = NewLog([new StateRetentionSource("a")]);
        var error = await Assert.ThrowsAsync<WriteAheadLogUnavailableException>(() => withoutB.OpenAsync(CancellationToken.None));
        Assert.Equal(["s/b/"], Assert.IsType<UnconfiguredProviderDataException>(error.InnerException).UnconfiguredPrefixes);
    }

    [Fact]
    public async Task OpenAsync_SameProvidersAgain_AppendsNothingMore()
    {
        await OpenAndCloseAsync(new StateRetentionSource("a"), Journal("a"));
        await OpenAndCloseAsync(Journal("a"), new StateRetentionSource("a"));

        SiloLog log = NewLog([new StateRetentionSource("a"), Journal("a")]);
        await log.OpenAsync(CancellationToken.None);
        StreamReadResult ledger = await log.Log.ReadStreamAsync(ProviderPrefixLedger.StreamId);
        await log.CloseAsync(CancellationToken.None);

        Assert.Equal(["j/a/", "s/a/"], ledger.Events.Select(e => Encoding.UTF8.GetString(e.Payload.Span)));
    }

    [Fact]
    public async Task OpenAsync_ReadOnly_ChecksButRecordsNothing()
    {
        await OpenAndCloseAsync(new StateRetentionSource("a"));
        var readOnly = new SiloLogOptions { Directory = _directory.Path, ConfigureEngine = engine => engine.ReadOnly = true };
        SiloLog log = new(Options.Create(readOnly), new StreamRetentionRegistry([new StateRetentionSource("a"), new StateRetentionSource("b")]), NullLoggerFactory.Instance);
        await log.OpenAsync(CancellationToken.None);
        await log.CloseAsync(CancellationToken.None);

        // "b" was configured only while the log was read-only: a later open without it opens.
        await OpenAndCloseAsync(new StateRetentionSource("a"));

        // Read-only, the check still refuses a recorded provider the silo lacks.
        SiloLog withoutA = new(Options.Create(readOnly), new StreamRetentionRegistry([new StateRetentionSource("b")]), NullLoggerFactory.Instance);
        var error = await Assert.ThrowsAsync<WriteAheadLogUnavailableException>(() => withoutA.OpenAsync(CancellationToken.None));
        Assert.Equal(["s/a/"], Assert.IsType<UnconfiguredProviderDataException>(error.InnerException).UnconfiguredPrefixes);
    }

    [Fact]
    public async Task OpenAsync_RefusalMessage_NamesTheProviderToConfigureOrRetire()
    {
        await OpenAndCloseAsync(new StateRetentionSource("old/name"));

        var error = await Assert.ThrowsAsync<WriteAheadLogUnavailableException>(() => NewLog([new StateRetentionSource("new")]).OpenAsync(CancellationToken.None));

        Assert.Contains("provider 'old/name' (streams 's/old%2Fname/')", error.InnerException!.Message, StringComparison.Ordinal);
        await OpenAndCloseAsync([new StateRetentionSource("new")], retired: "old/name");
    }

    [Fact]
    public async Task OpenAsync_LedgerEntryNotAPrefix_RefusesToOpen()
    {
        SiloLog log = NewLog([new StateRetentionSource("a")]);
        await log.OpenAsync(CancellationToken.None);
        await log.Log.AppendAsync(ProviderPrefixLedger.StreamId, ExpectedVersion.Any, [Encoding.UTF8.GetBytes("not a prefix")]);
        await log.CloseAsync(CancellationToken.None);

        SiloLog reopened = NewLog([new StateRetentionSource("a")]);
        var error = await Assert.ThrowsAsync<WriteAheadLogUnavailableException>(() => reopened.OpenAsync(CancellationToken.None));
        Assert.IsType<InvalidDataException>(error.InnerException);
        Assert.Contains(ProviderPrefixLedger.StreamId, error.Message, StringComparison.Ordinal);
    }

    private static JournalRetentionSource Journal(string provider) => new(provider, WriteAheadLogHistory.KeepAll, EmptyServices.Instance);

    private Task OpenAndCloseAsync(params IStreamRetentionSource[] sources) => OpenAndCloseAsync(sources, retired: null);

    private async Task OpenAndCloseAsync(IStreamRetentionSource[] sources, string? retired)
    {
        SiloLog log = NewLog(sources, retired);
        await log.OpenAsync(CancellationToken.None);
        await log.CloseAsync(CancellationToken.None);
    }

    private SiloLog NewLog(IStreamRetentionSource[] sources, string? retired = null)
    {
        var options = new SiloLogOptions { Directory = _directory.Path };
        if (retired is not null)
        {
            options.RetiredProviders.Add(retired);
        }

        return new SiloLog(Options.Create(options), new StreamRetentionRegistry(sources), NullLoggerFactory.Instance);
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
