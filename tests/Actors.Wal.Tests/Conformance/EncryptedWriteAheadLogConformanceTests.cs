using Actors.Wal.Encryption;

namespace Actors.Wal.Tests.Conformance;

/// <summary>
/// The whole file-backed conformance suite (reopen, rotation, checkpoints, erase, change feed) on a log that encrypts
/// every payload at rest: encryption must change no observable behaviour.
/// </summary>
public sealed class EncryptedWriteAheadLogConformanceTests : WriteAheadLogConformanceTests
{
    private static readonly EncryptionKeyring Keys = new([new EncryptionKey(7, Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray())]);

    protected override void Configure(WriteAheadLogOptions options) => options.Encryption = Keys;
}
