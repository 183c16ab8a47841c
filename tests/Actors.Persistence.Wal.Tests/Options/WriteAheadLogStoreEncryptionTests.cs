using Actors.Persistence.Wal.Hosting;
using Actors.Persistence.Wal.Tests.Support;
using Actors.Wal;
using Actors.Wal.Encryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Actors.Persistence.Wal.Tests.Options;

/// <summary>
/// A store's encryption settings: a key file (or variable, or code) resolved into the engine's key provider, validated
/// with failures that name the setting, and a store over a file log that writes nothing readable without the key.
/// </summary>
public sealed class WriteAheadLogStoreEncryptionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-store-keys-" + Guid.NewGuid().ToString("N"));

    public WriteAheadLogStoreEncryptionTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void ToLogOptions_KeyFile_ProviderWithTheHighestIdCurrent()
    {
        var options = new WriteAheadLogStoreOptions { Directory = _directory, EncryptionKeyFile = WriteKeyFile("# keys", "1:" + Key(1), "", "2:" + Key(2)) };

        var result = new WriteAheadLogStoreOptionsValidator().Validate("orders", options);

        Assert.True(result.Succeeded, result.FailureMessage);
        var keys = options.ToLogOptions().Encryption;
        Assert.NotNull(keys);
        Assert.Equal(2u, keys.CurrentKey.Id);
        Assert.NotNull(keys.FindKey(1));
    }

    [Fact]
    public void AddWriteAheadLog_EncryptionKeyFileInConfiguration_BoundAndResolved()
    {
        string keyFile = WriteKeyFile("3:" + Key(3));
        var builder = new TestSiloBuilder(new Dictionary<string, string?>
        {
            ["Actors:Storage:orders:Directory"] = _directory,
            ["Actors:Storage:orders:EncryptionKeyFile"] = keyFile,
        });
        builder.AddWriteAheadLog("orders");
        using ServiceProvider services = builder.Services.BuildServiceProvider();

        WriteAheadLogStoreOptions o = services.GetRequiredService<IOptionsMonitor<WriteAheadLogStoreOptions>>().Get("orders");

        Assert.Equal(keyFile, o.EncryptionKeyFile);
        Assert.Equal(3u, o.ToLogOptions().Encryption!.CurrentKey.Id);
    }

    [Fact]
    public void Validate_MalformedKeyFile_FailsNamingStoreSettingAndLine()
    {
        var options = new WriteAheadLogStoreOptions { Directory = _directory, EncryptionKeyFile = WriteKeyFile("1:" + Key(1), "2:not-base64!") };

        var result = new WriteAheadLogStoreOptionsValidator().Validate("orders", options);

        string failure = Assert.Single(result.Failures!);
        Assert.StartsWith("[orders] EncryptionKeyFile", failure, StringComparison.Ordinal);
        Assert.Contains("line 2", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ShortKeyOrMissingFileOrTwoSources_FailsNamingTheSetting()
    {
        var shortKey = new WriteAheadLogStoreOptions { Directory = _directory, EncryptionKeyFile = WriteKeyFile("1:" + Convert.ToBase64String(new byte[10])) };
        Assert.Contains(new WriteAheadLogStoreOptionsValidator().Validate(null, shortKey).Failures!, f => f.StartsWith("EncryptionKeyFile", StringComparison.Ordinal) && f.Contains("16, 24 or 32", StringComparison.Ordinal));

        var missing = new WriteAheadLogStoreOptions { Directory = _directory, EncryptionKeyFile = Path.Combine(_directory, "absent.keys") };
        Assert.Contains(new WriteAheadLogStoreOptionsValidator().Validate(null, missing).Failures!, f => f.StartsWith("EncryptionKeyFile", StringComparison.Ordinal));

        var both = new WriteAheadLogStoreOptions
        {
            Directory = _directory,
            EncryptionKeyFile = WriteKeyFile("1:" + Key(1)),
            EncryptionKeys = new EncryptionKeyring([new EncryptionKey(1, new byte[32])]),
        };
        Assert.Contains(new WriteAheadLogStoreOptionsValidator().Validate(null, both).Failures!, f => f.Contains("at most one of EncryptionKeyFile", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_KeyFile_StoreLogEncryptsAndReopensOnlyWithTheKey()
    {
        string keyFile = WriteKeyFile("1:" + Key(1));
        string logDirectory = Path.Combine(_directory, "log");
        WriteAheadLogStore Store(string? file) => new("orders", new WriteAheadLogStoreOptions { Directory = logDirectory, PreallocateSegments = false, SegmentSizeBytes = 1024 * 1024, MaxRecordSizeBytes = 256 * 1024, MaxEventSizeBytes = 16 * 1024, EncryptionKeyFile = file }, new FileEventLogFactory());

        await using (var store = Store(keyFile))
        {
            var log = await store.StartAsync();
            await log.AppendAsync("order/1", 0, ["SECRET-card-4111"u8.ToArray()]);
        }

        Assert.DoesNotContain(Directory.GetFiles(logDirectory), f => Path.GetFileName(f) != "LOCK" && File.ReadAllBytes(f).AsSpan().IndexOf("SECRET-"u8) >= 0);
        await using (var withoutKey = Store(null))
        {
            await Assert.ThrowsAsync<EncryptionKeyNotFoundException>(async () => await withoutKey.StartAsync());
        }

        await using var reopened = Store(keyFile);
        var read = await (await reopened.StartAsync()).ReadStreamAsync("order/1");
        Assert.Equal("SECRET-card-4111"u8.ToArray(), Assert.Single(read.Events).Payload.ToArray());
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    private static string Key(int seed) => Convert.ToBase64String(Enumerable.Range(seed, 32).Select(i => (byte)i).ToArray());

    private string WriteKeyFile(params string[] lines)
    {
        string path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".keys");
        File.WriteAllLines(path, lines);
        return path;
    }
}
