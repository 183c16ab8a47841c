using Actors.Orleans.EventSourcing;
using Actors.Orleans.Log;
using Actors.Orleans.Storage;
using Actors.Wal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Actors.Orleans.Tests.Support;

/// <summary>
/// The providers without a silo: Orleans's serializer, the silo's log on a directory, a grain storage provider. Reopen to
/// see what a restarted silo sees (the log is closed and opened again on the same directory).
/// </summary>
public sealed class ProviderHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly string[] _otherProviders;

    private ProviderHarness(ServiceProvider services, SiloLog log, string directory, WriteAheadLogGrainStorageOptions storageOptions, string[] otherProviders)
    {
        _services = services;
        _otherProviders = otherProviders;
        Log = log;
        Directory = directory;
        StorageOptions = storageOptions;
        Storage = new WriteAheadLogGrainStorage("test", storageOptions, log, services, NullLogger<WriteAheadLogGrainStorage>.Instance);
    }

    public SiloLog Log { get; }

    public string Directory { get; }

    public WriteAheadLogGrainStorageOptions StorageOptions { get; }

    public WriteAheadLogGrainStorage Storage { get; }

    public IServiceProvider Services => _services;

    /// <summary>Opens the log with a grain storage provider named <c>test</c> and, configured beside it, <paramref name="otherProviders"/> (see <see cref="StorageNamed"/>).</summary>
    public static async Task<ProviderHarness> OpenAsync(string directory, WriteAheadLogGrainStorageOptions? storage = null, Action<SiloLogOptions>? configure = null, params string[] otherProviders)
    {
        ServiceProvider provider = TestSerializerServices.Create();
        var options = new SiloLogOptions { Directory = directory };
        configure?.Invoke(options);
        var log = new SiloLog(Options.Create(options), new StreamRetentionRegistry([new StateRetentionSource("test"), .. otherProviders.Select(p => new StateRetentionSource(p))]), NullLoggerFactory.Instance);
        await log.OpenAsync(CancellationToken.None);
        return new ProviderHarness(provider, log, directory, storage ?? new WriteAheadLogGrainStorageOptions(), otherProviders);
    }

    /// <summary>Another grain storage provider on the same log (configured at open, see <see cref="OpenAsync"/>).</summary>
    public WriteAheadLogGrainStorage StorageNamed(string name) => new(name, StorageOptions, Log, _services, NullLogger<WriteAheadLogGrainStorage>.Instance);

    public Task<ProviderHarness> ReopenAsync(WriteAheadLogGrainStorageOptions? storage = null) => ReopenCoreAsync(storage);

    public async ValueTask DisposeAsync()
    {
        await Log.CloseAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }

    private async Task<ProviderHarness> ReopenCoreAsync(WriteAheadLogGrainStorageOptions? storage)
    {
        await DisposeAsync();
        return await OpenAsync(Directory, storage ?? StorageOptions, configure: null, _otherProviders);
    }

    public IEventLog EventLog => Log.Log;
}
