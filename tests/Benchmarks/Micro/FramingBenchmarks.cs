using System.Buffers.Binary;
using Actors.Checksums;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;

namespace Actors.Benchmarks.Micro;

/// <summary>
/// Micro-benchmark (BenchmarkDotNet): the per-event CPU cost of framing a record: a header of length, stream
/// version and LSN plus a CRC32C (the repository's one, src/Actors.Wal.Files/Checksums/Crc32C.cs: hardware BitOperations.Crc32C, 8 bytes per
/// step, in three interleaved lanes from 192 bytes on) over header and payload.
/// This is the floor under the engine's per-event bookkeeping. Run: <c>-- micro</c>. The CRC alone is timed by
/// <c>profile --store crc32c</c> (ns per call at the sizes the docs cite).
/// </summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private const int HeaderBytes = 24;

    private byte[] _payload = [];
    private byte[] _buffer = [];

    [Params(100, 1024)]
    public int PayloadBytes { get; set; }

    public static void Run(string[] args) => BenchmarkRunner.Run<FramingBenchmarks>(args: args);

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[PayloadBytes];
        new Random(1).NextBytes(_payload);
        _buffer = new byte[HeaderBytes + PayloadBytes];
    }

    [Benchmark]
    public uint FrameRecord()
    {
        Span<byte> record = _buffer;
        BinaryPrimitives.WriteInt32LittleEndian(record, _payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(record[8..], 42);
        BinaryPrimitives.WriteInt64LittleEndian(record[16..], 123_456);
        _payload.CopyTo(record[HeaderBytes..]);
        uint crc = Crc32C.Compute(record[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], crc);
        return crc;
    }
}
