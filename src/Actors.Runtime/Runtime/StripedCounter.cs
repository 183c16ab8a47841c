namespace Actors.Runtime;

/// <summary>
/// A counter updated from many threads without sharing a cache line: one padded cell per processor, summed when read.
/// Gauges read it instead of walking the activations.
/// </summary>
/// <remarks>Thread-safe. <see cref="Value"/> is exact when no update is in progress, and otherwise a value the counter had during the read.</remarks>
internal sealed class StripedCounter
{
    private const int CellStride = 8; // 64 bytes between cells: one cache line each.

    private readonly long[] _cells;
    private readonly int _mask;

    public StripedCounter()
    {
        int stripes = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 64));
        _mask = stripes - 1;
        _cells = new long[stripes * CellStride];
    }

    public long Value
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _cells.Length; i += CellStride)
            {
                sum += Volatile.Read(ref _cells[i]);
            }

            return sum;
        }
    }

    public void Add(long delta) => Interlocked.Add(ref _cells[(Thread.GetCurrentProcessorId() & _mask) * CellStride], delta);
}
