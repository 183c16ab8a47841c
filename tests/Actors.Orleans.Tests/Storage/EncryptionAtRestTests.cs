using Actors.Orleans.Log;
using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Actors.Wal;
using Actors.Wal.Encryption;
using Orleans.Runtime;

namespace Actors.Orleans.Tests.Storage;

/// <summary>
/// Grain state on an encrypted silo log (<see cref="SiloLogOptions.Encryption"/>): no file holds the plaintext, the log
/// opens only with the key, and with it every state reads back. Ported from the retired runtime's store encryption test.
/// </summary>
public sealed class EncryptionAtRestTests : IDisposable
{
    private const string Secret = "SECRET-card-4111";

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static GrainId Grain(string key) => GrainId.Create("profile", key);

    private static EncryptionKeyring Keyring() => new([new EncryptionKey(1, [.. Enumerable.Range(1, 32).Select(i => (byte)i)])]);

    [Fact]
    public async Task WriteStateAsync_EncryptedLog_PlaintextInNoFileAndReadableOnlyWithTheKey()
    {
        await using (ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path, configure: o => o.Encryption = Keyring()))
        {
            for (int i = 0; i < 3; i++)
            {
                await harness.Storage.WriteStateAsync("profile", Grain($"g{i}"), new TestGrainState<ProfileState> { State = new ProfileState { Name = Secret, Visits = i } });
            }
        }

        Assert.Empty(LogFiles.Containing(_directory.Path, Secret));

        var refused = await Assert.ThrowsAsync<WriteAheadLogUnavailableException>(() => ProviderHarness.OpenAsync(_directory.Path));
        Assert.IsType<EncryptionKeyNotFoundException>(refused.InnerException);

        await using ProviderHarness reopened = await ProviderHarness.OpenAsync(_directory.Path, configure: o => o.Encryption = Keyring());
        for (int i = 0; i < 3; i++)
        {
            var read = new TestGrainState<ProfileState>();
            await reopened.Storage.ReadStateAsync("profile", Grain($"g{i}"), read);
            Assert.True(read.RecordExists);
            Assert.Equal((Secret, i), (read.State.Name, read.State.Visits));
        }
    }
}
